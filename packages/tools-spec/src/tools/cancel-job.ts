import { jobLine, jobStructured } from '../runs/report.js';
import { findJob, jobIdArg, jobShape, NO_JOBS_INSTEAD, requireJobs } from '../runs/tools-common.js';
import { defineTool } from '../tool.js';

/** How long cancel_job waits for the run to save and stop its kernel. */
const WAIT_MS = 30_000;

export const cancelJob = defineTool({
  name: 'cancel_job',
  title: 'Cancel a notebook job',
  description: 'Cancel a notebook job: interrupt it, save what ran, stop the kernel it started.',
  inputSchema: { job_id: jobIdArg },
  outputSchema: { ...jobShape },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  traits: { sessionState: { what: 'cancels a background job', instead: NO_JOBS_INSTEAD } },
  needsJupyter: false,
  async handler(args, ctx) {
    const job = findJob(requireJobs(ctx), args.job_id);
    if (job.status !== 'running')
      return {
        content: [
          {
            type: 'text',
            text: `Job ${job.id} already ended (${job.status}); nothing to cancel.\n${jobLine(job)}`,
          },
        ],
        structuredContent: jobStructured(job),
      };
    job.cancel();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      job.done.then(() => true),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(false), WAIT_MS);
      }),
    ]);
    if (timer) clearTimeout(timer);
    const text = finished
      ? `Cancelled job ${job.id}: ${jobLine(job)}\nWhat ran is saved in ${job.outputPath}.`
      : `Cancel requested for job ${job.id}; it is still stopping (the kernel has not answered the interrupt yet). Poll get_job.`;
    return {
      content: [{ type: 'text', text }],
      structuredContent: jobStructured(job),
    };
  },
});
