import { z } from 'zod';
import { defineTool, ok } from '../tool.js';
import {
  cellIdArg,
  cellRef,
  indexArg,
  mutateNotebook,
  notebookPath,
  pathArg,
  resolveCell,
} from './common.js';

export const moveCell = defineTool({
  name: 'move_cell',
  title: 'Move a cell',
  description: 'Move a cell so that it ends up at to_index, and save.',
  inputSchema: {
    path: pathArg,
    index: indexArg.optional(),
    cell_id: cellIdArg.optional(),
    to_index: z.number().int().min(0).describe('Final 0-based position of the cell.'),
  },
  outputSchema: {
    path: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    cell_id: z.string().nullable(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const ref = cellRef(args);
    const { value } = await mutateNotebook(ctx, path, (nb) => {
      resolveCell(nb, ref, path);
      return nb.moveCell(ref, args.to_index);
    });
    return ok(`Moved cell ${value.from} to ${value.to} in ${path}.`, {
      path,
      from: value.from,
      to: value.to,
      cell_id: value.cell.id ?? null,
    });
  },
});
