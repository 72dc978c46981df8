import { z } from 'zod';
import { defineTool, ok } from '../tool.js';
import { kernelInfoShape } from './kernel-common.js';

export const listKernels = defineTool({
  name: 'list_kernels',
  title: 'List kernels',
  description:
    'Running kernels: id, kernelspec, state, last activity, notebook, started by this session or not.',
  inputSchema: {},
  outputSchema: { kernels: z.array(z.object(kernelInfoShape)), default_kernel_id: z.string().nullable() },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(_args, ctx) {
    const client = await ctx.kernels();
    const [kernels, sessions] = await Promise.all([client.listKernels(), client.listSessions()]);
    const list = kernels.map((k) => ({
      id: k.id,
      name: k.name,
      execution_state: k.executionState,
      connections: k.connections,
      last_activity: k.lastActivity ?? null,
      notebook_path: sessions.find((s) => s.kernel.id === k.id)?.path ?? null,
      started_by_this_session: ctx.session.startedKernels.has(k.id),
    }));
    const def = ctx.session.defaultKernelId ?? null;
    const text = list.length
      ? list
          .map(
            (k) =>
              `${k.id} ${k.name} ${k.execution_state}${k.notebook_path ? ` notebook=${k.notebook_path}` : ''}` +
              `${k.started_by_this_session ? ' (started by this session)' : ''}${k.id === def ? ' (default for execute_code)' : ''}`,
          )
          .join('\n')
      : 'No kernels are running.';
    return ok(text, { kernels: list, default_kernel_id: def });
  },
});
