import { z } from 'zod';
import { resolveKernel, runCode } from '../internal/kernels.js';
import { defineTool } from '../tool.js';
import { timeoutArg } from './common.js';
import { kernelTargetShape } from './kernel-common.js';

export const executeCode = defineTool({
  name: 'execute_code',
  title: 'Run code',
  description:
    "Run code in a kernel: kernel_id, notebook_path's, else this session's own (state persists). Returns the output as text (images as image content, errors with traceback); writes no notebook.",
  inputSchema: {
    code: z.string().describe('Code to run.'),
    ...kernelTargetShape,
    timeout_s: timeoutArg.optional(),
  },
  outputSchema: {
    kernel_id: z.string(),
    status: z.string(),
    execution_count: z.number().int().nullable(),
    duration_ms: z.number(),
    output: z.string(),
    images: z.number().int(),
    truncated: z.boolean(),
    error: z.object({ ename: z.string(), evalue: z.string() }).optional(),
  },
  // Code run in a kernel can reach anything the kernel can (files, network): an open world.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  traits: { kernel: 'session', longRunning: true },
  async handler(args, ctx) {
    const handle = await resolveKernel(ctx, args, { create: !args.kernel_id });
    const run = await runCode(
      ctx,
      handle,
      args.code,
      args.timeout_s,
      'the kernel (assign the value to a variable and print parts of it)',
    );
    return {
      content: [{ type: 'text', text: run.text }, ...run.images],
      structuredContent: {
        kernel_id: handle.id,
        status: run.result.status,
        execution_count: run.result.executionCount,
        duration_ms: Math.round(run.result.durationMs),
        output: run.text,
        images: run.images.length,
        truncated: run.truncated,
        ...(run.error ? { error: run.error } : {}),
      },
      ...(run.result.status !== 'ok' ? { isError: true } : {}),
    };
  },
});
