import { z } from 'zod';
import { attach } from '../internal/kernels.js';
import { defineTool, ok } from '../tool.js';
import { kernelModel, kernelTargetShape, targetKernelId } from './kernel-common.js';

export const restartKernel = defineTool({
  name: 'restart_kernel',
  title: 'Restart a kernel',
  description: 'Restart a stuck or dead kernel (target as stop_kernel); variables and imports are lost.',
  inputSchema: kernelTargetShape,
  outputSchema: { kernel_id: z.string(), execution_state: z.string() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  traits: { kernel: 'session' },
  async handler(args, ctx) {
    const id = await targetKernelId(ctx, args);
    await kernelModel(ctx, id);
    const handle = await attach(await ctx.kernels(), id);
    await handle.restart();
    const model = await kernelModel(ctx, id);
    const state = String(model.execution_state ?? 'unknown');
    return ok(`Restarted kernel ${id}; its state is fresh (now ${state}).`, {
      kernel_id: id,
      execution_state: state,
    });
  },
});
