import type { CellRef, Output as NbOutput } from '@jupyter-mcp/notebook-model';
import { ToolError } from '../errors.js';
import type { ToolContext, ToolResult } from '../tool.js';
import { resolveCell } from '../tools/common.js';
import { resolveKernel, runCode } from './kernels.js';

/**
 * Run one code cell in the notebook's kernel (started and bound to the notebook if it has none),
 * write its outputs and execution_count back, and save with conflict detection: the notebook is read
 * again after the run and the cell found by id, so edits made meanwhile to other cells are kept.
 */
export async function executeNotebookCell(
  ctx: ToolContext,
  path: string,
  ref: CellRef,
  timeoutS: number | undefined,
): Promise<ToolResult> {
  const files = await ctx.files();
  const before = await files.read(path);
  const { index, cell } = resolveCell(before.notebook, ref, path);
  if (cell.cell_type !== 'code')
    return {
      content: [
        {
          type: 'text',
          text: `Cell ${index} of ${path} is a ${cell.cell_type} cell: there is nothing to run.`,
        },
      ],
      structuredContent: {
        path,
        index,
        cell_id: cell.id ?? null,
        status: 'skipped',
        execution_count: null,
        saved: false,
        output: '',
      },
    };
  const handle = await resolveKernel(
    ctx,
    { notebook_path: path },
    { create: true, kernelName: before.notebook.kernelName },
  );
  const run = await runCode(ctx, handle, cell.source, timeoutS, `the outputs of cell ${index} of ${path}`);

  // Write the outputs into the latest version of the notebook.
  let saved = false;
  let saveNote = '';
  try {
    const latest = await files.read(path);
    const sameFile = latest.version.lastModified === before.version.lastModified;
    let at: number;
    if (cell.id) {
      at = latest.notebook.cells.findIndex((c) => c.id === cell.id);
    } else {
      at = sameFile ? index : -1;
    }
    const target = at >= 0 ? latest.notebook.cells[at] : undefined;
    if (target?.cell_type !== 'code' || (!sameFile && target.source !== cell.source)) {
      throw new ToolError(
        'CONFLICT',
        `Cell ${index} of ${path} was changed or removed while it ran; its outputs were not saved.`,
        {
          hint: 'Read the notebook again; run the cell again if you need its outputs saved.',
        },
      );
    }
    latest.notebook.setOutputs(at, run.result.outputs as unknown as NbOutput[], run.result.executionCount);
    await files.save(path, latest.notebook, { expectedVersion: latest.version });
    saved = true;
  } catch (err) {
    if (!(err instanceof ToolError)) throw err;
    saveNote = `\nNot saved: ${err.message}${err.hint ? ` ${err.hint}` : ''}`;
  }
  const isError = run.result.status !== 'ok';
  return {
    content: [{ type: 'text', text: `${path} cell ${index}: ${run.text}${saveNote}` }, ...run.images],
    structuredContent: {
      path,
      index,
      cell_id: cell.id ?? null,
      kernel_id: handle.id,
      status: run.result.status,
      execution_count: run.result.executionCount,
      duration_ms: Math.round(run.result.durationMs),
      saved,
      output: run.text,
      images: run.images.length,
      truncated: run.truncated,
      ...(run.error ? { error: run.error } : {}),
    },
    ...(isError || !saved ? { isError: true } : {}),
  };
}
