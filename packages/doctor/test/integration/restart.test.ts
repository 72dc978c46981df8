import { type JupyterServerHandle, randomToken, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/index.js';
import { codes, expectNoSecret } from './helpers.js';

describe('doctor after the server restarted with a new token (real jupyter_server)', () => {
  let server: JupyterServerHandle;
  let oldToken: string;
  beforeAll(async () => {
    server = await startJupyter();
    oldToken = server.token;
    await server.restart({ token: randomToken() });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('TOKEN_REJECTED says the server on that port has another token and where to find it', async () => {
    const r = await runDoctor({
      url: server.url,
      token: oldToken,
      kernelProbe: false,
      timeoutMs: 30_000,
      runtimeDirs: [server.runtimeDir],
    });
    expect(codes(r)).toEqual(['TOKEN_REJECTED']);
    const f = r.findings[0]!;
    expect(f.explanation).toMatch(/different token: it was restarted/);
    expect(f.fix).toMatch(/jpserver-\d+\.json/);
    expectNoSecret(r, oldToken, server.token);
  });
});
