import { z } from 'zod';
import { forgetHandle } from '../internal/kernels.js';
import { defineTool, ok } from '../tool.js';
import { kernelModel, kernelTargetShape, targetKernelId } from './kernelCommon.js';

export const stopKernel = defineTool({
  name: 'stop_kernel',
  title: 'Stop a kernel',
  description:
    "Shut down a kernel (by kernel_id, or the kernel of notebook_path; default: this session's default kernel). Its variables are lost; " +
    "a notebook's Jupyter session is ended with it.",
  inputSchema: kernelTargetShape,
  outputSchema: { kernel_id: z.string(), stopped: z.boolean() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const id = await targetKernelId(ctx, args);
    await kernelModel(ctx, id);
    const client = await ctx.kernels();
    const conn = await ctx.connection();
    const sessions = await client.listSessions();
    for (const s of sessions.filter((s) => s.kernel.id === id))
      await conn
        .request('DELETE', `api/sessions/${encodeURIComponent(s.id)}`, { allowStatus: [404] })
        .then((r) => r.arrayBuffer());
    await conn
      .request('DELETE', `api/kernels/${encodeURIComponent(id)}`, { allowStatus: [404] })
      .then((r) => r.arrayBuffer());
    forgetHandle(client, id);
    ctx.session.startedKernels.delete(id);
    if (ctx.session.defaultKernelId === id) ctx.session.defaultKernelId = undefined;
    return ok(`Stopped kernel ${id}.`, { kernel_id: id, stopped: true });
  },
});
