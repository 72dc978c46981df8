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

export const updateCell = defineTool({
  name: 'update_cell',
  title: "Replace a cell's source",
  description:
    "Replace a cell's whole source and save (outputs stay until it runs). Returns a diff. Small change: edit_cell.",
  inputSchema: {
    path: pathArg,
    index: indexArg.optional(),
    cell_id: cellIdArg.optional(),
    source: z.string().describe('New source.'),
  },
  outputSchema: {
    path: z.string(),
    index: z.number().int(),
    cell_id: z.string().nullable(),
    diff: z.string(),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const ref = cellRef(args);
    const { value } = await mutateNotebook(ctx, path, (nb) => {
      resolveCell(nb, ref, path);
      return nb.replaceSource(ref, args.source);
    });
    return ok(`Updated cell ${value.index} of ${path}.\n${value.diff || '(no change)'}`, {
      path,
      index: value.index,
      cell_id: value.cell.id ?? null,
      diff: value.diff,
    });
  },
});
