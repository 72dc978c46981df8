import { Notebook } from '@jupyter-mcp/notebook-model';
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { defineTool, ok } from '../tool.js';
import { notebookPath, pathArg } from './common.js';

export const createNotebook = defineTool({
  name: 'create_notebook',
  title: 'Create a notebook',
  description:
    'Create a notebook (nbformat 4.5), optionally with cells. Keeps an existing file unless overwrite. Returns the cell ids.',
  inputSchema: {
    path: pathArg,
    kernel_name: z.string().optional().describe('Kernelspec (default: the server default).'),
    cells: z
      .array(z.object({ cell_type: z.enum(['code', 'markdown', 'raw']).default('code'), source: z.string() }))
      .optional()
      .describe('Initial cells.'),
    overwrite: z.boolean().default(false).describe('Replace an existing file.'),
  },
  outputSchema: { path: z.string(), kernel_name: z.string(), cell_ids: z.array(z.string()) },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    if (!path.endsWith('.ipynb'))
      throw new ToolError('INVALID_ARGUMENT', `'${path}' does not end in .ipynb.`, {
        hint: 'Notebook paths end in .ipynb.',
      });
    const specs = await (await ctx.kernels()).listKernelSpecs();
    const name = args.kernel_name ?? specs.default;
    const spec = specs.specs.find((s) => s.name === name);
    if (!spec)
      throw new ToolError('INVALID_ARGUMENT', `No kernelspec named '${name}' on this server.`, {
        hint: `Available: ${specs.specs.map((s) => s.name).join(', ') || 'none'}.`,
      });
    const nb = Notebook.create({
      metadata: {
        kernelspec: { name: spec.name, display_name: spec.displayName, language: spec.language },
        language_info: { name: spec.language },
      },
    });
    for (const c of args.cells ?? []) nb.insertCell({ cellType: c.cell_type, source: c.source });
    await (await ctx.files()).write(path, nb, { overwrite: args.overwrite, signal: ctx.signal });
    const ids = nb.cells.map((c) => c.id ?? '');
    return ok(
      `Created ${path} (kernel ${spec.name}) with ${ids.length} cell(s).${ids.length ? ` Cell ids: ${ids.join(', ')}` : ''}`,
      {
        path,
        kernel_name: spec.name,
        cell_ids: ids,
      },
    );
  },
});
