/**
 * Bounded decoding of huge stream messages. A cell printing 200 MB arrives as multi-megabyte stream
 * messages; decoding each into a JS string only to keep its head and tail makes hundreds of megabytes of
 * garbage (peak RSS grows with the output). Here the `text` value is read straight from the UTF-8 JSON
 * bytes: counted in UTF-16 units, and only the first `headChars` and last `tailChars` are decoded.
 */

export interface LargeText {
  head: string;
  /** UTF-16 units between head and tail that were never decoded. */
  droppedChars: number;
  /** Line breaks (`\n`) among them. */
  droppedLines: number;
  /** The tail starts a line (the last dropped character is a line break). */
  tailAtLineStart: boolean;
  tail: string;
}

import { isAscii } from 'node:buffer';
import { countLineBreaks } from '../cut.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LOWER_N = 0x6e;

/** Find the `[start, end)` byte range of string value `key` in a flat JSON object of strings. */
function findStringValue(b: Uint8Array, key: string): [number, number] | undefined {
  let i = 0;
  const n = b.length;
  const ws = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const skipString = (from: number): number => {
    // from: index after the opening quote; returns the index of the closing quote. A quote is escaped
    // when an odd number of backslashes precedes it.
    let j = from;
    for (;;) {
      const q = buf.indexOf(QUOTE, j);
      if (q < 0) return -1;
      let k = q - 1;
      while (k >= from && b[k] === BACKSLASH) k--;
      if ((q - 1 - k) % 2 === 0) return q;
      j = q + 1;
    }
  };
  while (i < n && ws(b[i]!)) i++;
  if (b[i] !== 0x7b) return undefined; // {
  i++;
  for (;;) {
    while (i < n && (ws(b[i]!) || b[i] === 0x2c)) i++; // whitespace and commas
    if (i >= n || b[i] === 0x7d) return undefined; // }
    if (b[i] !== QUOTE) return undefined;
    const kEnd = skipString(i + 1);
    if (kEnd < 0) return undefined;
    const k = Buffer.from(b.buffer, b.byteOffset + i + 1, kEnd - i - 1).toString('utf8');
    i = kEnd + 1;
    while (i < n && ws(b[i]!)) i++;
    if (b[i] !== 0x3a) return undefined; // :
    i++;
    while (i < n && ws(b[i]!)) i++;
    if (b[i] !== QUOTE) return undefined; // only string values expected in stream content
    const vEnd = skipString(i + 1);
    if (vEnd < 0) return undefined;
    if (k === key) return [i + 1, vEnd];
    i = vEnd + 1;
  }
}

/** UTF-16 units of the JSON string token starting at byte `i`, and its byte length. */
function unitAt(b: Uint8Array, i: number): [units: number, bytes: number] {
  const c = b[i]!;
  if (c === BACKSLASH) return b[i + 1] === 0x75 ? [1, 6] : [1, 2]; // \uXXXX or \n etc.
  if (c < 0x80) return [1, 1];
  if (c >= 0xf0) return [2, 4];
  if (c >= 0xe0) return [1, 3];
  return [1, 2];
}

function decodeJsonString(b: Uint8Array, start: number, end: number): string {
  return JSON.parse(
    `"${Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8')}"`,
  ) as string;
}

/** Is the JSON string unit ending at byte `end` an escaped line break (`\n`, not `\\` + `n`)? */
function escapedNewlineBefore(b: Uint8Array, end: number, start: number): boolean {
  if (end - 2 < start || b[end - 1] !== LOWER_N) return false;
  let k = end - 2;
  while (k >= start && b[k] === BACKSLASH) k--;
  return (end - 2 - k) % 2 === 1;
}

/**
 * Read `{"name": …, "text": "…"}` from raw JSON bytes keeping only head and tail of the text.
 * Returns undefined when the bytes are not such an object (the caller then parses normally).
 */
export function extractLargeText(
  content: Uint8Array,
  headChars: number,
  tailChars: number,
): { name: string; text: LargeText } | undefined {
  const nameRange = findStringValue(content, 'name');
  const textRange = findStringValue(content, 'text');
  if (!nameRange || !textRange) return undefined;
  const name = decodeJsonString(content, nameRange[0], nameRange[1]);
  const [s, e] = textRange;
  const raw = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const ascii = isAscii(raw.subarray(s, e));
  // Pass 1: total UTF-16 units and line breaks. ASCII text: bytes minus what escapes add (native
  // indexOf per escape).
  let total = 0;
  let breaks = 0;
  if (ascii) {
    total = e - s;
    for (let i = raw.indexOf(BACKSLASH, s); i >= 0 && i < e; i = raw.indexOf(BACKSLASH, i)) {
      const w = content[i + 1] === 0x75 ? 6 : 2;
      if (content[i + 1] === LOWER_N) breaks++;
      total -= w - 1;
      i += w;
    }
  } else {
    for (let i = s; i < e; ) {
      const [u, w] = unitAt(content, i);
      if (w === 2 && content[i] === BACKSLASH && content[i + 1] === LOWER_N) breaks++;
      total += u;
      i += w;
    }
  }
  if (total <= headChars + tailChars) {
    const head = decodeJsonString(content, s, e);
    return { name, text: { head, droppedChars: 0, droppedLines: 0, tailAtLineStart: false, tail: '' } };
  }
  // The head ends after `headChars` units: a short walk from the start.
  let headEnd = s;
  let headUnits = 0;
  while (headEnd < e && headUnits < headChars) {
    const [u, w] = unitAt(content, headEnd);
    headUnits += u;
    headEnd += w;
  }
  // The tail starts where `total - tailChars` units have gone by.
  const skipUnits = total - tailChars;
  let seen = headUnits;
  let tailStart = headEnd;
  if (ascii) {
    // Jump between escapes: plain bytes in between are one unit each.
    let i = headEnd;
    for (;;) {
      const next = raw.indexOf(BACKSLASH, i);
      const stop = next < 0 || next >= e ? e : next;
      if (seen + (stop - i) >= skipUnits) {
        tailStart = i + (skipUnits - seen);
        break;
      }
      seen += stop - i;
      if (stop === e) {
        tailStart = e;
        break;
      }
      if (seen >= skipUnits) {
        tailStart = stop;
        break;
      }
      const w = content[stop + 1] === 0x75 ? 6 : 2;
      seen += 1;
      i = stop + w;
    }
  } else {
    for (let i = headEnd; i < e; ) {
      if (seen >= skipUnits) {
        tailStart = i;
        break;
      }
      const [u, w] = unitAt(content, i);
      seen += u;
      i += w;
    }
  }
  const head = decodeJsonString(content, s, headEnd);
  const tail = decodeJsonString(content, tailStart, e);
  return {
    name,
    text: {
      head,
      droppedChars: total - head.length - tail.length,
      droppedLines: breaks - countLineBreaks(head) - countLineBreaks(tail),
      tailAtLineStart: escapedNewlineBefore(content, tailStart, s),
      tail,
    },
  };
}
