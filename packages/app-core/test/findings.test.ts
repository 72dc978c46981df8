import { JupyterHttpError, JupyterNetworkError } from '@jupyter-mcp/jupyter-auth';
import { describe, expect, it } from 'vitest';
import { findDiagnosis, findingFromError } from '../src/index.js';

describe('findings', () => {
  it('picks the first error of a doctor report, else the first warning', () => {
    const f = (code: string, severity: string) => ({ code, severity, summary: code });
    expect(
      findDiagnosis({ ok: false, findings: [f('a', 'info'), f('b', 'warning'), f('c', 'error')], text: '' })
        ?.code,
    ).toBe('c');
    expect(findDiagnosis({ ok: false, findings: [f('a', 'info'), f('b', 'warning')], text: '' })?.code).toBe(
      'b',
    );
    expect(findDiagnosis({ ok: true, findings: [], text: '' })).toBeUndefined();
  });

  it('builds a finding with a fix from an error when the doctor is not available', () => {
    const http = new JupyterHttpError({
      status: 403,
      serverMessage: 'Forbidden',
      method: 'GET',
      path: '/api/status',
      message: 'GET /api/status answered 403',
    });
    expect(findingFromError(http)).toMatchObject({
      code: 'http-403',
      severity: 'error',
      fix: expect.stringContaining('--token'),
    });
    const net = new JupyterNetworkError('CONNECTION_REFUSED', {
      method: 'GET',
      url: 'http://127.0.0.1:1/',
      message: 'refused',
    });
    expect(findingFromError(net)).toMatchObject({
      code: 'connection-refused',
      fix: expect.stringContaining('Start the Jupyter Server'),
    });
  });
});
