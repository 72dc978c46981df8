import { z } from 'zod';
import { kernelIdForNotebook } from '../internal/kernels.js';
import { defineTool, ok } from '../tool.js';
import { notebookPath, pathArg } from './common.js';

export const getNotebookInfo = defineTool({
  name: 'get_notebook_info',
  title: 'Notebook info',
  description:
    'A notebook without its content: kernelspec, language, nbformat, cell counts, size, modified time, attached kernel.',
  inputSchema: { path: pathArg },
  outputSchema: {
    path: z.string(),
    kernelspec: z.string().nullable(),
    language: z.string().nullable(),
    nbformat: z.string(),
    cells: z.object({
      total: z.number().int(),
      code: z.number().int(),
      markdown: z.number().int(),
      raw: z.number().int(),
    }),
    size: z.number(),
    last_modified: z.string().nullable(),
    attached_kernel_id: z.string().nullable(),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const { notebook, version, size } = await (await ctx.files()).read(path);
    const count = (t: string) => notebook.cells.filter((c) => c.cell_type === t).length;
    const cells = {
      total: notebook.cells.length,
      code: count('code'),
      markdown: count('markdown'),
      raw: count('raw'),
    };
    let attached: string | null = null;
    try {
      attached = (await kernelIdForNotebook(await ctx.kernels(), path)) ?? null;
    } catch {
      attached = null;
    }
    const info = {
      path,
      kernelspec: notebook.kernelName ?? null,
      language: notebook.language ?? null,
      nbformat: `${notebook.nbformat}.${notebook.nbformat_minor}`,
      cells,
      size,
      last_modified: version?.lastModified ?? null,
      attached_kernel_id: attached,
    };
    const text =
      `${path}: nbformat ${info.nbformat}, kernelspec ${info.kernelspec ?? 'none'}, language ${info.language ?? 'unknown'}\n` +
      `${cells.total} cells (${cells.code} code, ${cells.markdown} markdown, ${cells.raw} raw), ${size} bytes, modified ${version?.lastModified ?? 'unknown'}\n` +
      `attached kernel: ${attached ?? 'none'}`;
    return ok(text, info);
  },
});
