/**
 * Papermill's notebook bookkeeping as pure functions over a notebook-model `Notebook`: the
 * `metadata.papermill` block of the notebook and of each cell, the error marker cells, timestamps in
 * Python's `isoformat()` form and durations written as Python floats.
 */
import {
  type Cell,
  injectParameters,
  markFloat,
  type Notebook,
  NotebookError,
  type ParameterValue,
} from '@jupyter-mcp/notebook-model';
import { ToolError } from '../errors.js';

/** Per-cell status values papermill writes. */
export type CellRunStatus = 'pending' | 'running' | 'completed' | 'failed';

/** Tag of the markdown cells papermill inserts at the top and before the failed cell. */
export const ERROR_MARKER_TAG = 'papermill-error-cell-tag';

const ERROR_STYLE =
  'style="color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;"';
const ERROR_ANCHOR_MSG = `<span id="papermill-error-cell" ${ERROR_STYLE}>Execution using papermill encountered an exception here and stopped:</span>`;

function errorMessage(execCount: number | null): string {
  return `<span ${ERROR_STYLE}>An Exception was encountered at '<a href="#papermill-error-cell">In [${execCount === null ? 'None' : execCount}]</a>'.</span>`;
}

/** `2026-11-23T02:14:15.636000+00:00`, as Python's `datetime.now(timezone.utc).isoformat()`. */
export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

type Obj = Record<string, unknown>;

function asObject(v: unknown): Obj | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

/** The notebook's `metadata.papermill` (created when absent). */
export function notebookPapermill(nb: Notebook): Obj {
  let pm = asObject(nb.metadata.papermill);
  if (!pm) {
    pm = {};
    nb.metadata.papermill = pm;
  }
  return pm;
}

/** A cell's `metadata.papermill`, if it has one. */
export function cellPapermill(cell: Cell): Obj | undefined {
  return asObject(cell.metadata.papermill);
}

function setDuration(pm: Obj, seconds: number): void {
  pm.duration = Math.round(seconds * 1e6) / 1e6;
  markFloat(pm, 'duration');
}

export interface PreparedRun {
  /** The notebook to run and save (a copy of the input: parameters injected, markers removed). */
  notebook: Notebook;
  /** Cells to run, in order (objects of `notebook.cells`; markdown and raw cells included, as papermill). */
  plan: Cell[];
  /** The injected parameters cell, when parameters were given. */
  injected: Cell | undefined;
  /** Where the parameters cell went (papermill's rule). */
  placement: 'replaced' | 'after-parameters' | 'top' | undefined;
}

export interface PrepareOptions {
  parameters: Record<string, ParameterValue>;
  /** Kernel name used to choose the parameter language (as papermill: kernel first, then language). */
  kernelName?: string;
  /** First and last cell to run (inclusive), as indices of the input notebook. */
  startIndex?: number;
  endIndex?: number;
  inputPath: string;
  outputPath: string;
}

/**
 * Everything papermill does before the kernel starts: copy, inject parameters (only when there are
 * some), drop old error markers, record `metadata.papermill` (parameters, paths, empty defaults). Throws
 * `ToolError('INVALID_ARGUMENT')` for a bad range, parameter name or language; the input is untouched.
 */
export function prepareRun(input: Notebook, options: PrepareOptions): PreparedRun {
  const nb = input.clone();
  const count = nb.cells.length;
  const start = options.startIndex ?? 0;
  const end = options.endIndex ?? count - 1;
  if (count === 0)
    throw new ToolError('INVALID_ARGUMENT', `${options.inputPath} has no cells: there is nothing to run.`, {
      hint: 'Add cells first (insert_cell).',
    });
  if (start < 0 || start >= count || end < start || end >= count)
    throw new ToolError(
      'INVALID_ARGUMENT',
      `The cell range start_index=${start}, end_index=${end} does not fit ${options.inputPath}, which has ${count} cells (0–${count - 1}).`,
      { hint: 'Pass 0 ≤ start_index ≤ end_index < the number of cells (end_index is inclusive).' },
    );
  const selected = new Set(nb.cells.slice(start, end + 1));
  // Papermill removes the markers of an earlier failed run before anything else.
  nb.cells = nb.cells.filter((c) => !tagsOf(c).includes(ERROR_MARKER_TAG));

  let injected: Cell | undefined;
  let placement: PreparedRun['placement'];
  const params = options.parameters;
  if (Object.keys(params).length > 0) {
    try {
      const r = injectParameters(nb, params, options.kernelName ? { kernelName: options.kernelName } : {});
      injected = r.cell;
      placement = r.placement;
    } catch (err) {
      if (err instanceof NotebookError)
        throw new ToolError('INVALID_ARGUMENT', `Cannot inject the parameters: ${err.message}`, {
          hint: 'Nothing was written. Fix the parameters (a JSON object of valid variable names) or the notebook kernelspec.',
          cause: err,
        });
      throw err;
    }
  }
  const pm = notebookPapermill(nb);
  pm.default_parameters = asObject(pm.default_parameters) ?? {};
  pm.environment_variables = asObject(pm.environment_variables) ?? {};
  pm.parameters = params;
  pm.input_path = options.inputPath;
  pm.output_path = options.outputPath;

  // The plan: the selected input cells that survived marker removal, plus the parameters cell (always
  // run, so the parameters apply even to a partial range).
  const plan = nb.cells.filter((c) => selected.has(c) || c === injected);
  return { notebook: nb, plan, injected, placement };
}

