import { z } from 'zod';
import { ToolError } from '../errors.js';
import { defineTool, ok } from '../tool.js';

export const startJupyterServer = defineTool({
  name: 'start_jupyter_server',
  title: 'Start the embedded Jupyter Server',
  description: 'Start the embedded Jupyter Server (only without --url; it normally starts by itself).',
  inputSchema: {},
  outputSchema: { url: z.string(), pid: z.number().int(), root: z.string(), already_running: z.boolean() },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  traits: { serverControl: true },
  needsJupyter: false,
  async handler(_args, ctx) {
    const server = ctx.deps.server;
    if (!server?.enabled)
      throw new ToolError(
        'NOT_MANAGED',
        'jupyter-mcp is connected to an external Jupyter Server; it does not start or stop servers.',
        {
          hint: 'Run jupyter-mcp without --url to let it manage its own server.',
        },
      );
    const was = server.status().running;
    const info = await server.start();
    return ok(
      `${was ? 'Already running' : 'Started'}: embedded Jupyter Server at ${info.url} (pid ${info.pid}, root ${info.root}).`,
      {
        ...info,
        already_running: was,
      },
    );
  },
});
