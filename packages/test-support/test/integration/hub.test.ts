import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { descendants, type HubHandle, isAlive, startHub } from '../../src/index.js';

const auth = (token: string) => ({ Authorization: `token ${token}` });

describe('startHub', () => {
  let hub: HubHandle;
  beforeAll(async () => {
    hub = await startHub();
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('runs JupyterHub behind configurable-http-proxy with two users', async () => {
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const api = await fetch(`${hub.url}hub/api`);
    expect(((await api.json()) as { version: string }).version).toMatch(/^6\./);
    expect(hub.users).toEqual(['alice', 'bob']);
    const users = (await (await hub.hubApi('users')).json()) as { name: string }[];
    expect(users.map((u) => u.name).sort()).toEqual(['alice', 'bob']);
  });

  it('makes tokens with chosen scopes', async () => {
    const full = await hub.createToken('alice', {
      scopes: ['access:servers!user=alice', 'servers!user=alice'],
    });
    const narrow = await hub.createToken('alice', { scopes: ['read:users:name!user=alice'] });
    const who = async (t: string) =>
      (await (await fetch(`${hub.url}hub/api/user`, { headers: auth(t) })).json()) as {
        name: string;
        scopes: string[];
      };
    expect((await who(full)).scopes).toEqual(expect.arrayContaining(['access:servers!user=alice']));
    expect((await who(narrow)).scopes).not.toEqual(expect.arrayContaining(['access:servers!user=alice']));
    expect((await who(narrow)).name).toBe('alice');
  });

  it('starts and stops default and named servers; the access scope decides', async () => {
    const full = await hub.createToken('alice', {
      scopes: ['access:servers!user=alice', 'servers!user=alice'],
    });
    const narrow = await hub.createToken('alice', { scopes: ['read:users:name!user=alice'] });
    const url = await hub.startServer('alice');
    expect(url).toBe(`${hub.url}user/alice/`);
    expect((await fetch(`${url}api/status`, { headers: auth(full) })).status).toBe(200);
    expect((await fetch(`${url}api/status`, { headers: auth(narrow) })).status).toBe(403);
    // JupyterHub ≥ 5 ignores ?token= on HTTP.
    expect((await fetch(`${url}api/status?token=${full}`)).status).toBe(403);

    const named = await hub.startServer('alice', { server: 'gpu' });
    expect(named).toBe(`${hub.url}user/alice/gpu/`);
    expect((await fetch(`${named}api/status`, { headers: auth(full) })).status).toBe(200);
    expect((await hub.servers('alice')).map((s) => s.name).sort()).toEqual(['', 'gpu']);

    await hub.stopServer('alice', { server: 'gpu' });
    await hub.stopServer('alice');
    expect(await hub.servers('alice')).toEqual([]);
    const stopped = await fetch(`${url}api/status`, { headers: auth(full), redirect: 'manual' });
    expect(stopped.status).toBe(302);
    expect(stopped.headers.get('location')).toBe('/hub/user/alice/api/status');
  });
});

describe('startHub teardown', () => {
  it('leaves no process behind: Hub, proxy, single-user servers, kernels', async () => {
    const hub = await startHub({ users: ['carol'] });
    let tree: number[] = [];
    try {
      const token = await hub.createToken('carol');
      const url = await hub.startServer('carol');
      const kernel = (await (
        await fetch(`${url}api/kernels`, { method: 'POST', headers: auth(token), body: '{}' })
      ).json()) as { id: string };
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}api/kernels/${kernel.id}/channels`, {
        headers: auth(token),
      });
      await new Promise((resolve, reject) => {
        ws.on('open', resolve);
        ws.on('error', reject);
      });
      ws.close();
      tree = [hub.pid, ...descendants(hub.pid)];
      // Hub, proxy (node), single-user server, kernel.
      expect(tree.length).toBeGreaterThanOrEqual(4);
    } finally {
      await hub.stop();
    }
    expect(tree.filter(isAlive)).toEqual([]);
  });
});
