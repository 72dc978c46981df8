/** A small unified-diff writer (Myers' algorithm on lines), enough for cell sources. */
import { splitLinesKeepEnds } from './lines.js';

type Op = { kind: ' ' | '-' | '+'; line: string };

function myers(a: string[], b: string[]): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const limit = Math.min(max, 4000);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        // Backtrack.
        const ops: Op[] = [];
        let cx = n;
        let cy = m;
        for (let dd = d; dd > 0; dd--) {
          const pv = trace[dd]!;
          const kk = cx - cy;
          const prevK =
            kk === -dd || (kk !== dd && pv[offset + kk - 1]! < pv[offset + kk + 1]!) ? kk + 1 : kk - 1;
          const px = pv[offset + prevK]!;
          const py = px - prevK;
          while (cx > px && cy > py) {
            ops.push({ kind: ' ', line: a[--cx]! });
            cy--;
          }
          if (cx === px) ops.push({ kind: '+', line: b[--cy]! });
          else ops.push({ kind: '-', line: a[--cx]! });
        }
        while (cx > 0 && cy > 0) {
          ops.push({ kind: ' ', line: a[--cx]! });
          cy--;
        }
        return ops.reverse();
      }
    }
  }
  return undefined;
}

/** Unified diff of two texts (empty string when equal). */
export function unifiedDiff(
  before: string,
  after: string,
  fromFile: string,
  toFile: string,
  context = 3,
): string {
  if (before === after) return '';
  const a = splitLinesKeepEnds(before);
  const b = splitLinesKeepEnds(after);
  const ops = myers(a, b) ?? [
    ...a.map((line) => ({ kind: '-' as const, line })),
    ...b.map((line) => ({ kind: '+' as const, line })),
  ];
  const out = [`--- ${fromFile}\n`, `+++ ${toFile}\n`];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.kind === ' ') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are within 2*context of each other.
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) {
        end = next;
        continue;
      }
      end = Math.min(ops.length, end + context);
      break;
    }
    let aStart = 0;
    let bStart = 0;
    for (let j = 0; j < start; j++) {
      if (ops[j]!.kind !== '+') aStart++;
      if (ops[j]!.kind !== '-') bStart++;
    }
    const hunk = ops.slice(start, end);
    const aLen = hunk.filter((o) => o.kind !== '+').length;
    const bLen = hunk.filter((o) => o.kind !== '-').length;
    const range = (s: number, len: number) => (len === 1 ? `${s + 1}` : `${len === 0 ? s : s + 1},${len}`);
    out.push(`@@ -${range(aStart, aLen)} +${range(bStart, bLen)} @@\n`);
    for (const op of hunk) {
      const nl = /(?:\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])$/.test(op.line);
      out.push(
        op.kind +
          (nl
            ? op.line.replace(/(?:\r\n|[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])$/, '\n')
            : `${op.line}\n\\ No newline at end of file\n`),
      );
    }
    i = end;
    start = end;
  }
  return out.join('');
}
