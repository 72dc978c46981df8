import { z } from 'zod';
import { jobLine, jobStructured, renderLiveOutputs, renderRunReport } from '../runs/report.js';
import { findJob, jobIdArg, jobShape, requireJobs } from '../runs/tools-common.js';
import { defineTool } from '../tool.js';

export const getJob = defineTool({
  name: 'get_job',
  title: 'Notebook job status',
  description:
    'Status of a notebook run started by execute_notebook (background: true): running / completed / failed / cancelled, cells done of ' +
    'total, the cell running now and for how long, elapsed time, errors so far. include_outputs adds the rendered outputs of the cells ' +
    'that ran (bounded). Works from any session of this server.',
  inputSchema: {
    job_id: jobIdArg,
    include_outputs: z
      .boolean()
      .optional()
      .describe('Add the outputs of the cells run so far (default false).'),
  },
  outputSchema: { ...jobShape, output: z.string().optional() },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
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
