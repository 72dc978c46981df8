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
  tail: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Find the `[start, end)` byte range of string value `key` in a flat JSON object of strings. */
function findStringValue(b: Uint8Array, key: string): [number, number] | undefined {
  let i = 0;
  const n = b.length;
  const ws = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  const skipString = (from: number): number => {
    // from: index after the opening quote; returns the index of the closing quote
    let j = from;
    while (j < n) {
      const c = b[j]!;
      if (c === BACKSLASH) j += 2;
      else if (c === QUOTE) return j;
      else j++;
    }
    return -1;
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
  // Pass 1: total units, and the byte where the head ends.
  let total = 0;
  let headEnd = -1;
  let headUnits = 0;
  for (let i = s; i < e; ) {
    if (headEnd < 0 && total >= headChars) {
      headEnd = i;
      headUnits = total;
    }
    const [u, w] = unitAt(content, i);
    total += u;
    i += w;
  }
  if (headEnd < 0) headEnd = e;
  if (total <= headChars + tailChars) {
    return { name, text: { head: decodeJsonString(content, s, e), droppedChars: 0, tail: '' } };
  }
  // Pass 2: the byte where the last `tailChars` units start.
  const skipUnits = total - tailChars;
  let seen = headUnits;
  let tailStart = e;
  for (let i = headEnd; i < e; ) {
    if (seen >= skipUnits) {
      tailStart = i;
      break;
    }
    const [u, w] = unitAt(content, i);
    seen += u;
    i += w;
  }
  const head = decodeJsonString(content, s, headEnd);
  const tail = decodeJsonString(content, tailStart, e);
  return { name, text: { head, droppedChars: total - head.length - tail.length, tail } };
}
