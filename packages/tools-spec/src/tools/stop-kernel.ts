import { z } from 'zod';
import { forgetHandle } from '../internal/kernels.js';
import { defineTool, ok } from '../tool.js';
import { deleteKernel, kernelModel, kernelTargetShape, targetKernelId } from './kernel-common.js';

export const stopKernel = defineTool({
  name: 'stop_kernel',
  title: 'Stop a kernel',
  description:
    "Shut down a kernel (kernel_id, notebook_path's, else this session's default). Its variables are lost.",
  inputSchema: kernelTargetShape,
  outputSchema: { kernel_id: z.string(), stopped: z.boolean() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  traits: { kernel: 'session' },
  async handler(args, ctx) {
    const id = await targetKernelId(ctx, args);
    await kernelModel(ctx, id);
    const client = await ctx.kernels();
    const conn = await ctx.connection();
    const sessions = await client.listSessions();
    await deleteKernel(
      conn,
      id,
      sessions.filter((s) => s.kernel.id === id).map((s) => s.id),
    );
    forgetHandle(client, id);
    ctx.session.startedKernels.delete(id);
    if (ctx.session.defaultKernelId === id) ctx.session.defaultKernelId = undefined;
    return ok(`Stopped kernel ${id}.`, { kernel_id: id, stopped: true });
  },
});
