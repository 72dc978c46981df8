const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

/** Python's `str.splitlines(keepends=True)`: splits on `\n`, `\r\n`, `\r`, `\v`, `\f`, `\x1c`–`\x1e`,
 *  `\x85`, `\u2028` and `\u2029`, keeping the terminators. `''` → `[]`. */
export function splitLinesKeepEnds(text: string): string[] {
  const out: string[] = [];
  if (text.length === 0) return out;
  LINE_BREAK.lastIndex = 0;
  let start = 0;
  for (let m = LINE_BREAK.exec(text); m; m = LINE_BREAK.exec(text)) {
    const end = m.index + m[0].length;
    out.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}
