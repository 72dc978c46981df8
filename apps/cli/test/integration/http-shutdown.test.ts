import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { descendants, freePort, isAlive, jupyterPath, tmpRoot } from '@jupyter-mcp/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { call, connectClient, type HttpProc, metric, startHttp, until } from './http-helpers.js';

let http: HttpProc | undefined;

afterAll(async () => {
  await http?.stop('SIGKILL');
});

describe('jupyter-mcp http: embedded Jupyter, generated token, graceful shutdown', () => {
  it('generates a 0600 token file, and on SIGTERM during a running cell ends cleanly with no process left', async () => {
    mkdirSync(tmpRoot, { recursive: true });
    const dir = mkdtempSync(join(tmpRoot, 'http-shutdown-'));
    const runtimeDir = join(dir, 'runtime');
    const root = join(dir, 'root');
    mkdirSync(root);
    http = await startHttp(
      [
        '--port',
        String(await freePort()),
        '--jupyter-command',
        jupyterPath,
        '--root',
        root,
        '--shutdown-timeout',
        '1',
      ],
      { JUPYTER_RUNTIME_DIR: runtimeDir },
    );
    // The notice names the token file and shows how to pass it, never the token itself.
    const tokenFile = /(\S+jupyter-mcp-http-\d+\.token)/.exec(http.stderr())?.[1];
    expect(tokenFile).toBeTruthy();
    expect(statSync(tokenFile!).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile!, 'utf8').trim();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(http.stderr()).toContain('Authorization: Bearer');
    expect(http.stderr()).not.toContain(token);

    const client = await connectClient(http.url, token);
    const running = call(client, 'execute_code', {
      code: 'import time\ntime.sleep(600)',
      timeout_s: 900,
    }).then(
      (r) => r,
      (e: unknown) => e,
    );
    const origin = http.origin;
    await until(async () => {
      const r = await fetch(`${origin}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      return (metric(await r.text(), 'jupyter_mcp_inflight_tool_calls') ?? 0) >= 1;
    }, 90_000);
    // The embedded Jupyter Server and the kernel run under us.
    const tree = await until(() => {
      const d = descendants(http!.pid);
      return d.length >= 2 ? d : undefined;
    });

    const t0 = Date.now();
    const code = await http.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(60_000);
    // (The client may keep retrying its stream; its pending call is not awaited.)
    void running;
    await until(() => tree.every((p) => !isAlive(p)), 15_000);
    expect(existsSync(tokenFile!)).toBe(false);
    const logs = http.logs();
    expect(logs.some((l) => String(l.msg).includes('interrupting'))).toBe(true);
    expect(http.stderr()).not.toContain(token);
    await client.close().catch(() => {});
  }, 240_000);
});
