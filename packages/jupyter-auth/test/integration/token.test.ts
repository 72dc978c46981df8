import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { KernelManager } from '@jupyterlab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthMethod,
  discoverServers,
  JupyterConnection,
  JupyterHttpError,
  makeServerSettings,
} from '../../src/index.js';
import { errorText, expectNoSecrets, recordingLogger, rejectionOf } from './support.js';

describe('token server', () => {
  let server: JupyterServerHandle;
  let kernelId: string;
  const log = recordingLogger();
  const seen: string[] = [];

  beforeAll(async () => {
    server = await startJupyter();
    const c = new JupyterConnection({ url: server.url, token: server.token, auth: 'token-header' });
    kernelId = (await c.json<{ id: string }>('POST', 'api/kernels', { body: { name: 'python3' } })).id;
  });
  afterAll(async () => {
    await server?.stop();
    expectNoSecrets([log.text(), ...seen], [server?.token]);
  });

  for (const auth of ['token-header', 'bearer-header', 'query'] as AuthMethod[]) {
    it(`${auth}: reads, writes without XSRF, and opens a kernel websocket`, async () => {
      const c = new JupyterConnection({ url: server.url, token: server.token, auth, logger: log });
      expect(c.authMethod).toBe(auth);
      expect(await c.json('GET', 'api/status')).toMatchObject({ kernels: 1 });
      const put = await c.json<{ path: string }>('PUT', `api/contents/${auth}.txt`, {
        body: { type: 'file', format: 'text', content: auth },
      });
      expect(put.path).toBe(`${auth}.txt`);
      const ws = await c.openWebSocket(`api/kernels/${kernelId}/channels`);
      ws.close();
      if (auth === 'query') expect(c.url('api/status')).toContain('token=');
      else expect(c.url('api/status')).not.toContain('token=');
    });
  }

  it('auto picks token-header from a pasted /lab?token= URL and verifies it', async () => {
    const pasted = `${server.url}lab/tree/x.ipynb?token=${server.token}`;
    const c = await JupyterConnection.connect({ url: pasted, logger: log });
    expect(c.authMethod).toBe('token-header');
    expect(c.baseUrl).toBe(server.url);
    expect(log.text()).toContain('auth method resolved');
  });

  it('a wrong token: connect() fails with AUTH_FAILED listing what auto tried, without the token', async () => {
    const wrong = 'wrong-token-0123456789abcdef';
    const c = new JupyterConnection({ url: server.url, token: wrong, logger: log });
    const err = await rejectionOf(c.authenticate());
    expect(err).toBeInstanceOf(JupyterHttpError);
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/token-header \(403\), bearer-header \(403\), query \(403\)/);
    expect(err.message).toMatch(/jupyter server list/);
    seen.push(errorText(err));
    expectNoSecrets([errorText(err), log.text()], [wrong]);
    // Lazily, the request itself fails with the same explanation.
    const lazy = await rejectionOf(
      new JupyterConnection({ url: server.url, token: wrong }).json('GET', 'api/sessions'),
    );
    expect(lazy.message).toMatch(/did not accept the token/);
    expectNoSecrets([errorText(lazy)], [wrong]);
  });

  it('reads a token file with a trailing newline', async () => {
    const file = join(server.rootDir, '..', 'token-file');
    writeFileSync(file, `${server.token}\n`);
    const c = await JupyterConnection.connect({ url: server.url, tokenFile: file, logger: log });
    expect(c.authMethod).toBe('token-header');
    expect(await c.json('GET', 'api/sessions')).toEqual([]);
  });

  it('@jupyterlab/services runs code through makeServerSettings (header on HTTP and the ws handshake)', async () => {
    for (const auth of ['token-header', 'query'] as const) {
      const c = new JupyterConnection({ url: server.url, token: server.token, auth, logger: log });
      const manager = new KernelManager({ serverSettings: makeServerSettings(c) });
      try {
        await manager.ready;
        const kernel = manager.connectTo({ model: { id: kernelId, name: 'python3' } });
        const future = kernel.requestExecute({ code: '6*7' });
        let result: unknown;
        future.onIOPub = (msg) => {
          if (msg.header.msg_type === 'execute_result')
            result = (msg.content as { data: Record<string, unknown> }).data['text/plain'];
        };
        expect((await future.done).content.status).toBe('ok');
        expect(result).toBe('42');
        kernel.dispose();
      } finally {
        manager.dispose();
      }
    }
  });

  it('discovers the server from its runtime dir', async () => {
    const found = await discoverServers(server.runtimeDir);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ pid: server.pid, token: server.token, baseUrl: '/', port: server.port });
    expect(found[0]!.url).toMatch(new RegExp(`:${server.port}/$`));
    expect(found[0]!.version).toMatch(/^2\./);
    expect(found[0]!.rootDir).toBeTruthy();
    // Dead pids are skipped.
    expect(await discoverServers(server.runtimeDir, { isAlive: () => false })).toEqual([]);
    // A discovered server connects as is.
    const c = await JupyterConnection.connect({ url: found[0]!.url, token: found[0]!.token });
    expect(c.authMethod).toBe('token-header');
  });
});
