import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { KernelManager } from '@jupyterlab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JupyterConnection, JupyterHttpError, makeServerSettings } from '../../src/index.js';
import { errorText, expectNoSecrets, recordingLogger, rejectionOf } from './support.js';

const PASSWORD = 'correct-horse-battery-7';

describe('password-only server (token impossible)', () => {
  let server: JupyterServerHandle;
  const log = recordingLogger();
  const texts: string[] = [];
  const cookieValues: string[] = [];

  beforeAll(async () => {
    server = await startJupyter({ token: '', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
    expectNoSecrets([log.text(), ...texts], [PASSWORD, ...cookieValues]);
  });

  it('logs in (GET /login for _xsrf, POST the form), then reads, writes with X-XSRFToken and opens a kernel websocket', async () => {
    const c = new JupyterConnection({ url: server.url, password: PASSWORD, auth: 'password', logger: log });
    expect(await c.json('GET', 'api/status')).toMatchObject({ kernels: 0 });
    expect(c.cookieNames().some((n) => n.startsWith('username-'))).toBe(true);
    expect(c.cookieNames()).toContain('_xsrf');
    const put = await c.json<{ path: string }>('PUT', 'api/contents/pw.txt', {
      body: { type: 'file', format: 'text', content: 'hello' },
    });
    expect(put.path).toBe('pw.txt');
    const kernel = await c.json<{ id: string }>('POST', 'api/kernels', { body: { name: 'python3' } });
    try {
      const ws = await c.openWebSocket(`api/kernels/${kernel.id}/channels`);
      ws.close();
      expect(c.authHeaders().Cookie).toMatch(/username-/);
      expect(c.authHeaders().Authorization).toBeUndefined();
      expect(c.url('api/status')).not.toContain('token=');
    } finally {
      await c.request('DELETE', `api/kernels/${kernel.id}`);
    }
    expect(log.text()).toContain('logged in with password');
  });

  it('runs code with @jupyterlab/services over cookies + XSRF (no document)', async () => {
    const c = await JupyterConnection.connect({ url: server.url, password: PASSWORD, logger: log });
    expect(c.authMethod).toBe('password');
    const manager = new KernelManager({ serverSettings: makeServerSettings(c) });
    try {
      await manager.ready;
      const kernel = await manager.startNew({ name: 'python3' });
      const future = kernel.requestExecute({ code: 'print("pw-ok")' });
      let out = '';
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') out += (msg.content as { text: string }).text;
      };
      expect((await future.done).content.status).toBe('ok');
      expect(out).toBe('pw-ok\n');
      await kernel.shutdown();
    } finally {
      manager.dispose();
    }
  });

  it('a wrong password is a LOGIN_FAILED that says the password was rejected, and never shows it', async () => {
    const wrong = 'not-the-password-42';
    const explicit = await rejectionOf(
      new JupyterConnection({ url: server.url, password: wrong, auth: 'password', logger: log }).json(
        'GET',
        'api/status',
      ),
    );
    expect(explicit).toBeInstanceOf(JupyterHttpError);
    expect(explicit.code).toBe('LOGIN_FAILED');
    expect(explicit.status).toBe(401);
    expect(explicit.message).toMatch(/rejected the password/);
    const auto = await rejectionOf(
      JupyterConnection.connect({ url: server.url, password: wrong, logger: log }),
    );
    expect(auto.code).toBe('LOGIN_FAILED');
    texts.push(errorText(explicit), errorText(auto));
    expectNoSecrets([errorText(explicit), errorText(auto), log.text()], [wrong]);
  });

  it('auto picks password, and after the cookie jar is cleared re-authenticates once and retries', async () => {
    const c = new JupyterConnection({ url: server.url, password: PASSWORD, logger: log });
    expect(await c.json('GET', 'api/sessions')).toEqual([]); // lazy resolution on first request
    expect(c.authMethod).toBe('password');
    const logins = () => log.lines.filter((l) => l.includes('logged in with password')).length;
    const before = logins();
    c.clearCookies();
    // A write with no cookies: 403, re-login, retry.
    const put = await c.json<{ path: string }>('PUT', 'api/contents/again.txt', {
      body: { type: 'file', format: 'text', content: 'again' },
    });
    expect(put.path).toBe('again.txt');
    expect(logins()).toBe(before + 1);
    expect(log.text()).toContain('re-authenticating');
    // Other failures pass through untouched.
    const nothing = await rejectionOf(c.json('GET', 'api/contents/no-such-file.txt'));
    expect((nothing as unknown as JupyterHttpError).status).toBe(404);
  });

  it('re-logs in after a restart that changed the cookie secret (old login cookie refused)', async () => {
    const c = await JupyterConnection.connect({ url: server.url, password: PASSWORD, logger: log });
    const logins = () => log.lines.filter((l) => l.includes('logged in with password')).length;
    const before = logins();
    rmSync(join(server.runtimeDir, 'jupyter_cookie_secret'), { force: true });
    await server.restart();
    expect(await c.json('GET', 'api/status')).toMatchObject({ kernels: 0 });
    const ws = await c.json<{ id: string }>('POST', 'api/kernels', { body: { name: 'python3' } });
    await c.request('DELETE', `api/kernels/${ws.id}`);
    expect(logins()).toBe(before + 1);
    for (const pair of (c.authHeaders().Cookie ?? '').split(';'))
      cookieValues.push(pair.split('=').slice(1).join('='));
  });
});
