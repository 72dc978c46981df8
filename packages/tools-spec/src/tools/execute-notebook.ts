import type { ParameterValue } from '@jupyter-mcp/notebook-model';
import { z } from 'zod';
import { ToolError } from '../errors.js';
import { executePlannedRun, planRun } from '../runs/execute.js';
import { renderRunReport, runStructured } from '../runs/report.js';
import type { RunEvent } from '../runs/runner.js';
import { defineTool } from '../tool.js';
import { apiPath, notebookPath, pathArg } from './common.js';

export const executeNotebook = defineTool({
  name: 'execute_notebook',
  title: 'Run a whole notebook (papermill)',
  description:
    'Run a notebook top to bottom like papermill: inject parameters, fresh kernel, save to output_path (input untouched) or in place as cells finish. Stops at the first error unless continue_on_error. background: true returns a job_id.',
  inputSchema: {
    path: pathArg,
    parameters: z
      .record(z.string(), z.any())
      .optional()
      .describe('Values injected after the "parameters" cell, e.g. {"alpha": 0.5}.'),
    output_path: z.string().min(1).optional().describe('Save the run here (default: in place).'),
    kernel_name: z.string().min(1).optional().describe("Kernelspec (default: the notebook's)."),
    kernel_id: z.string().min(1).optional().describe('Use this running kernel (kept afterwards).'),
    timeout_s: z
      .number()
      .positive()
      .max(86_400)
      .optional()
      .describe('Per-cell timeout in seconds (default 600).'),
    continue_on_error: z.boolean().optional().describe('Keep going after a failing cell.'),
    start_index: z.number().int().min(0).optional().describe('First cell to run.'),
    end_index: z.number().int().min(0).optional().describe('Last cell to run (inclusive).'),
    report: z
      .enum(['minimal', 'summary', 'full'])
      .optional()
      .describe('Status line, summary (default) or all output.'),
    background: z.boolean().optional().describe('Return a job_id at once (poll get_job).'),
  },
  outputSchema: {
    path: z.string(),
    output_path: z.string(),
    job_id: z.string().optional(),
    status: z.string(),
    kernel_name: z.string().nullable().optional(),
    cells_total: z.number().int(),
    cells_run: z.number().int().optional(),
    duration_s: z.number().optional(),
    errors: z
      .array(
        z.object({
          index: z.number().int(),
          cell_id: z.string().nullable(),
          ename: z.string(),
          evalue: z.string(),
          execution_count: z.number().int().nullable().optional(),
        }),
      )
      .optional(),
    saved: z.boolean().optional(),
    cells: z
      .array(
        z.object({
          index: z.number().int(),
          cell_id: z.string().nullable(),
          status: z.string(),
          execution_count: z.number().int().nullable(),
          duration_s: z.number().nullable(),
        }),
      )
      .optional(),
    output: z.string().optional(),
    truncated: z.boolean().optional(),
  },
  // Code run in a kernel can reach anything the kernel can (files, network): an open world.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  traits: {
    kernel: 'fresh',
    longRunning: true,
    sessionState: {
      what: 'runs a background job',
      instead: 'Run it without background: true (in the foreground).',
      when: (args) => args.background === true,
    },
  },
  async handler(args, ctx) {
    const jobs = ctx.deps.jobs;
    if (args.background && !jobs)
      throw new ToolError('INVALID_ARGUMENT', 'Background runs are not available on this server.', {
        hint: 'This server keeps no state between requests (stateless HTTP). Run without background: true, or use a stateful server.',
      });
    if (args.background && jobs?.closed)
      throw new ToolError('INVALID_ARGUMENT', 'The server is shutting down; no new runs are accepted.', {
        hint: 'Try again once the server is back.',
      });
    const path = notebookPath(ctx, args.path);
    const output = args.output_path === undefined ? undefined : apiPath(ctx, args.output_path, 'output_path');
    if (output === '')
      throw new ToolError('INVALID_ARGUMENT', 'output_path is empty.', {
        hint: 'Pass a notebook path such as "out/report.ipynb", or omit it to run in place.',
      });
    const level = args.report ?? 'summary';
    const plan = await planRun(
      ctx,
      {
        path,
        outputPath: output,
        parameters: (args.parameters ?? {}) as Record<string, ParameterValue>,
        ...(args.kernel_name ? { kernelName: args.kernel_name } : {}),
        ...(args.kernel_id ? { kernelId: args.kernel_id } : {}),
        timeoutS: args.timeout_s ?? 600,
        continueOnError: args.continue_on_error ?? false,
        ...(args.start_index !== undefined ? { startIndex: args.start_index } : {}),
        ...(args.end_index !== undefined ? { endIndex: args.end_index } : {}),
      },
      jobs,
    );
    const kernelName = plan.kernelName ?? plan.args.kernelName ?? null;

    if (args.background && jobs) {
      const job = jobs.start({
        sessionId: ctx.session.id,
        path,
        outputPath: plan.outputPath,
        background: true,
        cellsTotal: plan.total,
        live: plan.prepared.notebook,
        run: (signal, onEvent, j) => executePlannedRun(ctx, plan, signal, onEvent, j),
      });
      const text =
        `Started job ${job.id}: ${path}${plan.inPlace ? ' (in place)' : ` → ${plan.outputPath}`}, ${plan.total} code cells, kernel ${kernelName ?? '?'}.\n` +
        `Poll get_job with job_id "${job.id}" for progress; cancel_job stops it. The output notebook is saved as cells finish.`;
      return {
        content: [{ type: 'text', text }],
        structuredContent: {
          path,
          output_path: plan.outputPath,
          job_id: job.id,
          status: 'running',
          kernel_name: kernelName,
          cells_total: plan.total,
        },
      };
    }

    // Foreground: progress per cell; the request's cancellation cancels the run (what ran is saved).
    const onEvent = (e: RunEvent) => {
      if (e.type === 'cell-start')
        ctx.progress(e.done, e.total, `cell ${e.index} started (${e.done + 1}/${e.total})`);
      else if (e.type === 'cell-end')
        ctx.progress(
          e.done,
          e.total,
          `cell ${e.index} ${e.status}${e.error ? `: ${e.error.ename}: ${e.error.evalue}`.slice(0, 200) : ''}`,
        );
      else if (e.type === 'output') ctx.progress(e.done, e.total, `cell ${e.index}: ${e.text}`);
    };
    const run = async (signal: AbortSignal, j?: Parameters<typeof executePlannedRun>[4]) =>
      executePlannedRun(ctx, plan, signal, onEvent, j);
    let result: Awaited<ReturnType<typeof run>>;
    let jobId: string | undefined;
    if (jobs && !jobs.closed) {
      // Registered so a shutdown cancels it and get_job can see it; the request's signal cancels it too.
      const job = jobs.start({
        sessionId: ctx.session.id,
        path,
        outputPath: plan.outputPath,
        background: false,
        cellsTotal: plan.total,
        live: plan.prepared.notebook,
        run: (signal, relay, j) =>
          executePlannedRun(
            ctx,
            plan,
            signal,
            (e) => {
              relay(e);
              onEvent(e);
            },
            j,
          ),
      });
      jobId = job.id;
      const onAbort = () => job.cancel();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        await job.done;
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
      if (!job.result) throw job.failure ?? new Error('The run ended without a result.');
      result = job.result;
    } else {
      result = await run(ctx.signal);
    }
    const report = renderRunReport(result, path, plan.outputPath, level, ctx.deps.settings);
    return {
      content: [{ type: 'text', text: report.text }, ...report.images],
      structuredContent: {
        path,
        output_path: plan.outputPath,
        ...(jobId ? { job_id: jobId } : {}),
        kernel_name: kernelName,
        ...runStructured(result, level),
        output: report.text,
        truncated: report.truncated,
      },
      ...(result.status !== 'completed' ? { isError: true } : {}),
    };
  },
});
