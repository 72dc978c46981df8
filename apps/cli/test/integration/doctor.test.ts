import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  freePort,
  type JupyterServerHandle,
  startJupyter,
  startProxy,
  tmpRoot,
} from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, codes, ensureBuilt, expectNoSecret, json } from './doctor-helpers.js';
import { startPlainPage } from './doctor-plain-page.js';

// One server under base_url /user/alice/ covers the token, prefix and proxy scenarios.
describe('jupyter-mcp doctor (built CLI) against a token server at /user/alice/', () => {
  let server: JupyterServerHandle;
  let origin: string;
  beforeAll(async () => {
    ensureBuilt();
    server = await startJupyter({ baseUrl: '/user/alice/' });
    origin = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('healthy: exit 0, one JSON document, ok: true, token-header recommended, kernel probed', async () => {
    const r = await cli([
      'doctor',
      server.url,
      '--token',
      server.token,
      '--json',
      '--matrix',
      '--timeout',
      '20',
    ]);
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(doc.ok).toBe(true);
    expect(doc.server).toEqual({ version: expect.stringMatching(/^2\./), kind: 'jupyter_server' });
    expect(doc.auth.recommended).toBe('token-header');
    expect(Array.isArray(doc.probes)).toBe(true);
    expect(Array.isArray(doc.matrix)).toBe(true);
    expect(
      (doc.probes as { id: string; status: number }[]).find((p) => p.id === 'ws:kernel:token-header')?.status,
    ).toBe(101);
    expectNoSecret(r, server.token);
  });

  it('human output: ✓ per check and a summary line; env JUPYTER_URL / JUPYTER_TOKEN', async () => {
    const r = await cli(['doctor', '--no-kernel-probe'], {
      JUPYTER_URL: server.url,
      JUPYTER_TOKEN: server.token,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ Reachability');
    expect(r.stdout).toContain('✓ Authentication');
    expect(r.stdout).toMatch(/0 errors, 0 warnings; use token-header/);
    expectNoSecret(r, server.token);
  });

  it('TOKEN_REJECTED: a wrong token from --token-file; exit 1; names the runtime file', async () => {
    const file = join(tmpRoot, `doctor-token-${process.pid}.txt`);
    writeFileSync(file, 'wrong-token-from-file-1234\n');
    const r = await cli(['doctor', server.url, '--token-file', file, '--json', '--no-kernel-probe'], {
      JUPYTER_RUNTIME_DIR: server.runtimeDir,
    });
    expect(r.code).toBe(1);
    expect(codes(r)).toEqual(['TOKEN_REJECTED']);
    expect(json(r).findings[0]!.explanation).toMatch(/jpserver-\d+\.json/);
    expectNoSecret(r, server.token, 'wrong-token-from-file-1234');
  });

  it('TOKEN_MISSING: no token', async () => {
    const r = await cli(['doctor', server.url, '--json', '--no-kernel-probe']);
    expect(r.code).toBe(1);
    expect(codes(r)).toEqual(['TOKEN_MISSING']);
    expectNoSecret(r, server.token);
  });

  it('BASE_URL_WRONG: the URL without /user/alice/', async () => {
    const r = await cli(['doctor', `${origin}/`, '--token', server.token, '--json']);
    expect(r.code).toBe(1);
    expect(codes(r)).toEqual(['BASE_URL_WRONG']);
    expect(json(r).findings[0]!.fix).toContain(`${origin}/user/alice/`);
    expectNoSecret(r, server.token);
  });

  it('a pasted full UI URL with ?token= works (exit 0, URL_NORMALISED note)', async () => {
    const r = await cli([
      'doctor',
      `${origin}/user/alice/lab/tree/x.ipynb?token=${server.token}`,
      '--json',
      '--no-kernel-probe',
    ]);
    expect(r.code).toBe(0);
    expect(codes(r)).toEqual(['URL_NORMALISED']);
    expect(json(r).url).toContain('token=[REDACTED]');
    expectNoSecret(r, server.token);
  });

  it('HOST_BLOCKED: behind a proxy that rewrites Host', async () => {
    const proxy = await startProxy({ target: origin, host: 'evil.example.com' });
    try {
      const r = await cli(['doctor', `${proxy.origin}/user/alice/`, '--token', server.token, '--json']);
      expect(r.code).toBe(1);
      expect(codes(r)).toEqual(['HOST_BLOCKED']);
      expectNoSecret(r, server.token);
    } finally {
      await proxy.close();
    }
  });

  it('PROXY_BLOCKED behind an SSO proxy; --header with its credential fixes it', async () => {
    const proxy = await startProxy({
      target: origin,
      requireHeader: { name: 'x-sso', value: 'cli-sso-secret-99' },
    });
    try {
      const url = `${proxy.origin}/user/alice/`;
      const bad = await cli(['doctor', url, '--token', server.token, '--json', '--no-kernel-probe']);
      expect(bad.code).toBe(1);
      expect(codes(bad)).toEqual(['PROXY_BLOCKED']);
      const good = await cli([
        'doctor',
        url,
        '--token',
        server.token,
        '--header',
        'X-SSO: cli-sso-secret-99',
        '--json',
        '--no-kernel-probe',
      ]);
      expect(good.code).toBe(0);
      expectNoSecret(good, server.token, 'cli-sso-secret-99');
    } finally {
      await proxy.close();
    }
  });

  it('AUTH_HEADER_STRIPPED: behind a proxy that drops Authorization', async () => {
    const proxy = await startProxy({ target: origin, dropHeaders: ['authorization'] });
    try {
      const r = await cli([
        'doctor',
        `${proxy.origin}/user/alice/`,
        '--token',
        server.token,
        '--json',
        '--no-kernel-probe',
      ]);
      expect(r.code).toBe(1);
      expect(codes(r)).toContain('AUTH_HEADER_STRIPPED');
      expectNoSecret(r, server.token);
    } finally {
      await proxy.close();
    }
  });

  it('WEBSOCKET_UPGRADE_STRIPPED: behind a proxy that drops Upgrade', async () => {
    const proxy = await startProxy({ target: origin, dropUpgrade: true });
    try {
      const r = await cli([
        'doctor',
        `${proxy.origin}/user/alice/`,
        '--token',
        server.token,
        '--json',
        '--no-kernel-probe',
      ]);
      expect(r.code).toBe(1);
      expect(codes(r)).toEqual(['WEBSOCKET_UPGRADE_STRIPPED']);
      expectNoSecret(r, server.token);
    } finally {
      await proxy.close();
    }
  });

  it('--discover lists the server from the runtime dir without its token', async () => {
    const r = await cli(['doctor', '--discover', '--json'], { JUPYTER_RUNTIME_DIR: server.runtimeDir });
    expect(r.code).toBe(0);
    const doc = json(r);
    expect(
      (doc.servers as { port: number; hasToken: boolean }[]).find((s) => s.port === server.port)?.hasToken,
    ).toBe(true);
    expectNoSecret(r, server.token);
  });
});

describe('jupyter-mcp doctor (built CLI) without a Jupyter Server', () => {
  beforeAll(() => ensureBuilt());

  it('SERVER_UNREACHABLE: a closed port, exit 1', async () => {
    const port = await freePort();
    const r = await cli(['doctor', `http://127.0.0.1:${port}/`, '--token', 'tok-closed-port-1234', '--json']);
    expect(r.code).toBe(1);
    expect(codes(r)).toEqual(['SERVER_UNREACHABLE']);
    expectNoSecret(r, 'tok-closed-port-1234');
  });

  it('NOT_JUPYTER: a plain web page, exit 1', async () => {
    const page = await startPlainPage();
    try {
      const r = await cli(['doctor', page.url, '--token', 'tok-plain-page-5678', '--json']);
      expect(r.code).toBe(1);
      expect(codes(r)).toEqual(['NOT_JUPYTER']);
      expectNoSecret(r, 'tok-plain-page-5678');
    } finally {
      await page.close();
    }
  });

  it('TLS_ERROR: https against a plain-http server, exit 1', async () => {
    const page = await startPlainPage();
    try {
      const r = await cli([
        'doctor',
        `${page.url.replace('http:', 'https:')}?token=tok-tls-cli-4321`,
        '--json',
      ]);
      expect(r.code).toBe(1);
      expect(codes(r)).toEqual(['TLS_ERROR']);
      expectNoSecret(r, 'tok-tls-cli-4321');
    } finally {
      await page.close();
    }
  });

  it('usage errors exit 2 with a message on stderr and nothing on stdout', async () => {
    const none = await cli(['doctor', '--json']);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/needs the Jupyter Server URL/);
    const bad = await cli(['doctor', 'http://127.0.0.1:1/', '--timeout', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--timeout/);
    const env = await cli([
      'doctor',
      'http://127.0.0.1:1/?token=tok-usage-2468',
      '--password-env',
      'NOPE_NOT_SET',
    ]);
    expectNoSecret(env, 'tok-usage-2468');
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/NOPE_NOT_SET/);
  });
});
