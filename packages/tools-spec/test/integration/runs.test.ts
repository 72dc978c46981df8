/**
 * execute_notebook against a real Jupyter Server, with papermill (from the venv) as the reference.
 * One server for the file; each test writes its own notebooks under the server root.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JupyterServerHandle, runPython, startJupyter, venvBin } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code, connectTools, markdown, notebookJson, type ToolsHarness, textOf } from '../runs/helpers.js';

type Nb = {
  cells: {
    cell_type: string;
    id?: string;
    source: string | string[];
    metadata: Record<string, unknown> & { papermill?: Record<string, unknown>; tags?: string[] };
    outputs?: { output_type: string; name?: string; text?: string | string[]; ename?: string }[];
    execution_count?: number | null;
  }[];
  metadata: Record<string, unknown> & { papermill?: Record<string, unknown> };
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

function write(name: string, cells: unknown[]): string {
  const text = notebookJson(cells);
  writeFileSync(join(jupyter.rootDir, name), text);
  return text;
}
function read(name: string): Nb {
  return JSON.parse(readFileSync(join(jupyter.rootDir, name), 'utf8')) as Nb;
}
const joinText = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : (t ?? ''));

/** Per code cell (error markers left out): the stream outputs as `name:text`. */
function streams(nb: Nb): string[][] {
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) =>
      (c.outputs ?? []).filter((o) => o.output_type === 'stream').map((o) => `${o.name}:${joinText(o.text)}`),
    );
}

async function validate(name: string): Promise<void> {
  await runPython(
    'import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print("ok")',
    [join(jupyter.rootDir, name)],
  );
}

function papermill(input: string, output: string, params: Record<string, unknown>): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      join(venvBin, 'papermill'),
      [input, output, '-y', JSON.stringify(params), '--no-progress-bar', '--kernel', 'python3'],
      { cwd: jupyter.rootDir, timeout: 120_000 },
      (err) => resolve(err ? Number((err as { code?: number }).code ?? 1) : 0),
    );
  });
}

const PARAMS = {
  alpha: 0.5,
  n: 3,
  name: 'q3 "report" é',
  flags: [true, false, null],
  opts: { depth: 2, tag: 'x' },
};

