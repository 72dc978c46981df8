import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorOptions, runDoctor as run } from '../../src/index.js';
import { codes, expectNoSecret } from './helpers.js';

const PASSWORD = 'correct-horse-battery-staple';

/** Generous probe timeout: the test machine may be loaded (closed-port tests set their own). */
const runDoctor = (o: DoctorOptions) => run({ timeoutMs: 30_000, ...o });

describe('doctor against a password-only server (real jupyter_server)', () => {
  let server: JupyterServerHandle;
  beforeAll(async () => {
    server = await startJupyter({ token: '', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('PASSWORD_REQUIRED: a token against a password-only server', async () => {
    const r = await runDoctor({ url: server.url, token: 'some-token-1234', kernelProbe: false });
    expect(codes(r)).toEqual(['PASSWORD_REQUIRED']);
    expectNoSecret(r, 'some-token-1234', PASSWORD);
  });

  it('the right password works; XSRF_REQUIRED warns that cookie writes need X-XSRFToken', async () => {
    const r = await runDoctor({ url: server.url, password: PASSWORD, kernelProbe: true });
    expect(r.ok).toBe(true);
    expect(r.auth).toEqual({ working: ['password'], recommended: 'password' });
    const xsrf = r.findings.find((f) => f.code === 'XSRF_REQUIRED');
    expect(xsrf?.severity).toBe('warning');
    expect(r.probes.find((p) => p.id === 'write:cookie-no-xsrf')).toMatchObject({ status: 403 });
    expect(r.probes.find((p) => p.id === 'write:password')).toMatchObject({ status: 400 });
    expect(r.probes.find((p) => p.id === 'ws:kernel:password')?.status).toBe(101);
    expect(r.findings.find((f) => f.code === 'ORIGIN_BLOCKED')?.severity).toBe('info');
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/username-127/);
    expectNoSecret(r, PASSWORD);
  });

  it('PASSWORD_REJECTED: a wrong password (401 on POST /login)', async () => {
    const r = await runDoctor({ url: server.url, password: 'wrong-password-42', kernelProbe: false });
    expect(codes(r)).toEqual(['PASSWORD_REJECTED']);
    expect(r.probes.find((p) => p.id === 'login')?.status).toBe(401);
    expectNoSecret(r, 'wrong-password-42', PASSWORD);
  });

  it('ORIGIN_BLOCKED: cookie auth from a foreign Origin gets 404', async () => {
    const r = await runDoctor({
      url: server.url,
      password: PASSWORD,
      headers: { Origin: 'http://evil.example.com' },
      kernelProbe: false,
    });
    const f = r.findings.find((x) => x.code === 'ORIGIN_BLOCKED');
    expect(f?.severity).toBe('error');
    expect(f?.fix).toContain('allow_origin=http://evil.example.com');
    expect(r.probes.find((p) => p.id === 'origin:user')?.status).toBe(404);
    expectNoSecret(r, PASSWORD);
  });
});
