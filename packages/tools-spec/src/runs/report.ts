/** Readable reports of notebook runs and jobs, bounded for a model's context. */
import type { Notebook } from '@jupyter-mcp/notebook-model';
import { renderOutputs } from '../render/outputs.js';
import { boundText } from '../render/text.js';
import type { ImageContent } from '../tool.js';
import type { Job } from './jobs.js';
import type { CellRecord, RunNotebookResult } from './runner.js';

export type ReportLevel = 'minimal' | 'summary' | 'full';

export interface ReportSettings {
  outputLimit: number;
  imageLimitBytes: number;
}

function secs(s: number | null | undefined): string {
  return s == null ? '-' : `${s.toFixed(2)} s`;
}

function cellLine(r: CellRecord): string {
  const id = r.cellId ? ` id=${r.cellId}` : '';
  const exec = r.executionCount != null ? ` exec=${r.executionCount}` : '';
  return `[${r.index}]${id}${exec} ${r.status} ${secs(r.durationS)}`;
}

function renderCellOutputs(r: CellRecord, path: string, settings: ReportSettings, budget: number) {
  const cell = r.cell;
  if (cell.cell_type !== 'code' || !cell.outputs.length) return { text: '(no output)', images: [] };
  return renderOutputs(cell.outputs, {
    imageLimitBytes: settings.imageLimitBytes,
    imageBudgetBytes: budget,
    location: `the outputs of cell ${r.index} of ${path}`,
  });
}

/** One line on how the run ended. */
export function runHeadline(result: RunNotebookResult, path: string, outputPath: string): string {
  const ran = result.cells.filter(
    (c) => c.cellType === 'code' && (c.status === 'completed' || c.status === 'failed'),
  ).length;
  const where = outputPath === path ? `${path} (in place)` : `${path} → ${outputPath}`;
  const head = `${where}: ${result.status}, ${ran}/${result.total} code cells run in ${result.durationS.toFixed(2)} s`;
  const parts = [head];
  const first = result.errors[0];
  if (first)
    parts.push(
      `${result.status === 'failed' ? 'Stopped at' : 'Error in'} cell ${first.index}${first.cellId ? ` (id ${first.cellId})` : ''}: ${first.ename}: ${first.evalue}` +
        (result.errors.length > 1 ? ` (+${result.errors.length - 1} more failed cells)` : ''),
    );
  if (result.stopReason) parts.push(`Stopped because ${result.stopReason}.`);
  if (result.status === 'cancelled') parts.push('Cancelled: the running cell was interrupted.');
  if (result.saveError)
    parts.push(
      `Warning: the last save of ${outputPath} failed (${(result.saveError as Error)?.message ?? String(result.saveError)}); the file holds an earlier state.`,
    );
  else parts.push(`Saved to ${outputPath}.`);
  return parts.join('\n');
}

/** The run's report text and images, per `report` level. */
export function renderRunReport(
  result: RunNotebookResult,
  path: string,
  outputPath: string,
  level: ReportLevel,
  settings: ReportSettings,
): { text: string; images: ImageContent[]; truncated: boolean } {
  const parts = [runHeadline(result, path, outputPath)];
  const images: ImageContent[] = [];
  const codeCells = result.cells.filter((c) => c.cellType === 'code');
  if (level !== 'minimal') {
    if (level === 'full' || codeCells.length <= 30) parts.push('', 'Cells:', ...codeCells.map(cellLine));
    else {
      // A long notebook: the cells that did not complete, and a count of those that did.
      const other = codeCells.filter((c) => c.status !== 'completed');
      parts.push(
        '',
        `Cells: ${codeCells.length - other.length} completed${other.length ? '; the others:' : ''}`,
        ...other.slice(0, 30).map(cellLine),
        ...(other.length > 30 ? [`… and ${other.length - 30} more not run`] : []),
      );
    }
    const failed = codeCells.filter((c) => c.status === 'failed');
    let show: CellRecord[];
    if (level === 'full') show = codeCells.filter((c) => c.status !== 'pending');
    else {
      // summary: the failed cells and the last cell that ran (often the result of the notebook).
      const ran = codeCells.filter((c) => c.status === 'completed');
      show = [...failed, ...(ran.length ? [ran[ran.length - 1]!] : [])];
      show = [...new Set(show)].sort((a, b) => a.index - b.index);
    }
    let budget = settings.imageLimitBytes;
    // Each shown cell gets its share of the text budget, so one chatty cell cannot hide the error.
    const share = Math.max(500, Math.floor((settings.outputLimit * 0.8) / Math.max(1, show.length)));
    for (const r of show) {
      const out = renderCellOutputs(r, outputPath, settings, Math.max(0, budget));
      for (const img of out.images) {
        images.push(img);
        budget -= Math.floor((img.data.length * 3) / 4);
      }
      const b = boundText(out.text, share, `the full output is in cell ${r.index} of ${outputPath}`);
      parts.push('', `--- cell ${r.index} (${r.status}) ---`, b.text);
    }
  } else {
    const first = result.errors[0];
    const failed = first ? codeCells.find((c) => c.index === first.index) : undefined;
    if (failed) parts.push(renderCellOutputs(failed, outputPath, settings, 0).text);
  }
  const b = boundText(parts.join('\n'), settings.outputLimit, `the full outputs are in ${outputPath}`);
  return { text: b.text, images: level === 'minimal' ? [] : images, truncated: b.omitted > 0 };
}