describe('execute_notebook (papermill parity)', () => {
  it('gives the same stream outputs and parameters as papermill; both validate; the input is untouched', async () => {
    const input = write('parity.ipynb', [
      markdown('# Report', 'm1'),
      code('alpha = 0.1\nn = 1\nname = "x"\nflags = []\nopts = {}', 'params', ['parameters']),
      code('print(alpha, n, name)\nprint(flags, sorted(opts.items()))', 'c1'),
      code('import sys\nfor i in range(n):\n    print("line", i)\nprint("warn", file=sys.stderr)', 'c2'),
      code('total = alpha * n\ntotal', 'c3'),
    ]);
    expect(await papermill('parity.ipynb', 'parity-pm.ipynb', PARAMS)).toBe(0);

    const progress: number[] = [];
    const r = await tools.call(
      'execute_notebook',
      { path: 'parity.ipynb', output_path: 'out/parity-ours.ipynb', parameters: PARAMS },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(r.structuredContent?.status).toBe('completed');
    expect(r.structuredContent?.cells_total).toBe(5);
    // started + finished per code cell, increasing
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const pm = read('parity-pm.ipynb');
    const ours = read('out/parity-ours.ipynb');
    expect(streams(ours)).toEqual(streams(pm));
    expect(ours.metadata.papermill?.parameters).toEqual(pm.metadata.papermill?.parameters);
    expect(ours.cells.map((c) => c.metadata.tags ?? [])).toEqual(
      pm.cells.map((c) => (c.metadata.tags?.length ? c.metadata.tags : [])),
    );
    // papermill's bookkeeping, cell by cell
    for (const c of ours.cells) {
      expect(c.metadata.papermill?.status).toBe('completed');
      expect(c.metadata.papermill?.exception).toBe(false);
      expect(typeof c.metadata.papermill?.duration).toBe('number');
    }
    expect(ours.cells.filter((c) => c.cell_type === 'code').map((c) => c.execution_count)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    const top = ours.metadata.papermill!;
    expect(top.exception).toBeNull();
    expect(top.input_path).toBe('parity.ipynb');
    expect(top.output_path).toBe('out/parity-ours.ipynb');
    expect(String(top.start_time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    expect(typeof top.duration).toBe('number');
    await validate('parity-pm.ipynb');
    await validate('out/parity-ours.ipynb');
    expect(readFileSync(join(jupyter.rootDir, 'parity.ipynb'), 'utf8')).toBe(input);
  }, 180_000);

  it('stops at a failing second cell like papermill: error saved, cell marked, markers, isError naming the cell', async () => {
    const input = write('fails.ipynb', [
      code('print("one")', 'a1'),
      code('raise ValueError("bad input 42")', 'a2'),
      code('print("never")', 'a3'),
    ]);
    expect(await papermill('fails.ipynb', 'fails-pm.ipynb', {})).not.toBe(0);
    const r = await tools.call('execute_notebook', { path: 'fails.ipynb', output_path: 'fails-ours.ipynb' });
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toContain('ValueError');
    expect(text).toContain('bad input 42');
    expect(text).toContain('fails-ours.ipynb');
    const err = (r.structuredContent!.errors as { index: number; ename: string; cell_id: string }[])[0]!;
    expect(err.ename).toBe('ValueError');
    expect(err.cell_id).toBe('a2');

    const pm = read('fails-pm.ipynb');
    const ours = read('fails-ours.ipynb');
    expect(ours.cells.map((c) => c.id ?? c.cell_type).length).toBe(pm.cells.length);
    expect(ours.cells[err.index]!.id).toBe('a2');
    expect(streams(ours)).toEqual(streams(pm));
    const status = (nb: Nb) => nb.cells.map((c) => c.metadata.papermill?.status ?? 'marker');
    expect(status(ours)).toEqual(status(pm));
    expect(ours.cells[err.index]!.outputs!.some((o) => o.ename === 'ValueError')).toBe(true);
    expect(ours.metadata.papermill?.exception).toBe(true);
    await validate('fails-ours.ipynb');
    expect(readFileSync(join(jupyter.rootDir, 'fails.ipynb'), 'utf8')).toBe(input);
  }, 180_000);

  it('continue_on_error runs the cells after a failure', async () => {
    write('cont.ipynb', [code('print("one")', 'b1'), code('1/0', 'b2'), code('print("after")', 'b3')]);
    const r = await tools.call('execute_notebook', {
      path: 'cont.ipynb',
      output_path: 'cont-out.ipynb',
      continue_on_error: true,
      report: 'full',
    });
    expect(r.structuredContent?.status).toBe('completed');
    expect(textOf(r)).toContain('ZeroDivisionError');
    expect(textOf(r)).toContain('after');
    const nb = read('cont-out.ipynb');
    const b3 = nb.cells.find((c) => c.id === 'b3')!;
    expect(b3.metadata.papermill?.status).toBe('completed');
    expect(joinText(b3.outputs![0]!.text)).toBe('after\n');
    expect(nb.cells.find((c) => c.id === 'b2')!.metadata.papermill?.status).toBe('failed');
  }, 180_000);

  it('a cell over timeout_s is interrupted and marked failed; the run stops', async () => {
    write('slow.ipynb', [
      code('print("start")', 's1'),
      code('import time\nprint("sleeping", flush=True)\ntime.sleep(60)', 's2'),
      code('print("never")', 's3'),
    ]);
    const r = await tools.call('execute_notebook', {
      path: 'slow.ipynb',
      output_path: 'slow-out.ipynb',
      timeout_s: 2,
    });
    expect(r.isError).toBe(true);
    const err = (r.structuredContent!.errors as { ename: string; cell_id: string }[])[0]!;
    expect(err.ename).toBe('CellTimeoutError');
    expect(err.cell_id).toBe('s2');
    const nb = read('slow-out.ipynb');
    const s2 = nb.cells.find((c) => c.id === 's2')!;
    expect(s2.metadata.papermill?.status).toBe('failed');
    expect(joinText(s2.outputs?.[0]?.text)).toContain('sleeping');
    expect(nb.cells.find((c) => c.id === 's3')!.metadata.papermill?.status).toBe('pending');
    await validate('slow-out.ipynb');
  }, 180_000);

  it('start_index/end_index run part of the notebook; parameters still apply', async () => {
    write('range.ipynb', [
      code('x = 1', 'r0', ['parameters']),
      code('print("r1", x)', 'r1'),
      code('print("r2", x)', 'r2'),
      code('print("r3", x)', 'r3'),
    ]);
    const r = await tools.call('execute_notebook', {
      path: 'range.ipynb',
      output_path: 'range-out.ipynb',
      parameters: { x: 7 },
      start_index: 2,
      end_index: 2,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const nb = read('range-out.ipynb');
    expect(nb.cells.find((c) => c.id === 'r2')!.outputs).toEqual([
      { name: 'stdout', output_type: 'stream', text: ['r2 7\n'] },
    ]);
    expect(nb.cells.find((c) => c.id === 'r1')!.outputs).toEqual([]);
    expect(nb.cells.find((c) => c.id === 'r3')!.metadata.papermill).toBeUndefined();
  }, 180_000);

  it('runs in place with conflict detection when no output_path is given', async () => {
    write('inplace.ipynb', [code('print("here")', 'p1')]);
    const r = await tools.call('execute_notebook', { path: 'inplace.ipynb', report: 'minimal' });
    expect(r.isError, textOf(r)).toBeFalsy();
    const nb = read('inplace.ipynb');
    expect(joinText(nb.cells[0]!.outputs![0]!.text)).toBe('here\n');
    expect(nb.metadata.papermill?.output_path).toBe('inplace.ipynb');
  }, 180_000);
});

describe('execute_notebook in the foreground', () => {
  it("runs the kernel in the notebook's directory", async () => {
    mkdirSync(join(jupyter.rootDir, 'sub'), { recursive: true });
    writeFileSync(join(jupyter.rootDir, 'sub', 'data.txt'), 'beside the notebook');
    write('sub/cwd.ipynb', [code('print(open("data.txt").read())', 'w1')]);
    const r = await tools.call('execute_notebook', { path: 'sub/cwd.ipynb', output_path: 'cwd-out.ipynb' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(textOf(r)).toContain('beside the notebook');
  }, 180_000);

  it('a cancelled request interrupts the cell and saves what ran', async () => {
    write('abort.ipynb', [
      code('print("done first")', 'x1'),
      code('import time\nprint("in second", flush=True)\ntime.sleep(120)', 'x2'),
    ]);
    const abort = new AbortController();
    const call = tools.call(
      'execute_notebook',
      { path: 'abort.ipynb', output_path: 'abort-out.ipynb' },
      {
        signal: abort.signal,
        onprogress: (p) => {
          if (p.message?.includes('in second')) abort.abort();
        },
      },
    );
    await expect(call).rejects.toThrow();
    // The run saves after the interrupt; wait for the final save (end_time set).
    const deadline = Date.now() + 60_000;
    let nb = read('abort-out.ipynb');
    while (!nb.metadata.papermill?.end_time && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 100));
      nb = read('abort-out.ipynb');
    }
    expect(nb.cells[0]!.metadata.papermill?.status).toBe('completed');
    expect(nb.cells[1]!.metadata.papermill?.status).toBe('failed');
    expect(joinText(nb.cells[1]!.outputs?.[0]?.text)).toBe('in second\n');
  }, 180_000);
});

describe('execute_notebook bad input: clear errors, nothing written', () => {
  it('missing notebook, broken JSON, unknown kernel, parameters not an object, bad parameter name', async () => {
    const missing = await tools.call('execute_notebook', { path: 'nope.ipynb', output_path: 'x1.ipynb' });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/NOT_FOUND.*nope\.ipynb/s);

    writeFileSync(join(jupyter.rootDir, 'broken.ipynb'), '{"cells": [');
    const broken = await tools.call('execute_notebook', { path: 'broken.ipynb', output_path: 'x2.ipynb' });
    expect(broken.isError).toBe(true);
    expect(textOf(broken)).toContain('INVALID_NOTEBOOK');
    expect(readFileSync(join(jupyter.rootDir, 'broken.ipynb'), 'utf8')).toBe('{"cells": [');

    write('ok.ipynb', [code('print(1)', 'k1')]);
    const kernel = await tools.call('execute_notebook', {
      path: 'ok.ipynb',
      output_path: 'x3.ipynb',
      kernel_name: 'no-such-kernel',
    });
    expect(kernel.isError).toBe(true);
    expect(textOf(kernel)).toContain("No kernel named 'no-such-kernel'");

    const params = await tools.call('execute_notebook', {
      path: 'ok.ipynb',
      output_path: 'x4.ipynb',
      parameters: [1, 2] as unknown as Record<string, unknown>,
    });
    expect(params.isError).toBe(true);
    // Malformed arguments: an isError result naming the argument, what is expected and what was given.
    expect(textOf(params)).toBe(
      'Invalid arguments for execute_notebook: `parameters` must be an object; got an array of 2.',
    );

    const name = await tools.call('execute_notebook', {
      path: 'ok.ipynb',
      output_path: 'x5.ipynb',
      parameters: { 'not a name': 1 },
    });
    expect(name.isError).toBe(true);
    expect(textOf(name)).toContain('not a name');

    const kid = await tools.call('execute_notebook', {
      path: 'ok.ipynb',
      output_path: 'x6.ipynb',
      kernel_id: '00000000-0000-0000-0000-000000000000',
    });
    expect(kid.isError).toBe(true);
    expect(textOf(kid)).toContain('KERNEL_NOT_FOUND');

    const ls = await runPython(
      'import os,sys; print(sorted(f for f in os.listdir(sys.argv[1]) if f.startswith("x")))',
      [jupyter.rootDir],
    );
    expect(ls.trim()).toBe('[]');
  }, 180_000);
});
