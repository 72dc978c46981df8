import { z } from 'zod';
import { executeNotebookCell } from '../internal/cells.js';
import { defineTool } from '../tool.js';
import { cellIdArg, cellRef, indexArg, notebookPath, pathArg, timeoutArg } from './common.js';

export const executeCell = defineTool({
  name: 'execute_cell',
  title: 'Run a notebook cell',
  description:
    "Run a code cell in the notebook's kernel (started if none); save its outputs and execution_count unless the cell changed meanwhile.",
  inputSchema: {
    path: pathArg,
    index: indexArg.optional(),
    cell_id: cellIdArg.optional(),
    timeout_s: timeoutArg.optional(),
  },
  outputSchema: {
    path: z.string(),
    index: z.number().int(),
    cell_id: z.string().nullable(),
    kernel_id: z.string().optional(),
    status: z.string(),
    execution_count: z.number().int().nullable(),
    duration_ms: z.number().optional(),
    saved: z.boolean(),
    output: z.string(),
    images: z.number().int().optional(),
    truncated: z.boolean().optional(),
    error: z.object({ ename: z.string(), evalue: z.string() }).optional(),
  },
  // Code run in a kernel can reach anything the kernel can (files, network): an open world.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  traits: { kernel: 'notebook' },
  async handler(args, ctx) {
    return executeNotebookCell(ctx, notebookPath(ctx, args.path), cellRef(args), args.timeout_s);
  },
});
