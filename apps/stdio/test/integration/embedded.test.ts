import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { descendants, isAlive, tmpRoot } from '@jupyter-mcp/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliSession, connectCli, textOf, waitFor } from './cli-client.js';

// The embedded default: no URL. jupyter-mcp finds the repository's .venv (walking up from its cwd),
// starts its own Jupyter Server rooted at the cwd, and stops it and every kernel when it goes away.
const dirs: string[] = [];
const sessions: CliSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scratch(base: string): string {
  mkdirSync(base, { recursive: true });
  const d = mkdtempSync(join(base, 'embedded-'));
  dirs.push(d);
  return d;
}

async function startEmbedded(): Promise<{ cli: CliSession; tree: number[]; root: string }> {
  const root = scratch(tmpRoot);
  const cli = await connectCli({ cwd: root, args: ['--log-level', 'debug'] });
  sessions.push(cli);
  const r = await cli.call('execute_code', { code: 'import os\nprint(os.getcwd())\n1+1' });
  expect(r.isError, `${textOf(r)}\n${cli.stderr()}`).toBeFalsy();
  expect(textOf(r)).toContain('2');
  const info = await cli.call('get_server_info');
  expect(info.structuredContent).toMatchObject({ mode: 'managed', root, state: 'ok' });
  const servers = await cli.call('list_jupyter_servers');
  const mine = (
    servers.structuredContent as { servers: { pid?: number; managed_by_us?: boolean; has_token: boolean }[] }
  ).servers.find((x) => x.managed_by_us);
  expect(mine?.has_token).toBe(true);
  expect(JSON.stringify(servers)).not.toMatch(/token=[0-9a-f]{16,}/i);
  // The CLI's process tree: the Jupyter Server and its kernel(s).
  const tree = descendants(cli.pid);
  expect(tree.length).toBeGreaterThanOrEqual(2);
  // The embedded server's token is not in any process listing.
  for (const pid of tree) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    expect(cmd).not.toMatch(/token=[0-9a-f]{16,}/i);
  }
  return { cli, tree, root };
}

describe('embedded Jupyter Server (no URL)', () => {
  it('starts, works, and leaves no process behind after the client disconnects', async () => {
    const { cli, tree } = await startEmbedded();
    // stop_jupyter_server stops it; the next Jupyter call starts a new one.
    const stop = await cli.call('stop_jupyter_server');
    expect(stop.structuredContent, textOf(stop)).toMatchObject({ stopped: true });
    await waitFor(() => !tree.some(isAlive), 30_000, 'the first server and its kernel to exit');
    const start = await cli.call('start_jupyter_server');
    expect(start.structuredContent, textOf(start)).toMatchObject({
      already_running: false,
      root: expect.any(String),
    });
    const nb = await cli.call('create_notebook', {
      path: 'e.ipynb',
      cells: [{ cell_type: 'code', source: 'print(5)' }],
    });
    expect(nb.isError, textOf(nb)).toBeFalsy();
    const run = await cli.call('execute_cell', { path: 'e.ipynb', index: 0 });
    expect(textOf(run)).toContain('5');
    const all = [cli.pid, ...descendants(cli.pid)];
    expect(all.length).toBeGreaterThanOrEqual(3);
    await cli.close();
    await waitFor(() => !all.some(isAlive), 30_000, `processes ${all.filter(isAlive).join(', ')} to exit`);
  });

  it('leaves no process behind after SIGTERM', async () => {
    const { cli, tree } = await startEmbedded();
    const all = [cli.pid, ...tree];
    process.kill(cli.pid, 'SIGTERM');
    await waitFor(() => !all.some(isAlive), 30_000, `processes ${all.filter(isAlive).join(', ')} to exit`);
    expect(cli.stderr()).toMatch(/shutting down \(SIGTERM\)/);
  });

  it('leaves no process behind even when jupyter-mcp is SIGKILLed (watchdog)', async () => {
    const { cli, tree } = await startEmbedded();
    const all = [cli.pid, ...tree];
    process.kill(cli.pid, 'SIGKILL');
    await waitFor(() => !all.some(isAlive), 30_000, `processes ${all.filter(isAlive).join(', ')} to exit`);
  });

  it('without any Jupyter installed, still serves MCP and explains how to install it', async () => {
    const root = scratch(join(tmpdir(), 'jupyter-mcp-nojupyter'));
    const cli = await connectCli({
      cwd: root,
      env: { PATH: dirname(process.execPath) },
      args: ['--log-level', 'info'],
    });
    sessions.push(cli);
    const { tools } = await cli.client.listTools();
    expect(tools.length).toBeGreaterThan(20);
    const r = await cli.call('execute_code', { code: '1+1' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /JUPYTER_UNAVAILABLE[\s\S]*No Jupyter found[\s\S]*pip install jupyter_server ipykernel/,
    );
    const info = await cli.call('get_server_info');
    expect(info.isError).toBeFalsy();
    expect(info.structuredContent).toMatchObject({ mode: 'managed', state: 'unavailable' });
    expect(cli.stderr()).toMatch(/Jupyter is not usable[\s\S]*fix:/);
    await cli.close();
  });
});
