import type { ExecuteOptions, ExecutionResult } from '@jupyter-mcp/kernel-client';
import { type Notebook, parseNotebook, serializeNotebook } from '@jupyter-mcp/notebook-model';
import { describe, expect, it } from 'vitest';
import { ERROR_MARKER_TAG, prepareRun } from '../../src/runs/papermill.js';
import { applyOutputEvent, type RunEvent, type RunKernel, runNotebook } from '../../src/runs/runner.js';
import { code, markdown, notebookJson } from './helpers.js';

/**
 * A kernel that follows its code: `print:X` prints X, `raise:E` fails with E, `timeout` times out,
 * `hang` waits for the abort signal, `die` rejects as a dead kernel.
 */
class ScriptKernel implements RunKernel {
  readonly id = 'k-1';
  readonly name = 'python3';
  readonly languageInfo = { name: 'python', version: '3.x' };
  count = 0;
  readonly ran: string[] = [];
  async execute(src: string, options: ExecuteOptions): Promise<ExecutionResult> {
    this.ran.push(src);
    const n = ++this.count;
    const base = { executionCount: n, durationMs: 1, warnings: [] };
    const [cmd, arg = ''] = src.split(':');
    if (cmd === 'print') {
      const out = { output_type: 'stream' as const, name: 'stdout' as const, text: `${arg}\n` };
      options.onOutput?.({ kind: 'output', output: out });
      return { ...base, status: 'ok', outputs: [out] };
    }
    if (cmd === 'raise')
      return {
        ...base,
        status: 'error',
        outputs: [{ output_type: 'error', ename: arg, evalue: 'boom', traceback: [`${arg}: boom`] }],
        error: { ename: arg, evalue: 'boom' },
      };
    if (cmd === 'timeout') return { ...base, status: 'timeout', outputs: [] };
    if (cmd === 'hang')
      return new Promise((resolve) => {
        const done = () =>
          resolve({
            ...base,
            status: 'interrupted',
            outputs: [{ output_type: 'error', ename: 'KeyboardInterrupt', evalue: '', traceback: [] }],
          });
        if (options.signal?.aborted) done();
        options.signal?.addEventListener('abort', done, { once: true });
      });
    if (cmd === 'slow') {
      const out = { output_type: 'stream' as const, name: 'stdout' as const, text: 'partial\n' };
      options.onOutput?.({ kind: 'output', output: out });
      await new Promise((r) => setTimeout(r, 400));
      return { ...base, status: 'ok', outputs: [out] };
    }
    if (cmd === 'die') throw Object.assign(new Error('kernel died'), { code: 'KERNEL_DIED' });
    return { ...base, status: 'ok', outputs: [] };
  }
}

function nb(cells: unknown[]): Notebook {
  return parseNotebook(notebookJson(cells));
}

function setup(cells: unknown[], params: Record<string, string | number> = {}) {
  const input = nb(cells);
  const prepared = prepareRun(input, {
    parameters: params,
    inputPath: 'in.ipynb',
    outputPath: 'out.ipynb',
  });
  const saves: string[] = [];
  const events: RunEvent[] = [];
  const kernel = new ScriptKernel();
  return {
    input,
    prepared,
    saves,
    events,
    kernel,
    run: (extra: Partial<Parameters<typeof runNotebook>[0]> = {}) =>
      runNotebook({
        prepared,
        kernel,
        save: async (n) => {
          saves.push(serializeNotebook(n));
        },
        onEvent: (e) => events.push(e),
        saveIntervalMs: 0,
        ...extra,
      }),
  };
}

const pm = (n: Notebook, i: number) => n.cells[i]!.metadata.papermill as Record<string, unknown>;

