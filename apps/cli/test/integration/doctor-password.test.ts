import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, codes, ensureBuilt, expectNoSecret, json } from './doctor-helpers.js';

const PASSWORD = 'cli-password-horse-staple';

describe('jupyter-mcp doctor (built CLI) against a password-only server', () => {
  let server: JupyterServerHandle;
  beforeAll(async () => {
    ensureBuilt();
    server = await startJupyter({ token: '', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('PASSWORD_REQUIRED: a token against a password-only server', async () => {
    const r = await cli([
      'doctor',
      server.url,
      '--token',
      'a-token-for-pw-server',
      '--json',
      '--no-kernel-probe',
    ]);
    expect(r.code).toBe(1);
    expect(codes(r)).toEqual(['PASSWORD_REQUIRED']);
    expectNoSecret(r, 'a-token-for-pw-server', PASSWORD);
  });

  it('the right password (--password-env) works: exit 0, XSRF_REQUIRED warning on cookie writes', async () => {
    const r = await cli(
      ['doctor', server.url, '--password-env', 'MY_JUPYTER_PW', '--json', '--no-kernel-probe'],
      {
        MY_JUPYTER_PW: PASSWORD,
      },
    );
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.auth.recommended).toBe('password');
    expect(doc.findings.find((f) => f.code === 'XSRF_REQUIRED')?.severity).toBe('warning');
    expectNoSecret(r, PASSWORD);
  });

  it('PASSWORD_REJECTED: a wrong password', async () => {
    const r = await cli(
      ['doctor', server.url, '--password-env', 'MY_JUPYTER_PW', '--json', '--no-kernel-probe'],
      {
        MY_JUPYTER_PW: 'wrong-password-for-cli',
      },
    );
    expect(r.code).toBe(1);
    expect(codes(r)).toEqual(['PASSWORD_REJECTED']);
    expectNoSecret(r, 'wrong-password-for-cli', PASSWORD);
  });

  it('ORIGIN_BLOCKED: cookie auth with a foreign Origin header', async () => {
    const r = await cli(
      [
        'doctor',
        server.url,
        '--password-env',
        'MY_JUPYTER_PW',
        '--header',
        'Origin: http://evil.example.com',
        '--json',
        '--no-kernel-probe',
      ],
      { MY_JUPYTER_PW: PASSWORD },
    );
    expect(r.code).toBe(1);
    expect(codes(r)).toContain('ORIGIN_BLOCKED');
    expectNoSecret(r, PASSWORD);
  });
});
