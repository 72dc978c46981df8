import { z } from 'zod';
import { jobLine, jobStructured } from '../runs/report.js';
import { jobShape, NO_JOBS_INSTEAD, requireJobs } from '../runs/tools-common.js';
import { defineTool } from '../tool.js';

export const listJobs = defineTool({
  name: 'list_jobs',
  title: 'List notebook jobs',
  description: "This session's notebook jobs with status and progress.",
  inputSchema: {
    all_sessions: z.boolean().optional().describe("Every session's jobs."),
  },
  outputSchema: { jobs: z.array(z.object(jobShape)) },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  traits: { sessionState: { what: 'lists background jobs', instead: NO_JOBS_INSTEAD } },
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
