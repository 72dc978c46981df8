import { z } from 'zod';
import { renderOutputs } from '../render/outputs.js';
import { boundText } from '../render/text.js';
import { defineTool, ok } from '../tool.js';
import { cellLabel, cellOutputSchema, cellSummary, notebookPath, pathArg } from './common.js';

const BRIEF_SOURCE_LINES = 12;

export const readNotebook = defineTool({
  name: 'read_notebook',
  title: 'Read a notebook',
  description:
    'Read cells (index, id, type, source, outputs as text), paged. format "brief" shortens long cells, "full" shows all; read_cell adds images.',
  inputSchema: {
    path: pathArg,
    offset: z.number().int().min(0).default(0).describe('First cell index.'),
    limit: z.number().int().min(1).max(500).default(50).describe('Cells to return.'),
    include_outputs: z.boolean().default(true).describe('Include outputs.'),
    format: z.enum(['brief', 'full']).default('brief').describe('"brief" (overview) or "full".'),
  },
  outputSchema: {
    path: z.string(),
    total_cells: z.number().int(),
    offset: z.number().int(),
    cells: z.array(
      z.object({ ...cellOutputSchema, source: z.string(), outputs_text: z.string().optional() }),
    ),
    next_offset: z.number().int().nullable(),
    truncated: z.boolean(),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const path = notebookPath(ctx, args.path);
    const { notebook } = await (await ctx.files()).read(path);
    const total = notebook.cells.length;
    const slice = notebook.cells.slice(args.offset, args.offset + args.limit);
    const brief = args.format === 'brief';
    const limit = ctx.deps.settings.outputLimit;
    // Each cell gets a fair share of the budget in brief mode.
    const perCell = brief ? Math.max(400, Math.floor(limit / Math.max(1, slice.length))) : limit;
    const cells: Record<string, unknown>[] = [];
    const blocks: string[] = [];
    slice.forEach((cell, i) => {
      const index = args.offset + i;
      let source = cell.source;
      if (brief) {
        const lines = source.split('\n');
        if (lines.length > BRIEF_SOURCE_LINES)
          source = `${lines.slice(0, BRIEF_SOURCE_LINES).join('\n')}\n… [${lines.length - BRIEF_SOURCE_LINES} more lines; read_cell shows all]`;
      }
      let outputsText: string | undefined;
      if (args.include_outputs && cell.cell_type === 'code' && cell.outputs.length) {
        const r = renderOutputs(cell.outputs, {
          imageLimitBytes: 0,
          location: `read_cell with index ${index} returns it`,
        });
        outputsText = boundText(
          r.text,
          brief ? Math.min(perCell, 1500) : perCell,
          'read_cell shows the whole output',
        ).text;
      }
      const block = `${cellLabel(cell, index)}\n${source}${outputsText ? `\n--- outputs ---\n${outputsText}` : ''}`;
      blocks.push(boundText(block, perCell, 'read_cell shows the whole cell').text);
      cells.push({
        ...cellSummary(cell, index),
        source: boundText(source, perCell).text,
        ...(outputsText !== undefined ? { outputs_text: outputsText } : {}),
      });
    });
    const next = args.offset + slice.length < total ? args.offset + slice.length : null;
    const kernel = notebook.kernelName ? `, kernel ${notebook.kernelName}` : '';
    const head = `${path}: ${total} cells${kernel}; showing ${slice.length ? `${args.offset}–${args.offset + slice.length - 1}` : 'none'}`;
    const more = next !== null ? `\n\nMore cells: call again with offset ${next}.` : '';
    const b = boundText(
      `${head}\n\n${blocks.join('\n\n')}${more}`,
      limit,
      'page with offset/limit or use read_cell',
    );
    // Keep structured content within the same budget.
    let structuredCells = cells;
    if (JSON.stringify(cells).length > limit)
      structuredCells = cells.map((c) => ({
        ...c,
        source: boundText(String(c.source), 200).text,
        outputs_text: undefined,
      }));
    return ok(b.text, {
      path,
      total_cells: total,
      offset: args.offset,
      cells: structuredCells,
      next_offset: next,
      truncated: b.omitted > 0,
    });
  },
});
