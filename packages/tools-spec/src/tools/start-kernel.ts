import { z } from 'zod';
import { ToolError } from '../errors.js';
import { kernelIdForNotebook, rememberHandle } from '../internal/kernels.js';
import { toApiPath } from '../internal/paths.js';
import { defineTool, ok } from '../tool.js';
import { notebookPathArg } from './common.js';

export const startKernel = defineTool({
  name: 'start_kernel',
  title: 'Start a kernel',
  description:
    "Start a kernel: with notebook_path, that notebook's kernel (shared with JupyterLab; an existing one is returned); else this session's default for execute_code.",
  inputSchema: {
    kernel_name: z
      .string()
      .optional()
      .describe("Kernelspec (default: the notebook's, else the server default)."),
    notebook_path: notebookPathArg.optional(),
  },
  outputSchema: {
    kernel_id: z.string(),
    name: z.string(),
    notebook_path: z.string().nullable(),
    already_running: z.boolean(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx) {
    const client = await ctx.kernels();
    if (args.notebook_path) {
      const path = toApiPath(args.notebook_path, ctx.deps.settings.root, 'notebook_path');
      const existing = await kernelIdForNotebook(client, path);
      if (existing)
        return ok(`The notebook ${path} already has kernel ${existing}.`, {
          kernel_id: existing,
          name: (await client.listKernels()).find((k) => k.id === existing)?.name ?? '',
          notebook_path: path,
          already_running: true,
        });
      let name = args.kernel_name;
      if (!name) {
        try {
          name = (await (await ctx.files()).read(path)).notebook.kernelName;
        } catch (err) {
          if (!(err instanceof ToolError && err.code === 'NOT_FOUND')) throw err;
        }
      }
      const h = rememberHandle(client, await client.startKernel({ name, notebookPath: path }));
      ctx.session.startedKernels.set(h.id, { name: h.name, notebookPath: path });
      return ok(`Started kernel ${h.id} (${h.name}) for ${path}.`, {
        kernel_id: h.id,
        name: h.name,
        notebook_path: path,
        already_running: false,
      });
    }
    const h = rememberHandle(client, await client.startKernel({ name: args.kernel_name }));
    ctx.session.startedKernels.set(h.id, { name: h.name });
    ctx.session.defaultKernelId = h.id;
    return ok(`Started kernel ${h.id} (${h.name}); it is now this session's default for execute_code.`, {
      kernel_id: h.id,
      name: h.name,
      notebook_path: null,
      already_running: false,
    });
  },
});
