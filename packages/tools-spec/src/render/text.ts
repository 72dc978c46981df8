/** Pure text helpers that make kernel output readable for a language model. */
import { collapseCarriageReturns, cutText } from '@jupyter-mcp/kernel-client';

// CSI (colours, cursor moves), OSC (titles, hyperlinks) and lone two-character escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Remove ANSI escape sequences (colours, cursor movement, hyperlinks). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Remove `\b` (backspace) by deleting the character before it, as a terminal would. */
function applyBackspaces(text: string): string {
  if (!text.includes('\b')) return text;
  const out: string[] = [];
  for (const ch of text) {
    if (ch === '\b') out.pop();
    else out.push(ch);
  }
  return out.join('');
}

/** Terminal-ish cleanup of a stream: ANSI stripped, `\r` progress collapsed, backspaces applied. */
export function cleanStreamText(text: string): string {
  // A trailing `\r` only matters while more output may come; a finished stream shows without it.
  return collapseCarriageReturns(applyBackspaces(stripAnsi(text))).replace(/\r$/, '');
}

/**
 * Keep `text` within `limit` characters by the one cut rule (kernel-client's `cutText`): head and tail
 * (60% tail: errors and results come last) around one notice with exact counts, on line boundaries
 * where the text has lines. `omitted` counts the characters this cut removed (earlier cuts included).
 */
export function boundText(
  text: string,
  limit: number,
  where = 'the full output stays in the notebook or can be printed in smaller parts',
): { text: string; omitted: number } {
  const r = cutText(text, { maxChars: limit, where });
  return { text: r.text, omitted: r.cut?.chars ?? 0 };
}

/**
 * An error's traceback for a reader: ANSI stripped and, past `maxLines`, the first frame's header and
 * the last frames kept (the cause is usually at the bottom), cut by the one cut rule.
 */
export function trimTraceback(traceback: readonly string[], maxLines = 40): string {
  const lines = stripAnsi(traceback.join('\n')).split('\n');
  // ipykernel puts a long dashed rule first; it carries nothing.
  while (lines.length && /^-{10,}\s*$/.test(lines[0]!)) lines.shift();
  const text = lines.join('\n');
  if (lines.length <= maxLines) return text;
  const headChars = lines.slice(0, 4).join('\n').length + 1;
  const tailChars = lines.slice(lines.length - (maxLines - 5)).join('\n').length;
  return cutText(text, { headChars, tailChars }).text;
}
