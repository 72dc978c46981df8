import { z } from 'zod';
import { defineTool, ok } from '../tool.js';
import { cellRefs, mutateNotebook, notebookPath, pathArg, resolveCell } from './common.js';

export const clearOutputs = defineTool({
  name: 'clear_outputs',
  title: 'Clear outputs',
  description: 'Clear outputs and execution counts of the given cells (default: all) and save.',
  inputSchema: {
    path: pathArg,
    indices: z.array(z.number().int().min(0)).optional().describe('Cell indices.'),
    cell_ids: z.array(z.string().min(1)).optional().describe('Cell ids.'),
  },
  outputSchema: { path: z.string(), cleared: z.number().int() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const refs = cellRefs(args);
    const { value } = await mutateNotebook(ctx, path, (nb) => {
      for (const r of refs ?? []) resolveCell(nb, r, path);
      return nb.clearOutputs(refs);
    });
    return ok(`Cleared the outputs of ${value} cell(s) in ${path}.`, { path, cleared: value });
  },
});
