import type { Cell, CellRef, Notebook } from '@jupyter-mcp/notebook-model';
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { toApiPath } from '../internal/paths.js';
import { renderOutputs } from '../render/outputs.js';
import { boundText } from '../render/text.js';
import type { ToolContext } from '../tool.js';

/** Shared argument schemas (snake_case, see DESIGN.md). */
export const pathArg = z.string().min(1).describe('Notebook path under the Jupyter root.');
export const indexArg = z.number().int().min(0).describe('0-based cell index.');
export const cellIdArg = z.string().min(1).describe('Cell id (from read_notebook).');
export const timeoutArg = z
  .number()
  .positive()
  .max(86_400)
  .describe('Seconds before interrupting (default: server setting).');
export const kernelIdArg = z.string().min(1).describe('Kernel id (list_kernels).');
export const notebookPathArg = z.string().min(1).describe("Use this notebook's kernel.");

/** A cell reference from `index` / `cell_id` (exactly one). */
export function cellRef(args: { index?: number; cell_id?: string }): CellRef {
  if (args.index !== undefined && args.cell_id !== undefined)
    throw new ToolError('INVALID_ARGUMENT', 'Both index and cell_id were given.', {
      hint: 'Pass only one of them.',
    });
  if (args.index !== undefined) return args.index;
  if (args.cell_id !== undefined) return args.cell_id;
  throw new ToolError('INVALID_ARGUMENT', 'No cell given.', { hint: 'Pass index (0-based) or cell_id.' });
}

/** Several cell references from `indices` / `cell_ids` (undefined when neither is given). */
export function cellRefs(args: { indices?: number[]; cell_ids?: string[] }): CellRef[] | undefined {
  if (args.indices !== undefined && args.cell_ids !== undefined)
    throw new ToolError('INVALID_ARGUMENT', 'Both indices and cell_ids were given.', {
      hint: 'Pass only one of them.',
    });
  return args.indices ?? args.cell_ids;
}

/** Resolve a cell reference in a notebook, with a helpful error. */
export function resolveCell(nb: Notebook, ref: CellRef, path: string): { index: number; cell: Cell } {
  if (typeof ref === 'number' && (ref < 0 || ref >= nb.cells.length))
    throw new ToolError(
      'NOT_FOUND',
      `Cell index ${ref} is out of range: '${path}' has ${nb.cells.length} cells (0–${nb.cells.length - 1}).`,
      {
        hint: 'read_notebook lists the cells with their index and id.',
      },
    );
  if (typeof ref === 'string' && !nb.cells.some((c) => c.id === ref))
    throw new ToolError('NOT_FOUND', `No cell with id '${ref}' in '${path}'.`, {
      hint: 'read_notebook lists the cells with their index and id; ids change when a cell is recreated.',
    });
  return nb.resolveCell(ref);
}

/** API path of a tool's `path` argument (refuses paths outside the root). */
export function apiPath(ctx: ToolContext, path: string, what = 'path'): string {
  return toApiPath(path, ctx.deps.settings.root, what);
}

export function notebookPath(ctx: ToolContext, path: string): string {
  const p = apiPath(ctx, path);
  if (!p)
    throw new ToolError('INVALID_ARGUMENT', 'The path is empty.', {
      hint: 'Pass a notebook path like "notes.ipynb".',
    });
  return p;
}

/** One-line label: `[3] code #a1b2c3d4 (exec 5)`. */
export function cellLabel(cell: Cell, index: number): string {
  const id = cell.id ? ` id=${cell.id}` : '';
  const exec = cell.cell_type === 'code' ? ` exec=${cell.execution_count ?? '-'}` : '';
  return `[${index}] ${cell.cell_type}${id}${exec}`;
}

export function cellSummary(cell: Cell, index: number): Record<string, unknown> {
  return {
    index,
    id: cell.id ?? null,
    cell_type: cell.cell_type,
    execution_count: cell.cell_type === 'code' ? cell.execution_count : null,
  };
}

/** The cell's source and (for code cells) its rendered outputs, bounded to `limit`. */
export function renderCell(ctx: ToolContext, cell: Cell, index: number, path: string, limit: number) {
  const parts = [cellLabel(cell, index), cell.source];
  let images: { type: 'image'; data: string; mimeType: string }[] = [];
  let error: { ename: string; evalue: string } | undefined;
  if (cell.cell_type === 'code' && cell.outputs.length) {
    const r = renderOutputs(cell.outputs, {
      imageLimitBytes: ctx.deps.settings.imageLimitBytes,
      location: `the outputs of cell ${index} of ${path}`,
    });
    parts.push('--- outputs ---', r.text);
    images = r.images;
    error = r.error;
  }
  const b = boundText(parts.join('\n'), limit, `the full cell is in ${path}`);
  return { text: b.text, images, error, truncated: b.omitted > 0 };
}

export const cellOutputSchema = {
  index: z.number().int(),
  id: z.string().nullable(),
  cell_type: z.string(),
  execution_count: z.number().nullable(),
};

/**
 * Read a notebook, change it, validate and save it as one step, queued behind every other write of
 * the same notebook in this process (every session, every job). `change` must be synchronous; it may
 * throw to abort (nothing written). A save by someone else meanwhile gives CONFLICT.
 */
export async function mutateNotebook<T>(
  ctx: ToolContext,
  path: string,
  change: (nb: Notebook) => T,
): Promise<{ value: T; notebook: Notebook }> {
  const files = await ctx.files();
  const { value, notebook } = await files.update(path, change, ctx.signal);
  return { value, notebook };
}
