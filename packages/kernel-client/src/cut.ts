/**
 * The one rule for cutting text that is too long to keep or to show, used wherever output is cut
 * (kernel-client's capture bound, tool results, saved outputs, job reports, rendered rich output):
 *
 * - one notice per cut, at the place of the cut, with exact counts of the characters and line breaks
 *   removed, counted in the original text: what is kept plus what the notices count is the original;
 * - the cut falls on line boundaries where the text has lines (then whole lines are removed and the
 *   notice is a line of its own), otherwise inside the line, with the notice inline;
 * - cutting a text that already carries notices absorbs the ones inside the removed part into the new
 *   notice (their counts added), so a result cut twice still shows one notice with the true counts.
 */

/** What one cut removed, counted in the original text (earlier cuts it absorbed included). */
export interface CutCounts {
  /** Characters (UTF-16 code units) removed. */
  chars: number;
  /** Line breaks (`\n`) removed; for a cut of whole lines, the number of lines removed. */
  lines: number;
}

export type CutOptions = {
  /** Where the whole text can be found, added to the notice ("the full output is in cell 3 of a.ipynb"). */
  where?: string;
} & (
  | {
      /** Characters kept from the start at most (fewer when the cut moves back to a line end). */
      headChars: number;
      /** Characters kept from the end at most (fewer when the cut moves on to a line start). */
      tailChars: number;
    }
  | {
      /** The whole result, notice included, has at most this many characters. */
      maxChars: number;
      /** Share of the kept characters taken from the end (default 0.6: errors and results come last). */
      tailShare?: number;
    }
);

export interface CutResult {
  text: string;
  /** What this cut removed (absorbed earlier cuts included); undefined when the text was kept whole. */
  cut: CutCounts | undefined;
}

/** A cut may give back at most this share of a side's budget to land on a line boundary. */
const SNAP_SHARE = 0.5;

const NOTICE_RE =
  /\[… ([\d,]+) lines? \(([\d,]+) characters?\) omitted(?:; [^\]\n]*)? …\]\n|\[… ([\d,]+) characters?(?: including ([\d,]+) line breaks?)? omitted(?:; [^\]\n]*)? …\]/g;

interface Notice {
  start: number;
  end: number;
  counts: CutCounts;
  /** Line breaks the notice itself adds (a notice of whole lines ends with one). */
  ownLines: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${fmt(n)} ${word}${n === 1 ? '' : 's'}`;
const num = (s: string | undefined) => (s ? Number(s.replace(/,/g, '')) : 0);

/**
 * The notice put in place of removed text. For whole lines it is a line of its own (it ends with a
 * line break); otherwise it is inline.
 */
export function cutNotice(counts: CutCounts, wholeLines: boolean, where?: string): string {
  const suffix = where ? `; ${where.replace(/\n/g, ' ').replace(/\[/g, '(').replace(/\]/g, ')')}` : '';
  if (wholeLines)
    return `[… ${plural(counts.lines, 'line')} (${plural(counts.chars, 'character')}) omitted${suffix} …]\n`;
  const breaks = counts.lines ? ` including ${plural(counts.lines, 'line break')}` : '';
  return `[… ${plural(counts.chars, 'character')}${breaks} omitted${suffix} …]`;
}

/** The notices of earlier cuts in a text, in order. */
export function findCutNotices(text: string): Notice[] {
  if (!text.includes('[… ')) return [];
  const found: Notice[] = [];
  for (const m of text.matchAll(NOTICE_RE)) {
    const whole = m[1] !== undefined;
    found.push({
      start: m.index,
      end: m.index + m[0].length,
      counts: whole ? { chars: num(m[2]), lines: num(m[1]) } : { chars: num(m[3]), lines: num(m[4]) },
      ownLines: whole ? 1 : 0,
    });
  }
  return found;
}

/** Number of `\n` in `text[from, to)`. */
export function countLineBreaks(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Cut the middle out of `text` by the rule above. With `headChars`/`tailChars` the kept head and tail
 * are bounded (the notice comes on top); with `maxChars` the whole result, notice included, is.
 */
export function cutText(text: string, options: CutOptions): CutResult {
  const notices = findCutNotices(text);
  const budget = budgets(text, notices, options);
  if (!budget) return { text, cut: undefined };
  const { head, tail } = budget;
  let a = head;
  let b = text.length - tail;
  // Never split a surrogate pair, nor an earlier notice.
  if (a > 0 && isHigh(text.charCodeAt(a - 1))) a--;
  if (b < text.length && isLow(text.charCodeAt(b))) b++;
  [a, b] = widenOverNotices(notices, a, b);
  // Land on line boundaries when that costs at most SNAP_SHARE of each side.
  if (a > 0 && text[a - 1] !== '\n') {
    const nl = text.lastIndexOf('\n', a - 1);
    if (nl >= 0 && a - (nl + 1) <= head * SNAP_SHARE) a = nl + 1;
  }
  if (b > a && text[b - 1] !== '\n') {
    const nl = text.indexOf('\n', b);
    if (nl >= 0 && nl + 1 - b <= tail * SNAP_SHARE) b = nl + 1;
  }
  [a, b] = widenOverNotices(notices, a, b);
  if (b <= a) return { text, cut: undefined };
  const wholeLines = (a === 0 || text[a - 1] === '\n') && text[b - 1] === '\n';
  const counts = countRemoved(text, notices, a, b);
  return {
    text: text.slice(0, a) + cutNotice(counts, wholeLines, options.where) + text.slice(b),
    cut: counts,
  };
}

function budgets(
  text: string,
  notices: Notice[],
  options: CutOptions,
): { head: number; tail: number } | undefined {
  if ('headChars' in options) {
    const head = Math.max(0, Math.floor(options.headChars));
    const tail = Math.max(0, Math.floor(options.tailChars));
    return text.length > head + tail ? { head, tail } : undefined;
  }
  if (text.length <= options.maxChars) return undefined;
  // Room for the longest notice this cut could write: counts no larger than the original text.
  const upper = text.length + notices.reduce((n, x) => n + x.counts.chars, 0);
  const reserve = cutNotice({ chars: upper, lines: upper }, true, options.where).length;
  const room = Math.max(0, options.maxChars - reserve);
  const tail = Math.floor(room * (options.tailShare ?? 0.6));
  return { head: room - tail, tail };
}

function widenOverNotices(notices: Notice[], a: number, b: number): [number, number] {
  for (const n of notices) {
    if (n.start < b && n.end > a) {
      a = Math.min(a, n.start);
      b = Math.max(b, n.end);
    }
  }
  return [a, b];
}

function countRemoved(text: string, notices: Notice[], a: number, b: number): CutCounts {
  let chars = b - a;
  let lines = countLineBreaks(text, a, b);
  for (const n of notices) {
    if (n.start >= a && n.end <= b) {
      chars += n.counts.chars - (n.end - n.start);
      lines += n.counts.lines - n.ownLines;
    }
  }
  return { chars, lines };
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
