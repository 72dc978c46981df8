import { z } from 'zod';
import { ToolError } from '../errors.js';
import { executeNotebookCell } from '../internal/cells.js';
import { defineTool, ok } from '../tool.js';
import { cellIdArg, mutateNotebook, notebookPath, pathArg, timeoutArg } from './common.js';

export const insertCell = defineTool({
  name: 'insert_cell',
  title: 'Insert a cell',
  description:
    'Insert a cell and save. Position: index, before_cell_id or after_cell_id (none = append). execute: true also runs it, saving outputs.',
  inputSchema: {
    path: pathArg,
    index: z.number().int().min(0).optional().describe('Insert before this index.'),
    before_cell_id: cellIdArg.optional().describe('Insert before this cell id.'),
    after_cell_id: cellIdArg.optional().describe('Insert after this cell id.'),
    cell_type: z.enum(['code', 'markdown', 'raw']).default('code').describe('Cell type.'),
    source: z.string().describe('Cell source.'),
    execute: z.boolean().default(false).describe('Run it now (code cells).'),
    tags: z.array(z.string().min(1)).optional().describe('Cell tags, e.g. ["parameters"].'),
    timeout_s: timeoutArg.optional(),
  },
  outputSchema: {
    path: z.string(),
    index: z.number().int(),
    cell_id: z.string().nullable(),
    total_cells: z.number().int(),
    execution: z.record(z.string(), z.unknown()).optional(),
  },
  // Code run in a kernel can reach anything the kernel can (files, network): an open world.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  traits: { kernel: 'notebook' },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const given = [args.index, args.before_cell_id, args.after_cell_id].filter((x) => x !== undefined).length;
    if (given > 1)
      throw new ToolError('INVALID_ARGUMENT', 'More than one position was given.', {
        hint: 'Pass at most one of index, before_cell_id, after_cell_id (none = append).',
      });
    const { value, notebook } = await mutateNotebook(ctx, path, (nb) =>
      nb.insertCell({
        index: args.index,
        beforeCellId: args.before_cell_id,
        afterCellId: args.after_cell_id,
        cellType: args.cell_type,
        source: args.source,
        ...(args.tags?.length ? { metadata: { tags: args.tags } } : {}),
      }),
    );
    const base = {
      path,
      index: value.index,
      cell_id: value.cell.id ?? null,
      total_cells: notebook.cells.length,
    };
    const text = `Inserted a ${args.cell_type} cell at index ${value.index}${value.cell.id ? ` (id ${value.cell.id})` : ''} in ${path} (${notebook.cells.length} cells).`;
    if (!args.execute || args.cell_type !== 'code') return ok(text, base);
    const run = await executeNotebookCell(ctx, path, value.cell.id ?? value.index, args.timeout_s);
    const runText = run.content[0]?.type === 'text' ? run.content[0].text : '';
    return {
      ...run,
      content: [{ type: 'text', text: `${text}\n${runText}` }, ...run.content.slice(1)],
      structuredContent: { ...base, execution: run.structuredContent },
    };
  },
});
