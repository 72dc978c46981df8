import { freePort, type JupyterServerHandle, startJupyter, startProxy } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorOptions, runDoctor as run } from '../../src/index.js';
import { codes, expectNoSecret, startPlainPage } from './helpers.js';

/** Generous probe timeout: the test machine may be loaded (closed-port tests set their own). */
const runDoctor = (o: DoctorOptions) => run({ timeoutMs: 30_000, ...o });

describe('doctor against a token server (real jupyter_server)', () => {
  let server: JupyterServerHandle;
  beforeAll(async () => {
    server = await startJupyter();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('healthy: right token, kernel probed and cleaned up, no findings', async () => {
    const r = await runDoctor({ url: server.url, token: server.token, matrix: true });
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.server).toEqual({ version: expect.stringMatching(/^2\./), kind: 'jupyter_server' });
    expect(r.auth.working).toEqual(expect.arrayContaining(['token-header', 'bearer-header', 'query']));
    expect(r.auth.recommended).toBe('token-header');
    expect(r.probes.find((p) => p.id === 'ws:kernel:token-header')?.status).toBe(101);
    expect(r.probes.find((p) => p.id === 'ws:events:token-header')?.status).toBe(101);
    expect(r.probes.find((p) => p.id === 'channels-get:token-header')?.status).toBe(400);
    expect(r.probes.find((p) => p.id === 'kernel-delete')?.status).toBe(204);
    const left = await fetch(`${server.url}api/kernels`, {
      headers: { Authorization: `token ${server.token}` },
    });
    expect(await left.json()).toEqual([]);
    expect(r.matrix?.find((m) => m.endpoint === 'GET /api/status')?.statuses).toMatchObject({
      'token-header': 200,
      none: 403,
    });
    expectNoSecret(r, server.token);
  });

  it('TOKEN_REJECTED: a wrong token, naming the runtime file of the server on that port', async () => {
    const r = await runDoctor({
      url: server.url,
      token: 'not-the-right-token-0000',
      kernelProbe: false,
      runtimeDirs: [server.runtimeDir],
    });
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['TOKEN_REJECTED']);
    const f = r.findings[0]!;
    expect(f.explanation).toMatch(/jpserver-\d+\.json/);
    expect(f.explanation).toMatch(/XSRF/);
    expectNoSecret(r, server.token, 'not-the-right-token-0000');
  });

  it('TOKEN_MISSING: no token', async () => {
    const r = await runDoctor({ url: server.url, kernelProbe: false });
    expect(codes(r)).toEqual(['TOKEN_MISSING']);
    expect(r.auth).toEqual({ working: [], recommended: null });
    expectNoSecret(r, server.token);
  });

  it('HOST_BLOCKED: a proxy rewriting Host to a public name', async () => {
    const proxy = await startProxy({ target: server.url, host: 'evil.example.com' });
    try {
      const r = await runDoctor({ url: `${proxy.origin}/`, token: server.token, kernelProbe: false });
      expect(codes(r)).toEqual(['HOST_BLOCKED']);
      expectNoSecret(r, server.token);
    } finally {
      await proxy.close();
    }
  });

  it('PROXY_BLOCKED without the SSO header; healthy with --header', async () => {
    const proxy = await startProxy({
      target: server.url,
      requireHeader: { name: 'x-sso', value: 'sso-secret-777' },
    });
    try {
      const bad = await runDoctor({ url: `${proxy.origin}/`, token: server.token, kernelProbe: false });
      expect(codes(bad)).toEqual(['PROXY_BLOCKED']);
      const good = await runDoctor({
        url: `${proxy.origin}/`,
        token: server.token,
        headers: { 'X-SSO': 'sso-secret-777' },
        kernelProbe: false,
      });
      expect(good.ok).toBe(true);
      expect(good.auth.recommended).toBe('token-header');
      expectNoSecret(good, server.token, 'sso-secret-777');
      expectNoSecret(bad, server.token);
    } finally {
      await proxy.close();
    }
  });

  it('AUTH_HEADER_STRIPPED: a proxy dropping Authorization (query token still works)', async () => {
    const proxy = await startProxy({ target: server.url, dropHeaders: ['authorization'] });
    try {
      const r = await runDoctor({ url: `${proxy.origin}/`, token: server.token, kernelProbe: false });
      expect(codes(r)).toContain('AUTH_HEADER_STRIPPED');
      expect(r.auth.recommended).toBe('query');
      expect(r.ok).toBe(false);
      expectNoSecret(r, server.token);
    } finally {
      await proxy.close();
    }
  });

  it('WEBSOCKET_UPGRADE_STRIPPED: a proxy dropping Upgrade/Connection', async () => {
    const proxy = await startProxy({ target: server.url, dropUpgrade: true });
    try {
      const r = await runDoctor({ url: `${proxy.origin}/`, token: server.token, kernelProbe: false });
      expect(codes(r)).toEqual(['WEBSOCKET_UPGRADE_STRIPPED']);
      expect(r.auth.working).toContain('token-header');
      expectNoSecret(r, server.token);
    } finally {
      await proxy.close();
    }
  });

  it('WEBSOCKET_BLOCKED: a proxy that drops Authorization only on websocket handshakes', async () => {
    const proxy = await startProxy({
      target: server.url,
      rewriteHeaders: (h) => {
        if (h.upgrade) delete h.authorization;
        return h;
      },
    });
    try {
      const r = await runDoctor({ url: `${proxy.origin}/`, token: server.token, kernelProbe: false });
      const f = r.findings.find((x) => x.code === 'WEBSOCKET_BLOCKED');
      expect(f?.severity).toBe('warning');
      expect(f?.summary).toContain('token-header');
      expect(r.probes.find((p) => p.id === 'ws:events:token-header')?.status).toBe(403);
      expect(r.probes.find((p) => p.id === 'ws:events:query')?.status).toBe(101);
      expect(r.auth.recommended).toBe('query');
      expectNoSecret(r, server.token);
    } finally {
      await proxy.close();
    }
  });

  it('AUTH_SCHEME_UNSUPPORTED: a Basic Authorization header given as a custom header', async () => {
    const basic = `Basic ${Buffer.from(`user:${server.token}`).toString('base64')}`;
    const r = await runDoctor({ url: server.url, headers: { Authorization: basic }, kernelProbe: false });
    expect(codes(r)).toEqual(['AUTH_SCHEME_UNSUPPORTED']);
    expect(r.findings[0]!.severity).toBe('error');
    expectNoSecret(r, server.token, basic.slice(6));
  });

  it('TLS_ERROR: https against a plain-http server', async () => {
    const page = await startPlainPage();
    try {
      const r = await runDoctor({ url: page.url.replace('http:', 'https:'), token: 'tok-for-tls-1234' });
      expect(codes(r)).toEqual(['TLS_ERROR']);
      expect(r.findings[0]!.fix).toContain(page.url);
      expectNoSecret(r, 'tok-for-tls-1234');
    } finally {
      await page.close();
    }
  });

  it('SERVER_UNREACHABLE: a closed port answers fast', async () => {
    const port = await freePort();
    const r = await runDoctor({ url: `http://127.0.0.1:${port}/`, token: 'tok-for-closed-port' });
    expect(codes(r)).toEqual(['SERVER_UNREACHABLE']);
    expect(r.probes[0]?.error).toBe('CONNECTION_REFUSED');
    expect(r.checks.filter((c) => c.status === 'skip').map((c) => c.id)).toContain('auth');
    expectNoSecret(r, 'tok-for-closed-port');
  });

  it('NOT_JUPYTER: a plain web page', async () => {
    const page = await startPlainPage();
    try {
      const r = await runDoctor({ url: page.url, token: 'tok-for-plain-page' });
      expect(codes(r)).toEqual(['NOT_JUPYTER']);
      expect(r.findings[0]!.explanation).toContain('text/html');
      expectNoSecret(r, 'tok-for-plain-page');
    } finally {
      await page.close();
    }
  });
});
