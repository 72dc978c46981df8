import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DoctorOptions, runDoctor as run } from '../../src/index.js';
import { codes, expectNoSecret } from './helpers.js';

/** Generous probe timeout: the test machine may be loaded (closed-port tests set their own). */
const runDoctor = (o: DoctorOptions) => run({ timeoutMs: 30_000, ...o });

describe("doctor against base_url '/user/alice/' (real jupyter_server)", () => {
  let server: JupyterServerHandle;
  let origin: string;
  beforeAll(async () => {
    server = await startJupyter({ baseUrl: '/user/alice/' });
    origin = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('BASE_URL_WRONG: the URL without the prefix; the doctor finds the prefix', async () => {
    const r = await runDoctor({ url: `${origin}/`, token: server.token, kernelProbe: false });
    expect(codes(r)).toEqual(['BASE_URL_WRONG']);
    expect(r.findings[0]!.fix).toContain(`${origin}/user/alice/`);
    expectNoSecret(r, server.token);
  });

  it('a pasted full UI URL with ?token= works, with a URL_NORMALISED note', async () => {
    const r = await runDoctor({
      url: `${origin}/user/alice/lab/tree/analysis.ipynb?token=${server.token}`,
      kernelProbe: false,
    });
    expect(r.ok).toBe(true);
    expect(r.baseUrl).toBe(`${origin}/user/alice/`);
    expect(r.auth.recommended).toBe('token-header');
    expect(codes(r)).toEqual(['URL_NORMALISED']);
    expect(r.url).toContain('token=[REDACTED]');
    expectNoSecret(r, server.token);
  });
});
