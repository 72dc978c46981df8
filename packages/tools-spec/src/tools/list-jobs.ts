import { z } from 'zod';
import { jobLine, jobStructured } from '../runs/report.js';
import { jobShape, requireJobs } from '../runs/tools-common.js';
import { defineTool } from '../tool.js';

export const listJobs = defineTool({
  name: 'list_jobs',
  title: 'List notebook jobs',
  description:
    'Notebook runs (execute_notebook) started by this MCP session, oldest first, with status and progress. all_sessions: true lists every job of this server.',
  inputSchema: {
    all_sessions: z
      .boolean()
      .optional()
      .describe("List every session's jobs, not only this session's (default false)."),
  },
  outputSchema: { jobs: z.array(z.object(jobShape)) },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  needsJupyter: false,
  async handler(args, ctx) {
    const jobs = requireJobs(ctx).list(args.all_sessions ? undefined : ctx.session.id);
    const now = Date.now();
    const text = jobs.length
      ? jobs.map((j) => jobLine(j, now)).join('\n')
      : 'No notebook jobs in this session. execute_notebook with background: true starts one.';
    return {
      content: [{ type: 'text', text }],
      structuredContent: { jobs: jobs.map((j) => jobStructured(j, now)) },
    };
  },
});
