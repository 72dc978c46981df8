import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorOptions, runDoctor as run } from '../../src/index.js';
import { codes, expectNoSecret } from './helpers.js';

/** Generous probe timeout: the test machine may be loaded (closed-port tests set their own). */
const runDoctor = (o: DoctorOptions) => run({ timeoutMs: 30_000, ...o });

describe('doctor against a server with no token and no password (real jupyter_server)', () => {
  let server: JupyterServerHandle;
  beforeAll(async () => {
    server = await startJupyter({ token: '' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('XSRF_REQUIRED: reads work without credentials, writes are refused by the XSRF check', async () => {
    const r = await runDoctor({ url: server.url, kernelProbe: false });
    expect(r.auth.recommended).toBe('none');
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['XSRF_REQUIRED']);
    expect(codes(r)).toEqual(['XSRF_REQUIRED', 'ORIGIN_BLOCKED']);
    expect(r.probes.find((p) => p.id === 'write:none')).toMatchObject({
      status: 403,
      message: "'_xsrf' argument missing from POST",
    });
    expectNoSecret(r, 'anything');
  });
});
