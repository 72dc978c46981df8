import { z } from 'zod';
import { defineTool, ok } from '../tool.js';
import { kernelModel, kernelTargetShape, targetKernelId } from './kernel-common.js';

export const getKernelStatus = defineTool({
  name: 'get_kernel_status',
  title: 'Kernel status',
  description:
    "A kernel's state (idle, busy, starting, dead), kernelspec, connections, last activity (target as stop_kernel).",
  inputSchema: kernelTargetShape,
  outputSchema: {
    kernel_id: z.string(),
    name: z.string(),
    execution_state: z.string(),
    connections: z.number().int(),
    last_activity: z.string().nullable(),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  traits: { kernel: 'session' },
  async handler(args, ctx) {
    const id = await targetKernelId(ctx, args);
    const m = await kernelModel(ctx, id);
    const info = {
      kernel_id: id,
      name: String(m.name ?? ''),
      execution_state: String(m.execution_state ?? 'unknown'),
      connections: typeof m.connections === 'number' ? m.connections : 0,
      last_activity: typeof m.last_activity === 'string' ? m.last_activity : null,
    };
    return ok(
      `Kernel ${id} (${info.name}): ${info.execution_state}; last activity ${info.last_activity ?? 'unknown'}.`,
      info,
    );
  },
});
