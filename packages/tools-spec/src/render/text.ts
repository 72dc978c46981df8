/** Pure text helpers that make kernel output readable for a language model. */

// CSI (colours, cursor moves), OSC (titles, hyperlinks) and lone two-character escapes.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Remove ANSI escape sequences (colours, cursor movement, hyperlinks). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Collapse carriage-return progress bars to their final state, as a terminal shows them: in each line,
 * text after a `\r` overwrites what came before it. `\r\n` is a plain newline.
 */
export function collapseCarriageReturns(text: string): string {
  if (!text.includes('\r')) return text;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  return lines
    .map((line) => {
      if (!line.includes('\r')) return line;
      let screen = '';
      for (const seg of line.split('\r')) {
        // The new segment overwrites the start of the line; a longer previous state shows past it.
        screen = seg + screen.slice(seg.length);
      }
      return screen;
    })
    .join('\n');
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
  return collapseCarriageReturns(applyBackspaces(stripAnsi(text)));
}

/** The marker put where text was cut out. */
export function omissionMarker(omittedChars: number, where: string): string {
  return `\n… [${omittedChars.toLocaleString('en-US')} characters omitted; ${where}] …\n`;
}

/**
 * Keep `text` within `limit` characters: the head and the tail (60% tail: errors and results come
 * last) around an explicit omission marker.
 */
export function boundText(
  text: string,
  limit: number,
  where = 'the full output stays in the notebook or can be printed in smaller parts',
): { text: string; omitted: number } {
  if (text.length <= limit) return { text, omitted: 0 };
  const markerBudget = 120;
  const room = Math.max(0, limit - markerBudget);
  let head = Math.floor(room * 0.4);
  let tail = room - head;
  // Do not split a surrogate pair.
  if (head > 0 && isHighSurrogate(text.charCodeAt(head - 1))) head--;
  if (tail > 0 && isLowSurrogate(text.charCodeAt(text.length - tail))) tail--;
  const omitted = text.length - head - tail;
  return {
    text: text.slice(0, head) + omissionMarker(omitted, where) + text.slice(text.length - tail),
    omitted,
  };
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * An error's traceback for a reader: ANSI stripped and, past `maxLines`, the first frame's header and
 * the last frames kept (the cause is usually at the bottom).
 */
export function trimTraceback(traceback: readonly string[], maxLines = 40): string {
  const lines = stripAnsi(traceback.join('\n')).split('\n');
  // ipykernel puts a long dashed rule first; it carries nothing.
  while (lines.length && /^-{10,}\s*$/.test(lines[0]!)) lines.shift();
  if (lines.length <= maxLines) return lines.join('\n');
  const head = lines.slice(0, 4);
  const tail = lines.slice(lines.length - (maxLines - 5));
  return [...head, `… [${lines.length - head.length - tail.length} traceback lines omitted] …`, ...tail].join(
    '\n',
  );
}
