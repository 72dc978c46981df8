import { type Notebook, NotebookError, notebookFromData } from '@jupyter-mcp/notebook-model';
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { defineTool, ok } from '../tool.js';
import { notebookPath, pathArg } from './common.js';

export const writeNotebook = defineTool({
  name: 'write_notebook',
  title: 'Write a whole notebook',
  description:
    'Write a whole nbformat 4 notebook (JSON), validated first: an invalid one is refused naming the bad key, nothing written. Prefer cell tools for small edits.',
  inputSchema: {
    path: pathArg,
    notebook: z
      .record(z.string(), z.unknown())
      .describe('The notebook: {cells, metadata, nbformat: 4, nbformat_minor}.'),
    overwrite: z.boolean().default(false).describe('Replace an existing file.'),
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
