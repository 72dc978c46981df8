import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUE,
  type DoctorReport,
  FINDING_CODES,
  renderCatalogueMarkdown,
  renderDoctorReport,
} from '../src/index.js';

const report: DoctorReport = {
  ok: false,
  url: 'http://127.0.0.1:8888/lab?token=[REDACTED]',
  baseUrl: 'http://127.0.0.1:8888/',
  server: { version: '2.21.1', kind: 'jupyter_server' },
  auth: { working: [], recommended: null },
  checks: [
    { id: 'reachability', label: 'Reachability', status: 'pass', detail: 'answered in 2 ms' },
    { id: 'auth', label: 'Authentication', status: 'fail', detail: 'The server does not accept the token.' },
    { id: 'origin', label: 'Origin', status: 'skip', detail: 'skipped' },
  ],
  probes: [],
  findings: [
    {
      code: 'TOKEN_REJECTED',
      severity: 'error',
      summary: 'The server does not accept the token.',
      explanation: 'GET /api/status with token-header answered 403 "Forbidden".',
      fix: 'Use the current token from `jupyter server list`.',
    },
  ],
  matrix: [{ endpoint: 'GET /api/status', statuses: { 'token-header': 403, none: 403 } }],
  durationMs: 34,
};

describe('renderDoctorReport', () => {
  it('prints ✓ / ✖ / - per check, findings with Why and Fix, the matrix and a summary line', () => {
    const text = renderDoctorReport(report);
    expect(text).toContain('✓ Reachability');
    expect(text).toContain('✖ Authentication');
    expect(text).toContain('- Origin');
    expect(text).toContain('✖ TOKEN_REJECTED: The server does not accept the token.');
    expect(text).toMatch(/Why: GET \/api\/status/);
    expect(text).toMatch(/Fix: Use the current token/);
    expect(text).toMatch(/GET \/api\/status\s+403\s+403/);
    expect(text.trim().split('\n').at(-1)).toBe('✖ 1 error, 0 warnings; no working auth method (34 ms)');
    expect(text).not.toContain('\u001b[');
  });

  it('colours only when asked', () => {
    expect(renderDoctorReport(report, { color: true })).toContain('\u001b[31m✖\u001b[0m');
  });
});

describe('catalogue', () => {
  it('has one entry per finding code, and the README table lists them all', () => {
    expect(CATALOGUE.map((e) => e.code)).toEqual([...FINDING_CODES]);
    const md = renderCatalogueMarkdown();
    for (const code of FINDING_CODES) expect(md).toContain(`\`${code}\``);
  });

  it('the root README table is the catalogue (regenerate with `pnpm --filter @jupyter-mcp/doctor readme`)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const block = /<!-- doctor:catalogue -->\n([\s\S]*?)\n<!-- \/doctor:catalogue -->/.exec(readme)?.[1];
    expect(block).toBe(renderCatalogueMarkdown());
  });
});
