import { z } from 'zod';
import { defineTool, ok } from '../tool.js';

export const getServerInfo = defineTool({
  name: 'get_server_info',
  title: 'Jupyter Server info',
  description:
    'The Jupyter Server in use: version, URL (no secrets), auth method, embedded or external, connection state.',
  inputSchema: {},
  outputSchema: {
    url: z.string().nullable(),
    mode: z.string(),
    auth_method: z.string().nullable(),
    jupyter_server_version: z.string().nullable(),
    root: z.string().nullable(),
    state: z.string(),
    problem: z.string().nullable(),
    app_version: z.string().nullable(),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  needsJupyter: false,
  async handler(_args, ctx) {
    let version: string | null = null;
    try {
      const conn = await ctx.connection();
      const api = (await conn.json('GET', 'api')) as { version?: string };
      version = api.version ?? null;
    } catch {
      version = null;
    }
    const d = ctx.deps.jupyter.describe();
    const info = {
      url: d.url ?? null,
      mode: d.mode,
      auth_method: d.authMethod ?? null,
      jupyter_server_version: version,
      root: d.root ?? null,
      state: d.state,
      problem: d.finding ? `${d.finding.summary}${d.finding.fix ? ` Fix: ${d.finding.fix}` : ''}` : null,
      app_version: ctx.deps.app?.version ?? null,
    };
    const text =
      `Jupyter Server ${info.jupyter_server_version ?? '(version unknown)'} at ${info.url ?? '(none yet)'}\n` +
      `mode: ${info.mode}${info.root ? `, root ${info.root}` : ''}; auth: ${info.auth_method ?? 'unknown'}; connection: ${info.state}` +
      (info.problem ? `\nproblem: ${info.problem}` : '') +
      (info.app_version ? `\njupyter-mcp ${info.app_version}` : '');
    return ok(text, info);
  },
});
