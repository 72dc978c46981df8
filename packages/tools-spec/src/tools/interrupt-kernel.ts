import { z } from 'zod';
import { defineTool, ok } from '../tool.js';
import { kernelModel, kernelTargetShape, targetKernelId } from './kernel-common.js';

export const interruptKernel = defineTool({
  name: 'interrupt_kernel',
  title: 'Interrupt a kernel',
  description: "Interrupt a kernel's running code like Ctrl-C (target as stop_kernel); variables are kept.",
  inputSchema: kernelTargetShape,
  outputSchema: { kernel_id: z.string(), execution_state: z.string() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  traits: { kernel: 'session' },
  async handler(args, ctx) {
    const id = await targetKernelId(ctx, args);
    await kernelModel(ctx, id);
    const conn = await ctx.connection();
    await conn
      .request('POST', `api/kernels/${encodeURIComponent(id)}/interrupt`)
      .then((r) => r.arrayBuffer());
    const model = await kernelModel(ctx, id);
    const state = String(model.execution_state ?? 'unknown');
    return ok(`Sent an interrupt to kernel ${id} (state now: ${state}).`, {
      kernel_id: id,
      execution_state: state,
    });
  },
});
