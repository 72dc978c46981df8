/** Shared pieces of get_job / list_jobs / cancel_job. */
import { z } from 'zod';
import { ToolError } from '../errors.js';
import type { ToolContext } from '../tool.js';
import type { Job, JobRegistry } from './jobs.js';

/** What to do instead of the job tools where no jobs are kept (stateless HTTP). */
export const NO_JOBS_INSTEAD =
  'Run notebooks in the foreground (execute_notebook without background: true), or use a server that keeps sessions.';

export const jobIdArg = z.string().min(1).describe('Job id from execute_notebook.');

export const jobShape = {
  job_id: z.string(),
  status: z.string(),
  path: z.string(),
  output_path: z.string(),
  kernel_id: z.string().nullable(),
  kernel_name: z.string().nullable(),
  cells_done: z.number().int(),
  cells_total: z.number().int(),
  current_cell: z
    .object({ index: z.number().int(), cell_id: z.string().nullable(), elapsed_s: z.number() })
    .nullable(),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  elapsed_s: z.number(),
  errors: z.array(
    z.object({
      index: z.number().int(),
      cell_id: z.string().nullable(),
      ename: z.string(),
      evalue: z.string(),
    }),
  ),
  failure: z.string().optional(),
};

/** The registry, or a clear error when this server keeps no jobs. */
export function requireJobs(ctx: ToolContext): JobRegistry {
  const jobs = ctx.deps.jobs;
  if (!jobs)
    throw new ToolError(
      'INVALID_ARGUMENT',
      'This server keeps no notebook jobs (background runs are unavailable).',
      {
        hint: 'The server is stateless (e.g. stateless HTTP). Run execute_notebook without background: true.',
      },
    );
  return jobs;
}

export function findJob(jobs: JobRegistry, id: string): Job {
  const job = jobs.get(id);
  if (!job)
    throw new ToolError('NOT_FOUND', `No notebook job has the id '${id}'.`, {
      hint: "list_jobs shows this session's jobs. Jobs live as long as the server process; finished ones are eventually forgotten.",
    });
  return job;
}
