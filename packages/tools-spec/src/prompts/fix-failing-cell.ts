import type { Cell, Notebook } from '@jupyter-mcp/notebook-model';
import { resourceUri } from '../mcp/resource-uris.js';
import { cellMarkdown } from '../render/notebook-markdown.js';
import { definePrompt, userText } from './prompt.js';

/** Index of the cell to fix: the one named (id or index), else the first with an error output. */
export function failingCell(nb: Notebook, ref: string | undefined): number {
  if (ref) {
    const byId = nb.cells.findIndex((c) => c.id === ref);
    if (byId >= 0) return byId;
    return /^\d+$/.test(ref) && Number(ref) < nb.cells.length ? Number(ref) : -2;
  }
  return nb.cells.findIndex(hasError);
}

export function hasError(cell: Cell): boolean {
  return cell.cell_type === 'code' && cell.outputs.some((o) => o.output_type === 'error');
}

export const fixFailingCell = definePrompt({
  name: 'fix_failing_cell',
  title: 'Fix the failing cell',
  description: 'Find why a notebook cell fails, fix it with a minimal edit and re-run it until it works.',
  arguments: [
    {
      name: 'path',
      description: 'Notebook path under the Jupyter root.',
      required: true,
      complete: 'notebook',
    },
    {
      name: 'cell_id',
      description: 'The cell to fix (id or 0-based index); default: the first cell with an error.',
      complete: 'cell',
    },
  ],
  needs: ['read_notebook', 'edit_cell', 'execute_cell'],
  async build(args, ctx) {
    const { path, notebook } = await ctx.notebook(args.path!);
    const index = failingCell(notebook, args.cell_id);
    const steps =
      'Find the cause (read the cells before it with read_notebook when the error depends on earlier state), ' +
      'fix the code with a minimal edit_cell, re-run it with execute_cell, and repeat until it runs without error. ' +
      'Then say what was wrong and what you changed. Do not delete outputs or unrelated cells.';
    if (index === -2)
      return [
        userText(
          `The notebook ${path} has no cell ${args.cell_id}. List its cells with read_notebook, then: ${steps}`,
        ),
      ];
    if (index < 0)
      return [
        userText(
          `No cell of ${path} has an error in its saved outputs. Run its code cells in order with execute_cell until one fails, then: ${steps}`,
        ),
      ];
    const cell = notebook.cells[index]!;
    return [
      userText(
        `Cell ${index}${cell.id ? ` (id ${cell.id})` : ''} of ${path} fails. ${steps} The cell is attached.`,
      ),
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: {
            uri: resourceUri(path, `cell=${cell.id ?? index}`),
            mimeType: 'text/markdown',
            text: cellMarkdown(cell, index, notebook.language ?? 'python', path),
          },
        },
      },
    ];
  },
});