/** Structured content shared by execute_notebook and get_job. */
export function runStructured(result: RunNotebookResult, level: ReportLevel): Record<string, unknown> {
  return {
    status: result.status,
    cells_total: result.total,
    cells_run: result.cells.filter(
      (c) => c.cellType === 'code' && (c.status === 'completed' || c.status === 'failed'),
    ).length,
    duration_s: Math.round(result.durationS * 1000) / 1000,
    errors: result.errors.map((e) => ({
      index: e.index,
      cell_id: e.cellId,
      ename: e.ename,
      evalue: e.evalue,
      execution_count: e.executionCount,
    })),
    saved: !result.saveError,
    ...(level === 'minimal'
      ? {}
      : {
          cells: result.cells
            .filter((c) => c.cellType === 'code')
            .map((c) => ({
              index: c.index,
              cell_id: c.cellId,
              status: c.status,
              execution_count: c.executionCount,
              duration_s: c.durationS,
            })),
        }),
  };
}

/** A job's state as get_job / list_jobs report it. */
export function jobStructured(job: Job, now = Date.now()): Record<string, unknown> {
  const end = job.endedAt?.getTime() ?? now;
  return {
    job_id: job.id,
    status: job.status,
    path: job.path,
    output_path: job.outputPath,
    kernel_id: job.kernelId ?? null,
    kernel_name: job.kernelName ?? null,
    cells_done: job.cellsDone,
    cells_total: job.cellsTotal,
    current_cell: job.current
      ? {
          index: job.current.index,
          cell_id: job.current.cellId,
          elapsed_s: Math.round((now - job.current.startedAt) / 100) / 10,
        }
      : null,
    started_at: job.startedAt.toISOString(),
    ended_at: job.endedAt?.toISOString() ?? null,
    elapsed_s: Math.round((end - job.startedAt.getTime()) / 100) / 10,
    errors: job.errors.map((e) => ({ index: e.index, cell_id: e.cellId, ename: e.ename, evalue: e.evalue })),
    ...(job.failure ? { failure: job.failure.message } : {}),
  };
}

/** One readable line per job. */
export function jobLine(job: Job, now = Date.now()): string {
  const s = jobStructured(job, now);
  const cur = job.current ? `, running cell ${job.current.index}` : '';
  const err = job.errors[0] ? `, error in cell ${job.errors[0].index}: ${job.errors[0].ename}` : '';
  const out = job.outputPath === job.path ? job.path : `${job.path} → ${job.outputPath}`;
  return `${job.id} ${job.status} ${out}: ${job.cellsDone}/${job.cellsTotal} cells${cur}${err}, ${s.elapsed_s} s${job.failure ? ` (${job.failure.message})` : ''}`;
}

/** Outputs of the cells a running job has finished so far (from its live notebook), bounded. */
export function renderLiveOutputs(
  nb: Notebook,
  outputPath: string,
  settings: ReportSettings,
): { text: string; images: ImageContent[] } {
  const parts: string[] = [];
  const images: ImageContent[] = [];
  let budget = settings.imageLimitBytes;
  nb.cells.forEach((cell, index) => {
    const status = (cell.metadata.papermill as { status?: string } | undefined)?.status;
    if (cell.cell_type !== 'code' || (status !== 'completed' && status !== 'failed')) return;
    const r = cell.outputs.length
      ? renderOutputs(cell.outputs, {
          imageLimitBytes: settings.imageLimitBytes,
          imageBudgetBytes: Math.max(0, budget),
          location: `the outputs of cell ${index} of ${outputPath}`,
        })
      : { text: '(no output)', images: [] };
    for (const img of r.images) {
      images.push(img);
      budget -= Math.floor((img.data.length * 3) / 4);
    }
    parts.push(`--- cell ${index} (${status}) ---`, r.text);
  });
  const b = boundText(
    parts.join('\n') || '(no cell has finished yet)',
    settings.outputLimit,
    `the full outputs are in ${outputPath}`,
  );
  return { text: b.text, images };
}
