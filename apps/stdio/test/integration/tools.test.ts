import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSession, connectCli, textOf, waitFor } from './cli-client.js';

// One real Jupyter Server (IOPub limits lifted so our own output cap is what is measured) and one
// jupyter-mcp process connected to it, shared by the tests of this file.
let server: JupyterServerHandle;
let cli: CliSession;
const OUTPUT_LIMIT = 20_000;

// A 1×1 PNG written by the test (no matplotlib needed).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  server = await startJupyter({ liftIopubLimits: true });
  cli = await connectCli({
    args: ['--url', server.url, '--root', server.rootDir, '--log-level', 'debug'],
    env: { JUPYTER_TOKEN: server.token },
  });
});

afterAll(async () => {
  await cli?.close();
  await server?.stop();
});

describe('jupyter-mcp stdio against a real Jupyter Server', () => {
  it('lists every tool with annotations and an output schema', async () => {
    const { tools } = await cli.client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of [
      'list_files',
      'read_notebook',
      'read_cell',
      'get_notebook_info',
      'create_notebook',
      'write_notebook',
      'insert_cell',
      'update_cell',
      'edit_cell',
      'delete_cells',
      'move_cell',
      'clear_outputs',
      'list_kernelspecs',
      'list_kernels',
      'start_kernel',
      'stop_kernel',
      'interrupt_kernel',
      'restart_kernel',
      'get_kernel_status',
      'cleanup_kernels',
      'execute_code',
      'execute_cell',
      'get_server_info',
      'list_jupyter_servers',
      'start_jupyter_server',
      'stop_jupyter_server',
      'diagnose_connection',
    ])
      expect(names).toContain(n);
    for (const t of tools) {
      expect(t.description?.length, t.name).toBeGreaterThan(40);
      expect(typeof t.annotations?.readOnlyHint, t.name).toBe('boolean');
      // Tools that return data list their output schema; tools that change something confirm it.
      if (t.annotations?.readOnlyHint) expect(t.outputSchema, t.name).toBeDefined();
    }
    expect(tools.find((t) => t.name === 'read_notebook')?.annotations?.readOnlyHint).toBe(true);
    expect(tools.find((t) => t.name === 'delete_cells')?.annotations?.destructiveHint).toBe(true);
  });

  it('creates, edits, reads and lists a notebook', async () => {
    let r = await cli.call('create_notebook', {
      path: 'nb/edit.ipynb',
      cells: [
        { cell_type: 'markdown', source: '# Title' },
        { cell_type: 'code', source: 'a = 1' },
      ],
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const ids = (r.structuredContent as { cell_ids: string[] }).cell_ids;
    expect(ids).toHaveLength(2);

    r = await cli.call('create_notebook', { path: 'nb/edit.ipynb' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/already exists[\s\S]*overwrite/);

    r = await cli.call('insert_cell', { path: 'nb/edit.ipynb', after_cell_id: ids[0], source: 'b = 2' });
    expect(r.structuredContent).toMatchObject({ index: 1, total_cells: 3 });
    r = await cli.call('insert_cell', {
      path: 'nb/edit.ipynb',
      index: 0,
      cell_type: 'markdown',
      source: 'intro',
    });
    expect(r.structuredContent).toMatchObject({ index: 0, total_cells: 4 });

    r = await cli.call('update_cell', { path: 'nb/edit.ipynb', cell_id: ids[1], source: 'a = 10\nprint(a)' });
    expect(textOf(r)).toContain('+a = 10');
    r = await cli.call('edit_cell', {
      path: 'nb/edit.ipynb',
      cell_id: ids[1],
      old_string: 'a = 10',
      new_string: 'a = 11',
    });
    expect(r.structuredContent).toMatchObject({ replacements: 1 });
    expect((r.structuredContent as { diff: string }).diff).toMatch(/-a = 10\n\+a = 11/);
    r = await cli.call('edit_cell', {
      path: 'nb/edit.ipynb',
      cell_id: ids[1],
      old_string: 'nope',
      new_string: 'x',
    });
    expect(r.isError).toBe(true);

    r = await cli.call('move_cell', { path: 'nb/edit.ipynb', index: 0, to_index: 3 });
    expect(r.structuredContent).toMatchObject({ from: 0, to: 3 });
    r = await cli.call('delete_cells', { path: 'nb/edit.ipynb', indices: [3] });
    expect(r.structuredContent).toMatchObject({ total_cells: 3 });

    r = await cli.call('read_notebook', { path: 'nb/edit.ipynb', format: 'full' });
    const cells = (r.structuredContent as { cells: { source: string; cell_type: string }[] }).cells;
    expect(cells.map((c) => c.source)).toEqual(['# Title', 'b = 2', 'a = 11\nprint(a)']);
    r = await cli.call('read_cell', { path: 'nb/edit.ipynb', cell_id: ids[1] });
    expect(textOf(r)).toContain('a = 11');
    r = await cli.call('get_notebook_info', { path: 'nb/edit.ipynb' });
    expect(r.structuredContent).toMatchObject({
      kernelspec: 'python3',
      nbformat: '4.5',
      cells: { total: 3, code: 2, markdown: 1 },
    });

    r = await cli.call('list_files', { path: '', pattern: '**/*.ipynb', depth: 3 });
    expect((r.structuredContent as { entries: { path: string }[] }).entries.map((e) => e.path)).toContain(
      'nb/edit.ipynb',
    );

    // The file on disk is a valid nbformat notebook.
    const disk = JSON.parse(readFileSync(join(server.rootDir, 'nb/edit.ipynb'), 'utf8'));
    expect(disk.nbformat).toBe(4);
    expect(disk.cells).toHaveLength(3);
  });

  it('writes a whole notebook only when it is valid', async () => {
    const nb = {
      cells: [
        { cell_type: 'code', id: 'c1', source: 'print(1)', metadata: {}, outputs: [], execution_count: null },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    let r = await cli.call('write_notebook', { path: 'whole.ipynb', notebook: nb });
    expect(r.isError, textOf(r)).toBeFalsy();
    r = await cli.call('write_notebook', {
      path: 'whole.ipynb',
      notebook: { ...nb, cells: [{ cell_type: 'code', source: 1 }] },
      overwrite: true,
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/INVALID_NOTEBOOK[\s\S]*Nothing was written/);
    expect(JSON.parse(readFileSync(join(server.rootDir, 'whole.ipynb'), 'utf8')).cells[0].source).toEqual([
      'print(1)',
    ]);
  });

  it('reports the main error paths as isError results with what to do', async () => {
    let r = await cli.call('read_notebook', { path: 'missing.ipynb' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/NOT_FOUND[\s\S]*does not exist[\s\S]*What to do/);

    r = await cli.call('read_notebook', { path: '../outside.ipynb' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/OUTSIDE_ROOT/);
    r = await cli.call('read_notebook', { path: '/etc/passwd' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/OUTSIDE_ROOT/);

    const broken = '{"cells": [ this is not json';
    writeFileSync(join(server.rootDir, 'broken.ipynb'), broken);
    r = await cli.call('insert_cell', { path: 'broken.ipynb', source: 'x = 1' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/INVALID_NOTEBOOK[\s\S]*left untouched/);
    expect(readFileSync(join(server.rootDir, 'broken.ipynb'), 'utf8')).toBe(broken);

    await cli.call('create_notebook', { path: 'ids.ipynb', cells: [{ cell_type: 'code', source: '1' }] });
    r = await cli.call('read_cell', { path: 'ids.ipynb', cell_id: 'no-such-id' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/no-such-id[\s\S]*read_notebook/);
    r = await cli.call('read_cell', { path: 'ids.ipynb', index: 7 });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/out of range/);
  });

  it('runs code in the session default kernel, keeps state, and renders errors', async () => {
    let r = await cli.call('execute_code', { code: 'x = 40\nprint("hello")' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toContain('hello');
    r = await cli.call('execute_code', { code: 'x + 2' });
    expect(textOf(r)).toContain('42');
    const kernelId = (r.structuredContent as { kernel_id: string }).kernel_id;

    r = await cli.call('execute_code', { code: 'def f():\n    raise ValueError("bad value")\nf()' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/ValueError: bad value/);
    expect(textOf(r)).not.toMatch(/\x1b\[/);
    expect(r.structuredContent).toMatchObject({ status: 'error', error: { ename: 'ValueError' } });

    r = await cli.call('list_kernels');
    const k = (r.structuredContent as { kernels: { id: string; started_by_this_session: boolean }[] })
      .kernels;
    expect(k.find((x) => x.id === kernelId)?.started_by_this_session).toBe(true);
    r = await cli.call('get_kernel_status', { kernel_id: kernelId });
    expect(r.structuredContent).toMatchObject({ kernel_id: kernelId, execution_state: expect.any(String) });
  });

  it('executes a notebook cell in the notebook kernel and saves outputs', async () => {
    await cli.call('create_notebook', {
      path: 'run.ipynb',
      cells: [{ cell_type: 'code', source: 'y = 6 * 7\nprint(y)' }],
    });
    const r = await cli.call('execute_cell', { path: 'run.ipynb', index: 0 });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toContain('42');
    expect(r.structuredContent).toMatchObject({ saved: true, status: 'ok' });
    const disk = JSON.parse(readFileSync(join(server.rootDir, 'run.ipynb'), 'utf8'));
    expect(disk.cells[0].execution_count).toBe(1);
    expect(disk.cells[0].outputs[0]).toMatchObject({ output_type: 'stream', name: 'stdout', text: ['42\n'] });

    // The notebook's kernel is a Jupyter session, visible in list_kernels.
    const lk = await cli.call('list_kernels');
    expect(textOf(lk)).toContain('notebook=run.ipynb');
    const ins = await cli.call('insert_cell', { path: 'run.ipynb', source: 'y + 1', execute: true });
    expect(textOf(ins)).toContain('43');

    const cleared = await cli.call('clear_outputs', { path: 'run.ipynb' });
    expect(cleared.structuredContent).toMatchObject({ cleared: 2 });
    const stop = await cli.call('stop_kernel', { notebook_path: 'run.ipynb' });
    expect(stop.isError, textOf(stop)).toBeFalsy();
  });

  it('returns a PNG written by the test as image content', async () => {
    writeFileSync(join(server.rootDir, 'pixel.png'), PNG);
    const r = await cli.call('execute_code', {
      code: 'from IPython.display import Image, display\ndisplay(Image(filename="pixel.png"))',
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const img = r.content.find((c) => c.type === 'image') as { data: string; mimeType: string } | undefined;
    expect(img?.mimeType).toBe('image/png');
    expect(Buffer.from(img!.data, 'base64').equals(PNG)).toBe(true);
  });

  it('sends progress notifications for a slow cell', async () => {
    const seen: { progress: number; message?: string }[] = [];
    const r = await cli.call(
      'execute_code',
      { code: 'import time\nfor i in range(4):\n    print(f"tick {i}", flush=True)\n    time.sleep(0.3)' },
      { onprogress: (p) => seen.push(p) },
    );
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.some((p) => p.message?.includes('tick'))).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
  });

  it('interrupts the kernel when the client cancels a `while True` cell', async () => {
    await cli.call('execute_code', { code: 'survivor = "still here"' });
    const ac = new AbortController();
    const started = new Promise<void>((resolve) => {
      void cli
        .call(
          'execute_code',
          { code: 'import time\nprint("looping", flush=True)\nwhile True:\n    time.sleep(0.01)' },
          {
            signal: ac.signal,
            onprogress: (p) => {
              if (p.message?.includes('looping')) resolve();
            },
          },
        )
        .catch(() => {});
    });
    await started;
    ac.abort();
    // The next call on the same kernel runs: the loop was interrupted, and state survived.
    const r = await cli.call('execute_code', { code: 'print(survivor)' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toContain('still here');
  });

  it('interrupts a cell that runs past timeout_s and says so', async () => {
    const r = await cli.call('execute_code', { code: 'import time\ntime.sleep(60)', timeout_s: 1 });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/timed out after 1 s and was interrupted[\s\S]*timeout_s/);
    expect(r.structuredContent).toMatchObject({ status: 'timeout' });
    const next = await cli.call('execute_code', { code: '"alive"' });
    expect(textOf(next)).toContain('alive');
  });

  it('bounds the result of a cell printing 50 MB', async () => {
    const r = await cli.call('execute_code', {
      code: 'import sys\nchunk = "x" * (1024 * 1024)\nfor i in range(50):\n    sys.stdout.write(chunk)\nprint("\\nEND")',
      timeout_s: 300,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const text = textOf(r);
    expect(text.length).toBeLessThanOrEqual(OUTPUT_LIMIT + 500);
    expect(text).toMatch(/characters omitted/);
    expect(text).toContain('END');
    expect(JSON.stringify(r).length).toBeLessThan(3 * OUTPUT_LIMIT);
  }, 300_000);

  it('reports a dead kernel and a stopped kernel as errors', async () => {
    const st = await cli.call('start_kernel', {});
    const id = (st.structuredContent as { kernel_id: string }).kernel_id;
    const died = await cli.call('execute_code', {
      kernel_id: id,
      code: 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)',
    });
    expect(died.isError).toBe(true);
    expect(textOf(died)).toMatch(/KERNEL_DEAD|died|restart/i);

    const stopped = await cli.call('stop_kernel', { kernel_id: id });
    expect(stopped.isError, textOf(stopped)).toBeFalsy();
    const r = await cli.call('execute_code', { kernel_id: id, code: '1' });
    expect(r.isError, textOf(r)).toBe(true);
    expect(textOf(r)).toMatch(/KERNEL_NOT_FOUND|no longer exists|No running kernel/i);
    const s = await cli.call('get_kernel_status', { kernel_id: id });
    expect(s.isError).toBe(true);
  });

  it('restarts and interrupts kernels, lists kernelspecs and server info, cleans up', async () => {
    let r = await cli.call('list_kernelspecs');
    expect(r.structuredContent).toMatchObject({ default: 'python3' });
    r = await cli.call('execute_code', { code: 'z = 1' });
    const id = (r.structuredContent as { kernel_id: string }).kernel_id;
    r = await cli.call('interrupt_kernel', { kernel_id: id });
    expect(r.isError, textOf(r)).toBeFalsy();
    r = await cli.call('restart_kernel', { kernel_id: id });
    expect(r.isError, textOf(r)).toBeFalsy();
    r = await cli.call('execute_code', { code: "'z' in globals()" });
    expect(textOf(r)).toContain('False');

    r = await cli.call('get_server_info');
    expect(r.structuredContent).toMatchObject({ mode: 'external', auth_method: 'token-header', state: 'ok' });
    expect(r.structuredContent).toMatchObject({ jupyter_server_version: expect.stringMatching(/^2\./) });
    r = await cli.call('start_jupyter_server');
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/NOT_MANAGED/);

    r = await cli.call('cleanup_kernels');
    expect((r.structuredContent as { stopped: string[] }).stopped.length).toBeGreaterThan(0);
  });

  it('forwards logs as MCP log messages once the client sets a level', async () => {
    const got: { level: string; data: unknown }[] = [];
    cli.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      got.push(n.params);
    });
    await cli.client.setLoggingLevel('debug');
    await cli.call('read_notebook', { path: 'not-there-for-logs.ipynb' });
    await waitFor(
      () => got.some((m) => JSON.stringify(m.data).includes('not-there-for-logs')),
      20_000,
      'a log message',
    );
    expect(got.every((m) => ['debug', 'info', 'warning', 'error'].includes(m.level))).toBe(true);
    await cli.client.setLoggingLevel('error');
  });

  it('keeps stdout JSON-RPC only and never leaks the token', async () => {
    const lines = cli.stdoutLines();
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    for (const r of cli.results) expect(JSON.stringify(r)).not.toContain(server.token);
    expect(cli.stderr()).not.toContain(server.token);
  });

  it('stops the kernels this session started when the client disconnects (and only those)', async () => {
    const headers = { Authorization: `token ${server.token}` };
    // A kernel someone else started must survive.
    const other = (await (
      await fetch(`${server.url}api/kernels`, { method: 'POST', headers, body: '{}' })
    ).json()) as { id: string };
    const r = await cli.call('execute_code', { code: '1' });
    const mine = (r.structuredContent as { kernel_id: string }).kernel_id;
    await cli.close();
    const ids = async () =>
      ((await (await fetch(`${server.url}api/kernels`, { headers })).json()) as { id: string }[]).map(
        (k) => k.id,
      );
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await ids()).includes(mine))
      await new Promise((res) => setTimeout(res, 200));
    const left = await ids();
    expect(left).not.toContain(mine);
    expect(left).toContain(other.id);
  });
});
