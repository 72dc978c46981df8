import { z } from 'zod';
import { ToolError } from '../errors.js';
import { defineTool, ok } from '../tool.js';
import { cellRefs, mutateNotebook, notebookPath, pathArg, resolveCell } from './common.js';

export const deleteCells = defineTool({
  name: 'delete_cells',
  title: 'Delete cells',
  description: 'Delete cells and save (indices as before the deletion). Returns what was removed.',
  inputSchema: {
    path: pathArg,
    indices: z.array(z.number().int().min(0)).min(1).optional().describe('Cell indices.'),
    cell_ids: z.array(z.string().min(1)).min(1).optional().describe('Cell ids.'),
  },
  outputSchema: {
    path: z.string(),
    deleted: z.array(z.object({ index: z.number().int(), id: z.string().nullable(), cell_type: z.string() })),
    total_cells: z.number().int(),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const refs = cellRefs(args);
    if (!refs)
      throw new ToolError('INVALID_ARGUMENT', 'No cells given.', { hint: 'Pass indices or cell_ids.' });
    const { value, notebook } = await mutateNotebook(ctx, path, (nb) => {
      const found = refs.map((r) => resolveCell(nb, r, path));
      nb.deleteCells(refs);
      return found.map((f) => ({ index: f.index, id: f.cell.id ?? null, cell_type: f.cell.cell_type }));
    });
    return ok(
      `Deleted ${value.length} cell(s) from ${path}: ${value.map((d) => `[${d.index}]${d.id ? ` ${d.id}` : ''}`).join(', ')}. ${notebook.cells.length} cells remain.`,
      { path, deleted: value, total_cells: notebook.cells.length },
    );
  },
});
