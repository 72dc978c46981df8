/**
 * Background notebook jobs against a real Jupyter Server: polled to completion, listed per session,
 * cancelled mid-run (kernel interrupted, partial notebook saved, no kernel process left), conflicts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { descendants, type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code, connectTools, notebookJson, type ToolsHarness, textOf } from '../runs/helpers.js';

type Nb = {
  cells: {
    id?: string;
    metadata: { papermill?: Record<string, unknown> };
    outputs?: { output_type: string; text?: string[]; ename?: string }[];
  }[];
  metadata: { papermill?: Record<string, unknown> };
};

let jupyter: JupyterServerHandle;
let tools: ToolsHarness;

beforeAll(async () => {
  jupyter = await startJupyter();
  tools = await connectTools(jupyter);
});
afterAll(async () => {
  await tools?.close();
  await jupyter?.stop();
});

const write = (name: string, cells: unknown[]) =>
  writeFileSync(join(jupyter.rootDir, name), notebookJson(cells));
const read = (name: string) => JSON.parse(readFileSync(join(jupyter.rootDir, name), 'utf8')) as Nb;

/** Poll a tool (the API under test) until `done` says so. */
async function pollJob(
  jobId: string,
  done: (s: Record<string, unknown>) => boolean,
  timeoutMs = 120_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await tools.call('get_job', { job_id: jobId });
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = r.structuredContent!;
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`job ${jobId} never reached the state: ${JSON.stringify(s)}`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function kernelProcesses(): Promise<number[]> {
  return descendants(jupyter.pid);
}

describe('background notebook jobs', () => {
  it('returns a job_id at once; get_job reports progress until completed; list_jobs is per session', async () => {
    write(
      'bg.ipynb',
      [0, 1, 2, 3, 4].map((i) => code(`import time\ntime.sleep(0.3)\nprint("cell ${i}")`, `bg${i}`)),
    );
    const r = await tools.call('execute_notebook', {
      path: 'bg.ipynb',
      output_path: 'bg-out.ipynb',
      background: true,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const jobId = r.structuredContent!.job_id as string;
    expect(jobId).toMatch(/^job-/);
    expect(r.structuredContent!.status).toBe('running');
    expect(r.structuredContent!.cells_total).toBe(5);

    const seen = new Set<number>();
    const final = await pollJob(jobId, (s) => {
      seen.add(s.cells_done as number);
      return s.status !== 'running';
    });
    expect(final.status).toBe('completed');
    expect(final.cells_done).toBe(5);
    expect(final.cells_total).toBe(5);
    expect(final.errors).toEqual([]);
    expect(seen.size).toBeGreaterThan(1); // progress was visible while it ran
    const nb = read('bg-out.ipynb');
    expect(nb.cells.map((c) => c.outputs?.[0]?.text?.join(''))).toEqual(
      [0, 1, 2, 3, 4].map((i) => `cell ${i}\n`),
    );

    const withOutputs = await tools.call('get_job', { job_id: jobId, include_outputs: true });
    expect(textOf(withOutputs)).toContain('cell 4');

    const mine = await tools.call('list_jobs', {});
    expect((mine.structuredContent!.jobs as { job_id: string }[]).map((j) => j.job_id)).toContain(jobId);

    // Another MCP session (a reconnecting client) sees the job by id but does not list it as its own.
    const other = await tools.connectAnother();
    try {
      const listed = (await other.client.callTool({ name: 'list_jobs', arguments: {} })) as unknown as {
        structuredContent: { jobs: unknown[] };
      };
      expect(listed.structuredContent.jobs).toEqual([]);
      const all = (await other.client.callTool({
        name: 'list_jobs',
        arguments: { all_sessions: true },
      })) as unknown as { structuredContent: { jobs: { job_id: string }[] } };
      expect(all.structuredContent.jobs.map((j) => j.job_id)).toContain(jobId);
      const got = (await other.client.callTool({
        name: 'get_job',
        arguments: { job_id: jobId },
      })) as unknown as {
        structuredContent: { status: string };
      };
      expect(got.structuredContent.status).toBe('completed');
    } finally {
      await other.close();
    }
  }, 180_000);

  it('cancel_job interrupts the kernel, saves what ran, marks the job cancelled and leaves no kernel process', async () => {
    write('long.ipynb', [
      code('print("first")', 'l1'),
      code('import time\nprint("going", flush=True)\ntime.sleep(120)\nprint("not reached")', 'l2'),
      code('print("never")', 'l3'),
    ]);
    const r = await tools.call('execute_notebook', {
      path: 'long.ipynb',
      output_path: 'long-out.ipynb',
      background: true,
    });
    const jobId = r.structuredContent!.job_id as string;
    const running = await pollJob(
      jobId,
      (s) => (s.current_cell as { cell_id: string } | null)?.cell_id === 'l2' || s.status !== 'running',
    );
    expect(running.status).toBe('running');
    expect(running.cells_done).toBe(1);
    expect((await kernelProcesses()).length).toBeGreaterThan(0);
    const live = await tools.call('get_job', { job_id: jobId, include_outputs: true });
    expect(textOf(live)).toContain('--- cell 0 (completed) ---\nfirst');

    const c = await tools.call('cancel_job', { job_id: jobId });
    expect(c.isError, textOf(c)).toBeFalsy();
    expect(c.structuredContent!.status).toBe('cancelled');
    expect(textOf(c)).toContain('long-out.ipynb');

    const nb = read('long-out.ipynb');
    const [l1, l2, l3] = nb.cells;
    expect(l1!.metadata.papermill?.status).toBe('completed');
    expect(l2!.metadata.papermill?.status).toBe('failed');
    expect(l2!.outputs!.map((o) => o.text?.join('') ?? o.ename)).toEqual(['going\n', 'KeyboardInterrupt']);
    expect(l3!.metadata.papermill?.status).toBe('pending');
    expect(nb.metadata.papermill?.end_time).toEqual(expect.any(String));

    // The kernel the job started is gone, and so is its process.
    const kernels = (await (
      await fetch(`${jupyter.url}api/kernels`, { headers: { Authorization: `token ${jupyter.token}` } })
    ).json()) as { id: string }[];
    expect(kernels.map((k) => k.id)).not.toContain(c.structuredContent!.kernel_id);
    // Jupyter reaps the kernel process when the shutdown returns; allow it a moment on a loaded machine.
    const deadline = Date.now() + 30_000;
    while ((await kernelProcesses()).length && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 100));
    expect(await kernelProcesses()).toEqual([]);

    const again = await tools.call('cancel_job', { job_id: jobId });
    expect(textOf(again)).toContain('already ended');
  }, 180_000);

  it('an in-place run stops with a conflict when someone else saves the notebook meanwhile', async () => {
    write('conflict.ipynb', [code('import time\ntime.sleep(3)\nprint("a")', 'k1'), code('print("b")', 'k2')]);
    const r = await tools.call('execute_notebook', { path: 'conflict.ipynb', background: true });
    const jobId = r.structuredContent!.job_id as string;
    await pollJob(jobId, () =>
      readFileSync(join(jupyter.rootDir, 'conflict.ipynb'), 'utf8').includes('"papermill"'),
    );
    const theirs = notebookJson([code('print("edited by someone else")', 'z1')]);
    writeFileSync(join(jupyter.rootDir, 'conflict.ipynb'), theirs);
    const final = await pollJob(jobId, (s) => s.status !== 'running');
    expect(final.status).toBe('failed');
    const got = await tools.call('get_job', { job_id: jobId });
    expect(textOf(got)).toMatch(/changed on the Jupyter Server/);
    expect(readFileSync(join(jupyter.rootDir, 'conflict.ipynb'), 'utf8')).toBe(theirs);
  }, 180_000);

  it('unknown job ids and servers without jobs give clear errors', async () => {
    const unknown = await tools.call('get_job', { job_id: 'job-nope' });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain("No notebook job has the id 'job-nope'");

    const stateless = await connectTools(jupyter, { jobs: false });
    try {
      write('nojobs.ipynb', [code('print(1)', 'n1')]);
      const r = await stateless.call('execute_notebook', {
        path: 'nojobs.ipynb',
        output_path: 'nojobs-out.ipynb',
        background: true,
      });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toContain('Background runs are not available');
      // The foreground still works without a registry.
      const fg = await stateless.call('execute_notebook', {
        path: 'nojobs.ipynb',
        output_path: 'nojobs-out.ipynb',
      });
      expect(fg.isError, textOf(fg)).toBeFalsy();
      const lj = await stateless.call('list_jobs', {});
      expect(lj.isError).toBe(true);
    } finally {
      await stateless.close();
    }
  }, 180_000);
});
