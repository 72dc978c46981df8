import { z } from 'zod';
import { ToolError } from '../errors.js';
import { defineTool, ok } from '../tool.js';

export const listJupyterServers = defineTool({
  name: 'list_jupyter_servers',
  title: 'List local Jupyter Servers',
  description: 'Jupyter Servers running on this machine: URL, root, pid, version (tokens never shown).',
  inputSchema: {},
  outputSchema: {
    servers: z.array(
      z.object({
        url: z.string(),
        root_dir: z.string().optional(),
        pid: z.number().int().optional(),
        version: z.string().optional(),
        has_token: z.boolean(),
        managed_by_us: z.boolean().optional(),
      }),
    ),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  needsJupyter: false,
  async handler(_args, ctx) {
    if (!ctx.deps.discovery)
      throw new ToolError('NOT_MANAGED', 'Server discovery is not available in this app.', {
        hint: 'Use get_server_info.',
      });
    const servers = await ctx.deps.discovery.list();
    const text = servers.length
      ? servers
          .map(
            (s) =>
              `${s.url}${s.root_dir ? ` root=${s.root_dir}` : ''}${s.pid ? ` pid=${s.pid}` : ''}${s.version ? ` v${s.version}` : ''}` +
              `${s.has_token ? ' (token required)' : ''}${s.managed_by_us ? ' (embedded, managed by jupyter-mcp)' : ''}`,
          )
          .join('\n')
      : 'No running Jupyter Servers found in the runtime directory.';
    return ok(text, { servers });
  },
});
