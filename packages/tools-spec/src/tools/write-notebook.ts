import { type Notebook, NotebookError, notebookFromData } from '@jupyter-mcp/notebook-model';
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { defineTool, ok } from '../tool.js';
import { notebookPath, pathArg } from './common.js';

export const writeNotebook = defineTool({
  name: 'write_notebook',
  title: 'Write a whole notebook',
  description:
    'Write a complete notebook given as an nbformat v4 JSON object ({cells, metadata, nbformat: 4, nbformat_minor}). ' +
    'It is validated before anything is written; an invalid notebook is refused with the offending key named and the file left untouched. ' +
    'Refuses to replace an existing file unless overwrite is true. Prefer the cell tools for small changes.',
  inputSchema: {
    path: pathArg,
    notebook: z.record(z.string(), z.unknown()).describe('The nbformat v4 notebook as a JSON object.'),
    overwrite: z.boolean().default(false),
  },
  outputSchema: { path: z.string(), cells: z.number().int(), nbformat: z.string() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    let nb: Notebook;
    try {
      nb = notebookFromData(args.notebook);
      nb.validate();
    } catch (err) {
      if (err instanceof NotebookError)
        throw new ToolError('INVALID_NOTEBOOK', `Not written: the notebook is invalid: ${err.message}`, {
          hint: 'Nothing was written. Fix the key named above (nbformat v4: {cells, metadata, nbformat: 4, nbformat_minor}).',
          cause: err,
        });
      throw err;
    }
    await (await ctx.files()).write(path, nb, { overwrite: args.overwrite, signal: ctx.signal });
    const ver = `${nb.nbformat}.${nb.nbformat_minor}`;
    return ok(`Wrote ${path}: ${nb.cells.length} cells, nbformat ${ver}.`, {
      path,
      cells: nb.cells.length,
      nbformat: ver,
    });
  },
});
