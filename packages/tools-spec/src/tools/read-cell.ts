import { z } from 'zod';
import { boundText } from '../render/text.js';
import { defineTool, ok } from '../tool.js';
import {
  cellIdArg,
  cellOutputSchema,
  cellRef,
  cellSummary,
  indexArg,
  notebookPath,
  pathArg,
  renderCell,
  resolveCell,
} from './common.js';

export const readCell = defineTool({
  name: 'read_cell',
  title: 'Read a cell',
  description:
    "One cell's full source and outputs (images as image content, errors with a trimmed traceback).",
  inputSchema: { path: pathArg, index: indexArg.optional(), cell_id: cellIdArg.optional() },
  outputSchema: {
    path: z.string(),
    ...cellOutputSchema,
    source: z.string(),
    outputs_text: z.string(),
    images: z.number().int(),
    truncated: z.boolean(),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const { notebook } = await (await ctx.files()).read(path);
    const { index, cell } = resolveCell(notebook, cellRef(args), path);
    const r = renderCell(ctx, cell, index, path, ctx.deps.settings.outputLimit);
    const outputsText = r.text.includes('--- outputs ---\n')
      ? r.text.slice(r.text.indexOf('--- outputs ---\n') + 16)
      : '';
    return ok(
      r.text,
      {
        path,
        ...cellSummary(cell, index),
        source: boundText(cell.source, ctx.deps.settings.outputLimit, `the full source is in ${path}`).text,
        outputs_text: outputsText,
        images: r.images.length,
        truncated: r.truncated,
      },
      r.images,
    );
  },
});
