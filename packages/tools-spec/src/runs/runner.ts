/**
 * The notebook runner: papermill semantics on our kernel client. Runs the planned cells of a prepared
 * notebook one by one, records `metadata.papermill`, saves progressively through a caller-given `save`,
 * and stops on the first error (unless `continueOnError`), on a per-cell timeout, or when cancelled.
 */
import type { ExecuteOptions, ExecutionResult, OutputEvent } from '@jupyter-mcp/kernel-client';
import type { Cell, Output as NbOutput, Notebook } from '@jupyter-mcp/notebook-model';
import {
  insertErrorMarkers,
  markCellEnd,
  markCellFailed,
  markCellStart,
  markNotebookEnd,
  markNotebookStart,
  type PreparedRun,
} from './papermill.js';

/** What the runner needs of a kernel (a kernel-client `KernelHandle` fits). */
export interface RunKernel {
  readonly id: string;
  readonly name: string;
  /** `language_info` of `kernel_info_reply`, copied into the notebook at the end (as papermill). */
  readonly languageInfo?: Record<string, unknown>;
  execute(code: string, options: ExecuteOptions): Promise<ExecutionResult>;
}

export type RunStatus = 'completed' | 'failed' | 'cancelled';

export interface CellError {
  /** Index of the cell in the saved output notebook. */
  index: number;
  cellId: string | null;
  ename: string;
  evalue: string;
  executionCount: number | null;
}

/** One planned cell after the run. */
export interface CellRecord {
  /** Index in the saved output notebook. */
  index: number;
  cellId: string | null;
  cellType: Cell['cell_type'];
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  executionCount: number | null;
  durationS: number | null;
  /** The cell object (outputs live in it). */
  cell: Cell;
}

export type RunEvent =
  | { type: 'cell-start'; index: number; cellId: string | null; done: number; total: number }
  | {
      type: 'cell-end';
      index: number;
      cellId: string | null;
      status: CellRecord['status'];
      done: number;
      total: number;
      error?: { ename: string; evalue: string };
    }
  | { type: 'output'; index: number; text: string; done: number; total: number }
  | { type: 'saved'; at: Date }
  | { type: 'save-failed'; error: unknown };

export interface RunNotebookOptions {
  prepared: PreparedRun;
  kernel: RunKernel;
  /** Persist the notebook (the first call writes the output file). Throwing a `stop` error ends the run. */
  save(nb: Notebook): Promise<void>;
  /** Per-cell timeout in milliseconds (default 600,000 as `timeout_s` 600). */
  cellTimeoutMs?: number;
  continueOnError?: boolean;
  /** Cancel: the running cell is interrupted, what ran is saved, the run ends `cancelled`. */
  signal?: AbortSignal;
  /** Save after a cell at most this often (default 1,000 ms); failures and the end always save. */
  saveIntervalMs?: number;
  /** While one cell runs long, save its output so far this often (default 10,000 ms). */
  autosaveMs?: number;
  /** Wall clock (default `new Date()`). */
  now?: () => Date;
  onEvent?(event: RunEvent): void;
  /** True when a save error must stop the run (e.g. a CONFLICT); default: every save error stops it. */
  isFatalSaveError?(error: unknown): boolean;
}

export interface RunNotebookResult {
  status: RunStatus;
  notebook: Notebook;
  cells: CellRecord[];
  /** Code cells of the plan. */
  total: number;
  /** Failed cells (the first one stopped the run unless continueOnError). */
  errors: CellError[];
  startTime: Date;
  endTime: Date;
  durationS: number;
  /** Set when the last save failed (the file on disk has an older state). */
  saveError: unknown;
  /** Why the run stopped early other than a cell error (kernel died, save refused). */
  stopReason?: string;
}

/** Append one incremental output event to a live output list (for saves while a cell runs). */
export function applyOutputEvent(outputs: NbOutput[], ev: OutputEvent): void {
  if (ev.kind === 'clear') {
    outputs.length = 0;
    return;
  }
  if (ev.kind !== 'output') return;
  const o = ev.output;
  const last = outputs[outputs.length - 1];
  if (
    o.output_type === 'stream' &&
    last?.output_type === 'stream' &&
    last.name === o.name &&
    typeof last.text === 'string'
  ) {
    last.text += o.text;
    return;
  }
  outputs.push(structuredClone(o) as unknown as NbOutput);
}

