import type { CellRef, Output as NbOutput } from '@jupyter-mcp/notebook-model';
import { ToolError } from '../errors.js';
import type { ToolContext, ToolResult } from '../tool.js';
import { resolveCell } from '../tools/common.js';
import { resolveKernel, runCode } from './kernels.js';

/**
 * Run one code cell in the notebook's kernel (started and bound to the notebook if it has none), then
 * write its outputs and execution_count into the notebook as it is after the run (one queued update).
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

  // Write the outputs into the notebook as it is now (edits made meanwhile to other cells are kept),
  // in the notebook's write queue: the cell is found by id (by index in notebooks without ids) and must
  // still hold the source that ran.
  let saved = false;
  let saveNote = '';
  try {
    await files.update(path, (latest) => {
      const at = cell.id ? latest.cells.findIndex((c) => c.id === cell.id) : index;
      const target = at >= 0 ? latest.cells[at] : undefined;
      if (target?.cell_type !== 'code' || target.source !== cell.source)
        throw new ToolError(
          'CONFLICT',
          `Cell ${index} of ${path} was changed or removed while it ran; its outputs were not saved.`,
          { hint: 'Read the notebook again; run the cell again if you need its outputs saved.' },
        );
      latest.setOutputs(at, run.result.outputs as unknown as NbOutput[], run.result.executionCount);
    });
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
