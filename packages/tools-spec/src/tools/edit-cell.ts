import { z } from 'zod';
import { boundText } from '../render/text.js';
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

export const editCell = defineTool({
  name: 'edit_cell',
  title: 'Edit text in a cell',
  description:
    "Replace exact text in a cell's source and save; old_string must occur once unless replace_all. Returns a diff.",
  inputSchema: {
    path: pathArg,
    index: indexArg.optional(),
    cell_id: cellIdArg.optional(),
    old_string: z.string().min(1).describe('Exact text to replace.'),
    new_string: z.string().describe('Replacement text.'),
    replace_all: z.boolean().default(false).describe('Replace every occurrence.'),
  },
  outputSchema: {
    path: z.string(),
    index: z.number().int(),
    cell_id: z.string().nullable(),
    replacements: z.number().int(),
    diff: z.string(),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const ref = cellRef(args);
    const { value } = await mutateNotebook(ctx, path, (nb) => {
      resolveCell(nb, ref, path);
      return nb.editSource(ref, args.old_string, args.new_string, { replaceAll: args.replace_all });
    });
    const diff = boundText(value.diff, ctx.deps.settings.outputLimit).text;
    return ok(`Edited cell ${value.index} of ${path} (${value.replacements} replacement(s)).\n${diff}`, {
      path,
      index: value.index,
      cell_id: value.cell.id ?? null,
      replacements: value.replacements,
      diff,
    });
  },
});
