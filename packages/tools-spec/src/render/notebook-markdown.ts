import type { Cell, Notebook } from '@jupyter-mcp/notebook-model';
import { renderOutputs } from './outputs.js';

export interface MarkdownViewOptions {
  /** Notebook path, for the heading and notes. */
  path: string;
  /** First and last cell index to show (inclusive); default: all. */
  range?: [number, number];
  /** Largest size of the view in characters: cells past it are left out with a note saying how to
   *  read them (never cut inside a cell). */
  limit: number;
  /** How a reader gets the cells left out (e.g. a resource URI template). */
  more?: (first: number, last: number) => string;
}

/**
 * A notebook as markdown for a reader: a heading with the kernel and cell count, then each cell —
 * markdown cells as they are, code cells fenced in the notebook's language with their outputs as
 * text (images described, never inlined).
 */
export function notebookMarkdown(nb: Notebook, options: MarkdownViewOptions): string {
  const total = nb.cells.length;
  const [first, last] = options.range ?? [0, total - 1];
  const lang = nb.language ?? 'python';
  const head = `# ${options.path}\n\n${[nb.kernelName && `kernel ${nb.kernelName}`, `${total} cells`].filter(Boolean).join(' · ')}${
    options.range ? ` · showing cells ${first}–${Math.min(last, total - 1)}` : ''
  }\n`;
  const parts = [head];
  let size = head.length;
  for (let i = Math.max(0, first); i <= Math.min(last, total - 1); i++) {
    const block = cellMarkdown(nb.cells[i]!, i, lang, options.path);
    if (size + block.length > options.limit && i > first) {
      const end = Math.min(last, total - 1);
      parts.push(
        `\n_[Cells ${i}–${end} are not shown: the view is limited to ${options.limit.toLocaleString('en-US')} characters.${
          options.more ? ` Read them with ${options.more(i, end)}.` : ''
        }]_\n`,
      );
      break;
    }
    parts.push(block);
    size += block.length;
  }
  return parts.join('\n');
}

/** One cell as a markdown section: `## [3] code · id a1b2 · exec 5`, its source, its outputs. */
export function cellMarkdown(cell: Cell, index: number, language: string, path: string): string {
  const meta = [
    `[${index}] ${cell.cell_type}`,
    cell.id ? `id ${cell.id}` : undefined,
    cell.cell_type === 'code' && cell.execution_count != null ? `exec ${cell.execution_count}` : undefined,
  ].filter(Boolean);
  const title = `## ${meta.join(' · ')}\n`;
  if (cell.cell_type === 'markdown') return `${title}\n${cell.source}\n`;
  if (cell.cell_type === 'raw') return `${title}\n${fence(cell.source, '')}\n`;
  let text = `${title}\n${fence(cell.source, language)}\n`;
  if (cell.outputs.length) {
    const r = renderOutputs(cell.outputs, { imageLimitBytes: 0, location: `cell ${index} of ${path}` });
    text += `\nOutput:\n\n${fence(r.text, '')}\n`;
  }
  return text;
}

/** A fenced block whose fence is longer than any backtick run inside (so content cannot close it). */
function fence(text: string, lang: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n$/, '')}\n${f}`;
}