function lastLine(text: string): string {
  const lines = text
    .replace(/\r/g, '\n')
    .split('\n')
    .filter((l) => l.trim());
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}

/**
 * Run a prepared notebook. Never throws for a cell error, a timeout or a cancel (they are in the
 * result); throws only when the very first save fails (nothing was written, nothing ran).
 */
export async function runNotebook(options: RunNotebookOptions): Promise<RunNotebookResult> {
  const { prepared, kernel } = options;
  const nb = prepared.notebook;
  const plan = prepared.plan;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.cellTimeoutMs ?? 600_000;
  const saveInterval = options.saveIntervalMs ?? 1000;
  const autosaveMs = options.autosaveMs ?? 10_000;
  const emit = (e: RunEvent) => {
    try {
      options.onEvent?.(e);
    } catch {
      // a listener must not break the run
    }
  };
  const total = plan.filter((c) => c.cell_type === 'code').length;
  const records = new Map<Cell, CellRecord>(
    plan.map((cell) => [
      cell,
      {
        index: -1,
        cellId: cell.id ?? null,
        cellType: cell.cell_type,
        status: 'pending',
        executionCount: null,
        durationS: null,
        cell,
      },
    ]),
  );
  const errors: { cell: Cell; ename: string; evalue: string }[] = [];

  // Saves never overlap; a save requested while one runs is coalesced into one more.
  let saving: Promise<void> | undefined;
  let again = false;
  let lastSave = 0;
  let saveError: unknown;
  let fatalSave: unknown;
  const fatal = options.isFatalSaveError ?? (() => true);
  const doSave = async (): Promise<void> => {
    if (fatalSave) return;
    if (saving) {
      again = true;
      return saving;
    }
    saving = (async () => {
      do {
        again = false;
        try {
          await options.save(nb);
          saveError = undefined;
          lastSave = Date.now();
          emit({ type: 'saved', at: now() });
        } catch (err) {
          saveError = err;
          emit({ type: 'save-failed', error: err });
          if (fatal(err)) fatalSave = err;
        }
      } while (again && !fatalSave);
    })();
    try {
      await saving;
    } finally {
      saving = undefined;
    }
  };

  const startTime = now();
  markNotebookStart(nb, plan, startTime);
  // The first save creates the output: when it fails nothing ran, so report it as a plain failure.
  await options.save(nb);
  lastSave = Date.now();

  let status: RunStatus = 'completed';
  let stopReason: string | undefined;
  let done = 0;
  const signal = options.signal;

  for (const cell of plan) {
    if (signal?.aborted) {
      status = 'cancelled';
      break;
    }
    if (fatalSave) {
      status = 'failed';
      stopReason = `saving the notebook failed: ${(fatalSave as Error)?.message ?? String(fatalSave)}`;
      break;
    }
    const rec = records.get(cell)!;
    const index = () => nb.cells.indexOf(cell);
    markCellStart(cell, now());
    rec.status = 'running';
    if (cell.cell_type !== 'code') {
      markCellEnd(cell, now());
      rec.status = 'completed';
      continue;
    }
    emit({ type: 'cell-start', index: index(), cellId: rec.cellId, done, total });

    // Live outputs, saved at most every `autosaveMs` while the cell runs.
    const live: NbOutput[] = [];
    let dirty = false;
    const timer = setInterval(
      () => {
        if (!dirty || Date.now() - lastSave < autosaveMs) return;
        dirty = false;
        if (cell.cell_type === 'code') cell.outputs = structuredClone(live);
        void doSave();
      },
      Math.min(autosaveMs, 1000),
    );
    timer.unref?.();
    let lastProgress = 0;
    let result: ExecutionResult | undefined;
    let failure: { ename: string; evalue: string } | undefined;
    try {
      result = await kernel.execute(cell.source, {
        timeoutMs,
        ...(signal ? { signal } : {}),
        onOutput(ev) {
          applyOutputEvent(live, ev);
          dirty = true;
          if (ev.kind === 'output' && Date.now() - lastProgress >= 100) {
            lastProgress = Date.now();
            const o = ev.output;
            emit({
              type: 'output',
              index: index(),
              text: o.output_type === 'stream' ? lastLine(o.text) : o.output_type,
              done,
              total,
            });
          }
        },
      });
    } catch (err) {
      // The kernel died, the connection was lost for good, or the handle was disposed.
      const e = err as { code?: string; message?: string };
      failure = {
        ename: e.code === 'KERNEL_DIED' ? 'DeadKernelError' : (e.code ?? 'ExecutionError'),
        evalue: e.message ?? String(err),
      };
      stopReason = `the kernel stopped answering: ${failure.evalue}`;
    } finally {
      clearInterval(timer);
    }
    // Let a pending autosave finish before the cell's final outputs go in.
    if (saving) await saving.catch(() => {});

    if (result) {
      nbSetOutputs(nb, cell, result);
      rec.executionCount = result.executionCount;
      if (result.status === 'error') failure = result.error ?? firstError(result) ?? failure;
      else if (result.status === 'timeout')
        failure = {
          ename: 'CellTimeoutError',
          evalue: `A cell timed out while it was being executed, after ${timeoutMs / 1000} seconds. The kernel was interrupted.`,
        };
    } else {
      cell.outputs = live;
    }
    const cancelled =
      !failure && result !== undefined && (result.status === 'interrupted' || result.status === 'aborted');
    if (failure) {
      markCellFailed(nb, cell);
      errors.push({ cell, ...failure });
      rec.status = 'failed';
    }
    markCellEnd(cell, now());
    if (!failure) rec.status = cancelled ? 'cancelled' : 'completed';
    if (cancelled) {
      // Keep papermill's vocabulary on disk: an interrupted cell is marked failed there.
      markCellFailed(nb, cell);
    }
    rec.durationS = (cell.metadata.papermill as { duration?: number } | undefined)?.duration ?? null;
    done++;
    emit({
      type: 'cell-end',
      index: index(),
      cellId: rec.cellId,
      status: rec.status,
      done,
      total,
      ...(failure ? { error: failure } : {}),
    });
    if (cancelled || signal?.aborted) {
      status = 'cancelled';
      break;
    }
    if (failure && (!options.continueOnError || stopReason)) {
      status = 'failed';
      break;
    }
    if (failure || Date.now() - lastSave >= saveInterval) await doSave();
  }
  if (status === 'completed' && fatalSave) {
    status = 'failed';
    stopReason = `saving the notebook failed: ${(fatalSave as Error)?.message ?? String(fatalSave)}`;
  }
  if (status === 'completed' && errors.length && !options.continueOnError) status = 'failed';

  const endTime = now();
  markNotebookEnd(nb, plan, endTime, { cancelled: status === 'cancelled' });
  if (kernel.languageInfo && Object.keys(kernel.languageInfo).length)
    nb.metadata.language_info = structuredClone(kernel.languageInfo);
  if (errors.length && status !== 'cancelled') insertErrorMarkers(nb, errors[0]!.cell);
  if (!fatalSave) {
    if (saving) await saving.catch(() => {});
    await doSave();
  }

  const cells = plan.map((c) => {
    const r = records.get(c)!;
    r.index = nb.cells.indexOf(c);
    if (r.status === 'running') r.status = 'cancelled';
    return r;
  });
  return {
    status,
    notebook: nb,
    cells,
    total,
    errors: errors.map((e) => ({
      index: nb.cells.indexOf(e.cell),
      cellId: e.cell.id ?? null,
      ename: e.ename,
      evalue: e.evalue,
      executionCount: e.cell.cell_type === 'code' ? e.cell.execution_count : null,
    })),
    startTime,
    endTime,
    durationS: (endTime.getTime() - startTime.getTime()) / 1000,
    saveError: fatalSave ?? saveError,
    ...(stopReason ? { stopReason } : {}),
  };
}

function firstError(result: ExecutionResult): { ename: string; evalue: string } | undefined {
  for (const o of result.outputs) if (o.output_type === 'error') return { ename: o.ename, evalue: o.evalue };
  return undefined;
}

function nbSetOutputs(nb: Notebook, cell: Cell, result: ExecutionResult): void {
  const at = nb.cells.indexOf(cell);
  nb.setOutputs(at, structuredClone(result.outputs) as unknown as NbOutput[], result.executionCount);
}
