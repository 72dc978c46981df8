import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JupyterConnection, parseJupyterUrl } from '../../src/index.js';
import { errorText, expectNoSecrets, recordingLogger, rejectionOf } from './support.js';

describe('a server under base_url /user/alice/ (JupyterHub layout)', () => {
  let server: JupyterServerHandle;
  const log = recordingLogger();
  const texts: string[] = [];

  beforeAll(async () => {
    server = await startJupyter({ baseUrl: '/user/alice/' });
  });
  afterAll(async () => {
    await server?.stop();
    expectNoSecrets([log.text(), ...texts], [server?.token]);
  });

  it('is reached from a pasted full UI URL with the token in it', async () => {
    const c = new JupyterConnection({ url: `${server.url}lab`, token: server.token, auth: 'token-header' });
    await c.json('PUT', 'api/contents/x.ipynb', {
      body: { type: 'notebook', content: { cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 } },
    });
    const pasted = `http://127.0.0.1:${server.port}/user/alice/lab/tree/x.ipynb?token=${server.token}`;
    const parsed = parseJupyterUrl(pasted);
    expect(parsed).toMatchObject({ baseUrl: server.url, hubUser: 'alice', path: 'x.ipynb' });
    const conn = await JupyterConnection.connect({ url: pasted, logger: log });
    expect(conn.baseUrl).toBe(server.url);
    expect(conn.wsBaseUrl).toBe(server.url.replace(/^http/, 'ws'));
    const model = await conn.json<{ type: string }>('GET', `api/contents/${parsed.path}`, {
      query: { content: 0 },
    });
    expect(model.type).toBe('notebook');
    const kernel = await conn.json<{ id: string }>('POST', 'api/kernels', { body: { name: 'python3' } });
    try {
      (await conn.openWebSocket(`api/kernels/${kernel.id}/channels`)).close();
    } finally {
      await conn.request('DELETE', `api/kernels/${kernel.id}`);
    }
  });

  it('a base URL without the prefix gets a clear "wrong base URL" answer', async () => {
    const wrong = `http://127.0.0.1:${server.port}/lab?token=${server.token}`;
    const err = await rejectionOf(JupyterConnection.connect({ url: wrong, logger: log }));
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/base URL is probably wrong/);
    texts.push(errorText(err));
  });
});
