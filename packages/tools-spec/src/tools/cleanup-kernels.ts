import { z } from 'zod';
import { forgetHandle } from '../internal/kernels.js';
import { defineTool, ok } from '../tool.js';
import { deleteKernel } from './kernel-common.js';

export const cleanupKernels = defineTool({
  name: 'cleanup_kernels',
  title: 'Stop kernels',
  description:
    "Stop the kernels this session started; all: true stops every kernel on the server, JupyterLab users' too (ask first).",
  inputSchema: {
    all: z.boolean().default(false).describe("Every kernel, not only this session's."),
  },
  outputSchema: { stopped: z.array(z.string()) },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  traits: {
    serverControl: (args) => args.all === true,
    sessionState: {
      what: 'stops the kernels this session started',
      instead: 'Stop a kernel with stop_kernel and its kernel_id.',
    },
  },
  async handler(args, ctx) {
    const client = await ctx.kernels();
    const conn = await ctx.connection();
    const running = new Set((await client.listKernels()).map((k) => k.id));
    const ids = args.all
      ? [...running]
      : [...ctx.session.startedKernels.keys()].filter((id) => running.has(id));
    const sessions = await client.listSessions();
    const stopped: string[] = [];
    for (const id of ids) {
      await deleteKernel(
        conn,
        id,
        sessions.filter((s) => s.kernel.id === id).map((s) => s.id),
      );
      forgetHandle(client, id);
      stopped.push(id);
    }
    for (const id of [...ctx.session.startedKernels.keys()])
      if (!running.has(id) || stopped.includes(id)) ctx.session.startedKernels.delete(id);
    if (ctx.session.defaultKernelId && stopped.includes(ctx.session.defaultKernelId))
      ctx.session.defaultKernelId = undefined;
    return ok(
      stopped.length ? `Stopped ${stopped.length} kernel(s): ${stopped.join(', ')}` : 'No kernels to stop.',
      { stopped },
    );
  },
});
