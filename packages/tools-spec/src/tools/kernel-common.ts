import type { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { kernelIdForNotebook } from '../internal/kernels.js';
import { toApiPath } from '../internal/paths.js';
import type { ToolContext } from '../tool.js';
import { kernelIdArg, notebookPathArg } from './common.js';

export const kernelTargetShape = {
  kernel_id: kernelIdArg.optional(),
  notebook_path: notebookPathArg.optional(),
};

export const kernelInfoShape = {
  id: z.string(),
  name: z.string(),
  execution_state: z.string(),
  connections: z.number().int(),
  last_activity: z.string().nullable(),
  notebook_path: z.string().nullable(),
  started_by_this_session: z.boolean(),
};

/** The kernel id a kernel tool targets (exactly one of kernel_id / notebook_path; else the default kernel). */
export async function targetKernelId(
  ctx: ToolContext,
  args: { kernel_id?: string; notebook_path?: string },
): Promise<string> {
  if (args.kernel_id && args.notebook_path)
    throw new ToolError('INVALID_ARGUMENT', 'Both kernel_id and notebook_path were given.', {
      hint: 'Pass only one of them.',
    });
  if (args.kernel_id) return args.kernel_id;
  if (args.notebook_path) {
    const path = toApiPath(args.notebook_path, ctx.deps.settings.root, 'notebook_path');
    const id = await kernelIdForNotebook(await ctx.kernels(), path);
    if (!id)
      throw new ToolError('KERNEL_NOT_FOUND', `No kernel is attached to the notebook '${path}'.`, {
        hint: 'list_kernels shows running kernels and their notebooks.',
      });
    return id;
  }
  if (ctx.session.defaultKernelId) return ctx.session.defaultKernelId;
  throw new ToolError('INVALID_ARGUMENT', 'No kernel given and this session has no default kernel.', {
    hint: 'Pass kernel_id (list_kernels) or notebook_path.',
  });
}

/** GET api/kernels/{id} with a KERNEL_NOT_FOUND error on 404. */
export async function kernelModel(ctx: ToolContext, id: string): Promise<Record<string, unknown>> {
  const conn = await ctx.connection();
  const res = await conn.request('GET', `api/kernels/${encodeURIComponent(id)}`, { allowStatus: [404] });
  if (res.status === 404) {
    await res.arrayBuffer();
    throw new ToolError(
      'KERNEL_NOT_FOUND',
      `No running kernel has the id '${id}' (it was shut down, or the server restarted).`,
      {
        hint: 'list_kernels shows the running kernels; start_kernel starts a new one.',
      },
    );
  }
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Shut a kernel down (and the Jupyter sessions bound to it). Jupyter answers 500 to a DELETE that
 * races a kernel restart (e.g. right after the kernel died and is being auto-restarted): wait for the
 * restart to settle and try again.
 */
export async function deleteKernel(
  conn: JupyterConnection,
  id: string,
  sessionIds: string[] = [],
): Promise<void> {
  for (const s of sessionIds)
    await conn
      .request('DELETE', `api/sessions/${encodeURIComponent(s)}`, { allowStatus: [404, 500] })
      .then((r) => r.arrayBuffer());
  const url = `api/kernels/${encodeURIComponent(id)}`;
  for (let attempt = 0; ; attempt++) {
    const res = await conn.request('DELETE', url, { allowStatus: [404, 500] });
    await res.arrayBuffer();
    if (res.status !== 500) return;
    if (attempt >= 5)
      throw new ToolError(
        'JUPYTER_ERROR',
        `Jupyter failed to shut down kernel ${id} (HTTP 500 after ${attempt + 1} attempts).`,
        {
          hint: 'The kernel may be restarting; try again in a few seconds, or check the Jupyter Server log.',
        },
      );
    await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
  }
}
