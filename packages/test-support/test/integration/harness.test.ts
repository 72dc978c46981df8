import { KernelManager, ServerConnection } from '@jupyterlab/services';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { descendants, isAlive, type JupyterServerHandle, startJupyter } from '../../src/index.js';

describe('startJupyter', () => {
  const started: JupyterServerHandle[] = [];
  afterAll(async () => {
    for (const s of started) await s.stop();
  });

  it('starts a token server, executes 1+1 with @jupyterlab/services, and kills server and kernel on stop', async () => {
    const server = await startJupyter();
    started.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const api = await fetch(`${server.url}api`);
    expect(api.status).toBe(200);
    expect(((await api.json()) as { version: string }).version).toMatch(/^2\./);

    const denied = await fetch(`${server.url}api/status`);
    expect(denied.status).toBe(403);

    const serverSettings = ServerConnection.makeSettings({
      baseUrl: server.url,
      wsUrl: server.url.replace(/^http/, 'ws'),
      token: server.token,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    const manager = new KernelManager({ serverSettings });
    await manager.ready;
    const kernel = await manager.startNew({ name: 'python3' });
    const future = kernel.requestExecute({ code: '1+1' });
    let result: unknown;
    future.onIOPub = (msg) => {
      if (msg.header.msg_type === 'execute_result')
        result = (msg.content as { data: Record<string, unknown> }).data['text/plain'];
    };
    const reply = await future.done;
    expect(reply.content.status).toBe('ok');
    expect(result).toBe('2');

    const tree = [server.pid, ...descendants(server.pid)];
    expect(tree.length).toBeGreaterThan(1); // the kernel runs under the server
    kernel.dispose();
    manager.dispose();
    await server.stop();
    expect(tree.filter(isAlive)).toEqual([]);
  });

  it('starts servers with no token, a password, and a base_url', async () => {
    const open = await startJupyter({ token: null });
    started.push(open);
    expect((await fetch(`${open.url}api/status`)).status).toBe(200);

    const pw = await startJupyter({ token: '', password: 's3cret-pw' });
    started.push(pw);
    expect((await fetch(`${pw.url}api/status`)).status).toBe(403);
    const login = await fetch(`${pw.url}login`);
    expect(login.status).toBe(200);

    const hub = await startJupyter({ baseUrl: '/user/alice/' });
    started.push(hub);
    expect(hub.url).toMatch(/\/user\/alice\/$/);
    expect((await fetch(`${hub.url}api`)).status).toBe(200);
    expect(
      (await fetch(`${hub.url}api/status`, { headers: { Authorization: `token ${hub.token}` } })).status,
    ).toBe(200);
  });

  it('restarts on the same port with a new token', async () => {
    const s = await startJupyter({ token: 'first-token-1234' });
    started.push(s);
    const port = s.port;
    await s.restart({ token: 'second-token-5678' });
    expect(s.port).toBe(port);
    expect(
      (await fetch(`${s.url}api/status`, { headers: { Authorization: 'token first-token-1234' } })).status,
    ).toBe(403);
    expect(
      (await fetch(`${s.url}api/status`, { headers: { Authorization: 'token second-token-5678' } })).status,
    ).toBe(200);
  });
});