describe('runNotebook', () => {
  it('runs every cell, records papermill metadata and execution counts, saves progressively', async () => {
    const t = setup([markdown('# t', 'm'), code('print:a', 'c1'), code('print:b', 'c2')]);
    const r = await t.run();
    expect(r.status).toBe('completed');
    expect(r.total).toBe(2);
    expect(t.kernel.ran).toEqual(['print:a', 'print:b']);
    const out = r.notebook;
    expect(out.cells.map((c) => (c.cell_type === 'code' ? c.execution_count : null))).toEqual([null, 1, 2]);
    for (let i = 0; i < 3; i++) {
      expect(pm(out, i).status).toBe('completed');
      expect(pm(out, i).exception).toBe(false);
    }
    const top = out.metadata.papermill as Record<string, unknown>;
    expect(top.exception).toBeNull();
    expect(top.parameters).toEqual({});
    expect(top.input_path).toBe('in.ipynb');
    expect(out.metadata.language_info).toEqual({ name: 'python', version: '3.x' });
    // first save (all pending), one per cell, final
    expect(t.saves.length).toBeGreaterThanOrEqual(3);
    expect(t.saves[0]).toContain('"status": "pending"');
    expect(t.saves.at(-1)).toContain('"end_time": "');
    expect(t.events.filter((e) => e.type === 'cell-start')).toHaveLength(2);
    expect(t.events.filter((e) => e.type === 'cell-end')).toHaveLength(2);
    // the input notebook object is never touched
    expect(t.input.metadata.papermill).toBeUndefined();
  });

  it('stops at the first error: failed cell marked, later cells pending, markers inserted', async () => {
    const t = setup([code('print:a', 'c1'), code('raise:ValueError', 'c2'), code('print:c', 'c3')]);
    const r = await t.run();
    expect(r.status).toBe('failed');
    expect(t.kernel.ran).toEqual(['print:a', 'raise:ValueError']);
    expect(r.errors).toEqual([
      { index: 3, cellId: 'c2', ename: 'ValueError', evalue: 'boom', executionCount: 2 },
    ]);
    const out = r.notebook;
    expect(out.cells.map((c) => (c.metadata.tags as string[] | undefined)?.[0] ?? c.id)).toEqual([
      ERROR_MARKER_TAG,
      'c1',
      ERROR_MARKER_TAG,
      'c2',
      'c3',
    ]);
    expect(out.cells[0]!.source).toContain('In [2]');
    expect(pm(out, 3)).toMatchObject({ status: 'failed', exception: true });
    expect(pm(out, 4)).toMatchObject({ status: 'pending', exception: null });
    expect((out.metadata.papermill as { exception: unknown }).exception).toBe(true);
  });

  it('continue_on_error runs on and reports every failure', async () => {
    const t = setup([code('raise:A', 'c1'), code('print:b', 'c2'), code('raise:B', 'c3')]);
    const r = await t.run({ continueOnError: true });
    expect(r.status).toBe('completed');
    expect(r.errors.map((e) => e.ename)).toEqual(['A', 'B']);
    expect(t.kernel.ran).toHaveLength(3);
  });

  it('a timeout is a CellTimeoutError that stops the run', async () => {
    const t = setup([code('timeout', 'c1'), code('print:b', 'c2')]);
    const r = await t.run({ cellTimeoutMs: 2000 });
    expect(r.status).toBe('failed');
    expect(r.errors[0]).toMatchObject({ ename: 'CellTimeoutError', cellId: 'c1' });
    expect(r.errors[0]!.evalue).toContain('after 2 seconds');
  });

  it('cancel interrupts the running cell, keeps later cells pending, inserts no markers', async () => {
    const t = setup([code('print:a', 'c1'), code('hang', 'c2'), code('print:c', 'c3')]);
    const abort = new AbortController();
    const p = t.run({
      signal: abort.signal,
      onEvent: (e) => {
        if (e.type === 'cell-start' && e.cellId === 'c2') abort.abort();
      },
    });
    const r = await p;
    expect(r.status).toBe('cancelled');
    expect(r.cells.map((c) => c.status)).toEqual(['completed', 'cancelled', 'pending']);
    expect(r.notebook.cells).toHaveLength(3);
    expect(pm(r.notebook, 1).status).toBe('failed');
    expect(pm(r.notebook, 2).status).toBe('pending');
    expect(t.saves.at(-1)).toContain('KeyboardInterrupt');
  });

  it('a dead kernel stops the run even with continue_on_error', async () => {
    const t = setup([code('die', 'c1'), code('print:b', 'c2')]);
    const r = await t.run({ continueOnError: true });
    expect(r.status).toBe('failed');
    expect(r.errors[0]!.ename).toBe('DeadKernelError');
    expect(r.stopReason).toContain('kernel stopped answering');
  });

  it('a fatal save error stops the run; a transient one does not', async () => {
    const t = setup([code('print:a', 'c1'), code('print:b', 'c2'), code('print:c', 'c3')]);
    let n = 0;
    const r = await t.run({
      save: async () => {
        n++;
        if (n === 2) throw Object.assign(new Error('changed meanwhile'), { fatal: true });
      },
      isFatalSaveError: (e) => Boolean((e as { fatal?: boolean }).fatal),
    });
    expect(r.status).toBe('failed');
    expect(r.stopReason).toContain('changed meanwhile');
    expect(t.kernel.ran).toEqual(['print:a']);

    const t2 = setup([code('print:a', 'c1'), code('print:b', 'c2')]);
    let m = 0;
    const r2 = await t2.run({
      save: async () => {
        m++;
        if (m === 2) throw new Error('network blip');
      },
      isFatalSaveError: () => false,
    });
    expect(r2.status).toBe('completed');
    expect(r2.saveError).toBeUndefined();
  });

  it('saves the output so far while a long cell runs', async () => {
    const t = setup([code('slow', 'c1')]);
    const r = await t.run({ autosaveMs: 50, saveIntervalMs: 60_000 });
    expect(r.status).toBe('completed');
    const during = t.saves.find((s) => s.includes('partial') && s.includes('"status": "running"'));
    expect(during).toBeDefined();
  });

  it('throws when the first save fails (nothing ran)', async () => {
    const t = setup([code('print:a', 'c1')]);
    await expect(
      t.run({
        save: async () => {
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(t.kernel.ran).toEqual([]);
  });
});

describe('applyOutputEvent', () => {
  it('appends stream chunks, keeps other outputs, clears', () => {
    const outs: Parameters<typeof applyOutputEvent>[0] = [];
    const s = (text: string) => ({
      kind: 'output' as const,
      output: { output_type: 'stream' as const, name: 'stdout' as const, text },
    });
    applyOutputEvent(outs, s('a'));
    applyOutputEvent(outs, s('b'));
    applyOutputEvent(outs, {
      kind: 'output',
      output: { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} },
    });
    applyOutputEvent(outs, s('c'));
    expect(outs.map((o) => (o.output_type === 'stream' ? o.text : o.output_type))).toEqual([
      'ab',
      'display_data',
      'c',
    ]);
    applyOutputEvent(outs, { kind: 'clear' });
    expect(outs).toEqual([]);
  });
});
