import { z } from 'zod';
import { ToolError } from '../errors.js';
import { defineTool, ok } from '../tool.js';

export const stopJupyterServer = defineTool({
  name: 'stop_jupyter_server',
  title: 'Stop the embedded Jupyter Server',
  description:
    'Stop the embedded Jupyter Server and its kernels. Refused for an external server or while other sessions use it.',
  inputSchema: {},
  outputSchema: { stopped: z.boolean() },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  traits: { serverControl: true },
  needsJupyter: false,
  async handler(_args, ctx) {
    const server = ctx.deps.server;
    if (!server?.enabled)
      throw new ToolError(
        'NOT_MANAGED',
        'jupyter-mcp is connected to an external Jupyter Server; it will not stop it.',
        {
          hint: 'Stop that server yourself if you mean to.',
        },
      );
    if (!server.status().running)
      return ok('The embedded Jupyter Server is not running.', { stopped: false });
    await server.stop(ctx.session.id);
    ctx.session.startedKernels.clear();
    ctx.session.defaultKernelId = undefined;
    return ok('Stopped the embedded Jupyter Server and its kernels.', { stopped: true });
  },
});
