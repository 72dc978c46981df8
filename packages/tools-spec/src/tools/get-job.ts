import { z } from 'zod';
import { jobLine, jobStructured, renderLiveOutputs, renderRunReport } from '../runs/report.js';
import { findJob, jobIdArg, jobShape, NO_JOBS_INSTEAD, requireJobs } from '../runs/tools-common.js';
import { defineTool } from '../tool.js';

export const getJob = defineTool({
  name: 'get_job',
  title: 'Notebook job status',
  description:
    'Status of a background execute_notebook run: status, cells done of total, running cell, elapsed time, errors.',
  inputSchema: {
    job_id: jobIdArg,
    include_outputs: z.boolean().optional().describe('Add the outputs so far.'),
  },
  outputSchema: { ...jobShape, output: z.string().optional() },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  traits: { sessionState: { what: 'reads a background job', instead: NO_JOBS_INSTEAD } },
  needsJupyter: false,
  async handler(args, ctx) {
    const job = findJob(requireJobs(ctx), args.job_id);
    const structured = jobStructured(job);
    let text = jobLine(job);
    if (job.status === 'running')
      text += '\nStill running: call get_job again later (the output notebook is saved as cells finish).';
    if (job.result) {
      const r = renderRunReport(
        job.result,
        job.path,
        job.outputPath,
        args.include_outputs ? 'full' : 'minimal',
        ctx.deps.settings,
      );
      text += `\n${r.text}`;
      if (args.include_outputs)
        return {
          content: [{ type: 'text', text }, ...r.images],
          structuredContent: { ...structured, output: r.text },
        };
    } else if (args.include_outputs && job.live) {
      const live = renderLiveOutputs(job.live, job.outputPath, ctx.deps.settings);
      text += `\nOutputs of the cells finished so far:\n${live.text}`;
      return {
        content: [{ type: 'text', text }, ...live.images],
        structuredContent: { ...structured, output: live.text },
      };
    }
    return { content: [{ type: 'text', text }], structuredContent: structured };
  },
});
