import { type ChildNode, type Element, isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/** Elements whose content is never text for a reader. */
const SKIPPED = new Set(['script', 'style', 'head', 'svg', 'template', 'noscript', 'iframe', 'canvas']);
/** Elements that start a new line. */
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'nav',
  'aside',
  'pre',
  'blockquote',
  'details',
  'summary',
  'figure',
  'figcaption',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'hr',
  'form',
  'fieldset',
]);

/** True when an HTML output holds a table (pandas DataFrames, styled tables). */
export function hasHtmlTable(html: string): boolean {
  return /<table[\s>]/i.test(html);
}

/**
 * Reduce HTML to readable text for a model: tables become markdown tables, headings `#` lines, list
 * items `- ` lines, links keep their text; scripts, styles and SVG are dropped; entities decoded and
 * blank runs collapsed. Parsed with htmlparser2 (forgiving, like a browser).
 */
export function htmlToText(html: string): string {
  const doc = parseDocument(html, { decodeEntities: true });
  const out: string[] = [];
  walk(doc.children, out);
  return out
    .join('')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function walk(nodes: readonly ChildNode[], out: string[]): void {
  for (const node of nodes) {
    if (isText(node)) {
      out.push(node.data.replace(/\s+/g, ' '));
      continue;
    }
    if (!isTag(node)) continue;
    const name = node.name.toLowerCase();
    if (SKIPPED.has(name)) continue;
    if (name === 'br') out.push('\n');
    else if (name === 'table') out.push(`\n\n${tableToMarkdown(node)}\n\n`);
    else if (/^h[1-6]$/.test(name)) out.push(`\n\n${'#'.repeat(Number(name[1]))} ${inlineText(node)}\n\n`);
    else if (name === 'li') {
      out.push('\n- ');
      walk(node.children, out);
      out.push('\n');
    } else if (name === 'pre') out.push(`\n${textContent(node)}\n`);
    else if (BLOCKS.has(name)) {
      out.push('\n');
      walk(node.children, out);
      out.push('\n');
    } else walk(node.children, out);
  }
}

function textContent(node: ChildNode): string {
  if (isText(node)) return node.data;
  if (!isTag(node) || SKIPPED.has(node.name.toLowerCase())) return '';
  if (node.name.toLowerCase() === 'br') return '\n';
  return node.children.map(textContent).join('');
}

function inlineText(node: ChildNode): string {
  return textContent(node).replace(/\s+/g, ' ').trim();
}

function childTags(node: Element, names: readonly string[]): Element[] {
  return node.children.filter((c): c is Element => isTag(c) && names.includes(c.name.toLowerCase()));
}

/** The rows of a table in document order (thead, tbody, tfoot or bare tr), with their section. */
function tableRows(table: Element): Array<{ row: Element; head: boolean }> {
  const rows: Array<{ row: Element; head: boolean }> = [];
  for (const child of childTags(table, ['thead', 'tbody', 'tfoot', 'tr'])) {
    const name = child.name.toLowerCase();
    if (name === 'tr') rows.push({ row: child, head: false });
    else for (const tr of childTags(child, ['tr'])) rows.push({ row: tr, head: name === 'thead' });
  }
  return rows;
}

/** Cells of each row with colspan/rowspan expanded (a spanned cell repeats its text, as pandas means). */
function grid(rows: Element[]): string[][] {
  const out: string[][] = [];
  const carried: Array<{ text: string; left: number } | undefined> = [];
  rows.forEach((tr, r) => {
    const line: string[] = [];
    let col = 0;
    const fillCarried = () => {
      while (carried[col] && carried[col]!.left > 0) {
        line[col] = carried[col]!.text;
        carried[col]!.left--;
        col++;
      }
    };
    for (const cell of childTags(tr, ['th', 'td'])) {
      fillCarried();
      const text = inlineText(cell).replace(/\|/g, '\\|');
      const span = Math.max(1, Math.min(50, Number(cell.attribs.colspan) || 1));
      const down = Math.max(1, Math.min(1000, Number(cell.attribs.rowspan) || 1));
      for (let i = 0; i < span; i++) {
        line[col] = i === 0 ? text : '';
        if (down > 1) carried[col] = { text, left: down - 1 };
        col++;
      }
    }
    fillCarried();
    out[r] = line;
  });
  return out;
}

/** A markdown table; header rows (thead, or a first row of th cells) are merged into one header. */
export function tableToMarkdown(table: Element): string {
  const rows = tableRows(table);
  if (!rows.length) return '';
  let headCount = rows.filter((r) => r.head).length;
  if (!headCount && childTags(rows[0]!.row, ['td']).length === 0) headCount = 1;
  const cells = grid(rows.map((r) => r.row));
  const width = Math.max(...cells.map((c) => c.length), 1);
  const pad = (c: string[]) => Array.from({ length: width }, (_, i) => c[i] ?? '');
  const header = headCount
    ? pad([]).map((_, i) =>
        cells
          .slice(0, headCount)
          .map((row) => row[i] ?? '')
          .filter((t, k, all) => t && all.indexOf(t) === k)
          .join(' / '),
      )
    : pad([]);
  const body = cells.slice(headCount).map(pad);
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
}
