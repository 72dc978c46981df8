/**
 * execute_notebook end to end: the built jupyter-mcp CLI over stdio (SDK client) against a real
 * Jupyter Server — progress notifications, a background job polled through get_job, and a job still
 * running when the client disconnects (saved, its kernel stopped, no process left).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  descendants,
  isAlive,
  type JupyterServerHandle,
  runPython,
  startJupyter,
} from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSession, connectCli, textOf, waitFor } from './cli-client.js';

let server: JupyterServerHandle;
let cli: CliSession;

function cell(source: string, id: string) {
  return { cell_type: 'code', execution_count: null, id, metadata: {}, outputs: [], source };
}
function writeNotebook(name: string, cells: unknown[]): string {
  const text = `${JSON.stringify(
    {
      cells,
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  )}\n`;
  writeFileSync(join(server.rootDir, name), text);
  return text;
}
type Nb = {
  cells: {
    id: string;
    metadata: { papermill?: { status?: string } };
    outputs: { text?: string[]; ename?: string }[];
  }[];
  metadata: { papermill?: { parameters?: unknown; end_time?: unknown } };
};
const readNotebook = (name: string) => JSON.parse(readFileSync(join(server.rootDir, name), 'utf8')) as Nb;

function connect(): Promise<CliSession> {
  return connectCli({
    args: ['--url', server.url, '--root', server.rootDir],
    env: { JUPYTER_TOKEN: server.token },
  });
}

beforeAll(async () => {
  server = await startJupyter();
  cli = await connect();
});
afterAll(async () => {
  await cli?.close();
  await server?.stop();
});

describe('execute_notebook over stdio', () => {
  it('runs a parameterised notebook with progress per cell; stdout carries JSON-RPC only', async () => {
    const input = writeNotebook('e2e.ipynb', [
      { ...cell('n = 1', 'p'), metadata: { tags: ['parameters'] } },
      cell('print("n is", n)', 'a'),
      cell('print(sum(range(n)))', 'b'),
    ]);
    const progress: { progress: number; total?: number; message?: string }[] = [];
    const r = await cli.call(
      'execute_notebook',
      { path: 'e2e.ipynb', output_path: 'runs/e2e-out.ipynb', parameters: { n: 5 } },
      { onprogress: (p) => progress.push(p) },
    );
    expect(r.isError, textOf(r)).toBeFalsy();
    expect((r.structuredContent as { status: string }).status).toBe('completed');
    // 4 code cells (parameters + injected + 2): a start and an end notification each
    expect(progress.filter((p) => p.message?.includes('started'))).toHaveLength(4);
    expect(progress.filter((p) => / completed/.test(p.message ?? ''))).toHaveLength(4);
    expect(progress.every((p) => p.total === 4)).toBe(true);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);

    const out = readNotebook('runs/e2e-out.ipynb');
    expect(out.metadata.papermill?.parameters).toEqual({ n: 5 });
    expect(out.cells.map((c) => c.outputs.map((o) => o.text?.join('')).join(''))).toEqual([
      '',
      '',
      'n is 5\n',
      '10\n',
    ]);
    await runPython('import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))', [
      join(server.rootDir, 'runs/e2e-out.ipynb'),
    ]);
    expect(readFileSync(join(server.rootDir, 'e2e.ipynb'), 'utf8')).toBe(input);
    for (const line of cli.stdoutLines()) expect(JSON.parse(line).jsonrpc).toBe('2.0');
  }, 180_000);

  it('runs a background job to completion through get_job and lists it', async () => {
    writeNotebook(
      'bg.ipynb',
      [0, 1, 2].map((i) => cell(`import time\ntime.sleep(0.2)\nprint(${i})`, `c${i}`)),
    );
    const r = await cli.call('execute_notebook', {
      path: 'bg.ipynb',
      output_path: 'bg-out.ipynb',
      background: true,
    });
    const jobId = (r.structuredContent as { job_id: string }).job_id;
    expect(jobId).toMatch(/^job-/);
    let status = 'running';
    const deadline = Date.now() + 120_000;
    while (status === 'running' && Date.now() < deadline) {
      const s = await cli.call('get_job', { job_id: jobId });
      status = (s.structuredContent as { status: string }).status;
      if (status === 'running') await new Promise((res) => setTimeout(res, 200));
    }
    expect(status).toBe('completed');
    const listed = await cli.call('list_jobs', {});
    expect(textOf(listed)).toContain(jobId);
    expect(readNotebook('bg-out.ipynb').cells.map((c) => c.outputs[0]?.text?.join(''))).toEqual([
      '0\n',
      '1\n',
      '2\n',
    ]);
  }, 180_000);

  it('a job still running when the client disconnects is cancelled, saved, and leaves no kernel process', async () => {
    const own = await connect();
    writeNotebook('shutdown.ipynb', [
      cell('print("first")', 's1'),
      cell('import time\nprint("waiting", flush=True)\ntime.sleep(300)', 's2'),
    ]);
    const r = await own.call('execute_notebook', {
      path: 'shutdown.ipynb',
      output_path: 'shutdown-out.ipynb',
      background: true,
    });
    const jobId = (r.structuredContent as { job_id: string }).job_id;
    for (let i = 0; i < 600; i++) {
      const s = await own.call('get_job', { job_id: jobId });
      if (
        (s.structuredContent as { current_cell: { cell_id: string } | null }).current_cell?.cell_id === 's2'
      )
        break;
      await new Promise((res) => setTimeout(res, 200));
    }
    const before = descendants(server.pid);
    expect(before.length).toBeGreaterThan(0);
    const pid = own.pid;
    await own.close();
    await waitFor(() => !isAlive(pid), 60_000, 'jupyter-mcp to exit');

    const nb = readNotebook('shutdown-out.ipynb');
    expect(nb.cells[0]!.metadata.papermill?.status).toBe('completed');
    expect(nb.cells[1]!.metadata.papermill?.status).toBe('failed');
    expect(nb.cells[1]!.outputs.map((o) => o.text?.join('') ?? o.ename)).toEqual([
      'waiting\n',
      'KeyboardInterrupt',
    ]);
    expect(nb.metadata.papermill?.end_time).toEqual(expect.any(String));
    await waitFor(() => before.every((p) => !isAlive(p)), 30_000, 'the job kernel to exit');
  }, 180_000);
});
