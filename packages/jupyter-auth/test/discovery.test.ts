import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverServers, readTokenFile } from '../src/discovery.js';
import { JupyterAuthError } from '../src/errors.js';

const dir = () => mkdtempSync(join(tmpdir(), 'jupyter-auth-'));

describe('readTokenFile', () => {
  it('strips the trailing newline and whitespace', () => {
    const d = dir();
    writeFileSync(join(d, 't'), '  abc123def\r\n\n');
    expect(readTokenFile(join(d, 't'))).toBe('abc123def');
  });

  it('names the path (never the contents) when unreadable or empty', () => {
    const d = dir();
    const missing = join(d, 'nope');
    expect(() => readTokenFile(missing)).toThrow(JupyterAuthError);
    expect(() => readTokenFile(missing)).toThrow(new RegExp(`${missing}: it does not exist`));
    try {
      readTokenFile(d);
    } catch (e) {
      expect((e as JupyterAuthError).code).toBe('TOKEN_FILE_UNREADABLE');
      expect((e as Error).message).toMatch(/is a directory/);
    }
    writeFileSync(join(d, 'empty'), '\n');
    expect(() => readTokenFile(join(d, 'empty'))).toThrow(/is empty/);
  });
});

describe('discoverServers', () => {
  it('reads jpserver-*.json, skips dead pids and junk, newest first', async () => {
    const d = dir();
    const info = (pid: number, port: number) => ({
      base_url: '/',
      hostname: 'localhost',
      password: false,
      pid,
      port,
      root_dir: '/home/me',
      secure: false,
      sock: '',
      token: `tok-${pid}`,
      url: `http://localhost:${port}/`,
      version: '2.21.1',
    });
    writeFileSync(join(d, 'jpserver-101.json'), JSON.stringify(info(101, 8888)));
    writeFileSync(join(d, 'jpserver-202.json'), JSON.stringify(info(202, 8889)));
    writeFileSync(join(d, 'jpserver-303.json'), JSON.stringify(info(303, 8890)));
    writeFileSync(join(d, 'jpserver-404.json'), '{ truncated');
    writeFileSync(join(d, 'jpserver-101-open.html'), '<html>');
    writeFileSync(join(d, 'kernel-abc.json'), '{}');
    mkdirSync(join(d, 'sub'));
    const alive = new Set([101, 303]);
    const found = await discoverServers(d, { isAlive: (pid) => alive.has(pid) });
    expect(found.map((s) => s.pid).sort()).toEqual([101, 303]);
    expect(found.find((s) => s.pid === 101)).toMatchObject({
      url: 'http://localhost:8888/',
      baseUrl: '/',
      token: 'tok-101',
      port: 8888,
      rootDir: '/home/me',
      version: '2.21.1',
      password: false,
      secure: false,
    });
  });

  it('gives [] for a missing runtime dir', async () => {
    expect(await discoverServers(join(dir(), 'missing'))).toEqual([]);
  });
});