function tagsOf(cell: Cell): string[] {
  const t = cell.metadata.tags;
  return Array.isArray(t) ? (t as string[]) : [];
}

/** Papermill's `notebook_start`: timer, reset counts and outputs of planned code cells, cells pending. */
export function markNotebookStart(nb: Notebook, plan: readonly Cell[], now: Date): void {
  const pm = notebookPapermill(nb);
  pm.start_time = isoTime(now);
  pm.end_time = null;
  pm.duration = null;
  pm.exception = null;
  for (const cell of plan) {
    if (cell.cell_type === 'code') {
      cell.execution_count = null;
      cell.outputs = [];
    }
    cell.metadata.papermill = {
      exception: null,
      start_time: null,
      end_time: null,
      duration: null,
      status: 'pending',
    };
  }
}

/** Papermill's `cell_start`. */
export function markCellStart(cell: Cell, now: Date): void {
  const pm = cellPapermill(cell) ?? {};
  pm.start_time = isoTime(now);
  pm.status = 'running';
  pm.exception = false;
  cell.metadata.papermill = pm;
}

/** Papermill's `cell_exception`. */
export function markCellFailed(nb: Notebook, cell: Cell): void {
  const pm = cellPapermill(cell) ?? {};
  pm.exception = true;
  pm.status = 'failed';
  cell.metadata.papermill = pm;
  notebookPapermill(nb).exception = true;
}

/** Papermill's `cell_complete`: end time, duration, status completed unless failed. */
export function markCellEnd(cell: Cell, now: Date): void {
  const pm = cellPapermill(cell) ?? {};
  pm.end_time = isoTime(now);
  if (typeof pm.start_time === 'string') {
    const started = Date.parse(pm.start_time);
    if (!Number.isNaN(started)) setDuration(pm, (now.getTime() - started) / 1000);
  }
  if (pm.status !== 'failed') pm.status = 'completed';
  cell.metadata.papermill = pm;
}

/**
 * Papermill's `notebook_complete`: end time and duration; cells still pending before the first failure
 * become completed (papermill's cleanup). A cancelled run leaves its remaining cells pending.
 */
export function markNotebookEnd(
  nb: Notebook,
  plan: readonly Cell[],
  now: Date,
  options: { cancelled?: boolean } = {},
): void {
  const pm = notebookPapermill(nb);
  pm.end_time = isoTime(now);
  if (typeof pm.start_time === 'string') {
    const started = Date.parse(pm.start_time);
    if (!Number.isNaN(started)) setDuration(pm, (now.getTime() - started) / 1000);
  }
  if (options.cancelled) return;
  for (const cell of plan) {
    const cpm = cellPapermill(cell);
    if (!cpm || cpm.status === 'failed') break;
    if (cpm.status === 'pending') cpm.status = 'completed';
  }
}

/**
 * Papermill's `raise_for_execution_errors` markers: a markdown cell at the top naming the failed
 * execution count, and an anchor cell just before the failed cell. Returns the failed cell's new index.
 */
export function insertErrorMarkers(nb: Notebook, failed: Cell): number {
  const at = nb.cells.indexOf(failed);
  if (at < 0) return -1;
  const execCount = failed.cell_type === 'code' ? failed.execution_count : null;
  nb.insertCell({
    index: at,
    cellType: 'markdown',
    source: ERROR_ANCHOR_MSG,
    metadata: { tags: [ERROR_MARKER_TAG] },
  });
  nb.insertCell({
    index: 0,
    cellType: 'markdown',
    source: errorMessage(execCount),
    metadata: { tags: [ERROR_MARKER_TAG] },
  });
  return nb.cells.indexOf(failed);
}
