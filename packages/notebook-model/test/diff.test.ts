import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/internal/diff.js';

/** Apply a unified diff (as written by unifiedDiff) to `before`. */
function apply(before: string, diff: string): string {
  const old = before.split(/(?<=\n)/);
  const lines = diff.split('\n');
  const out: string[] = [];
  let pos = 0;
  let i = 2;
  while (i < lines.length && lines[i] !== '') {
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(lines[i]!);
    if (!m) throw new Error(`bad hunk header ${lines[i]}`);
    const start = Number(m[1]) - (m[2] === '0' ? 0 : 1);
    while (pos < start) out.push(old[pos++]!);
    i++;
    while (i < lines.length && /^[ +-]/.test(lines[i]!)) {
      const kind = lines[i]![0];
      const noNl = lines[i + 1] === '\\ No newline at end of file';
      const text = lines[i]!.slice(1) + (noNl ? '' : '\n');
      if (kind === ' ' || kind === '-') {
        expect(old[pos]).toBe(text);
        pos++;
      }
      if (kind === ' ' || kind === '+') out.push(text);
      i += noNl ? 2 : 1;
    }
  }
  while (pos < old.length) out.push(old[pos++]!);
  return out.join('');
}

describe('unifiedDiff', () => {
  it('is empty for equal texts and marks missing final newlines', () => {
    expect(unifiedDiff('a', 'a', 'x', 'y')).toBe('');
    expect(unifiedDiff('', 'a\n', 'x', 'y')).toBe('--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n');
  });

  it('produces hunks that turn the old text into the new one (random edits)', () => {
    let seed = 3;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    for (let t = 0; t < 300; t++) {
      const a = Array.from({ length: rnd(30) }, () => `line ${rnd(8)}`);
      const b = a.slice();
      for (let k = rnd(5); k >= 0; k--) {
        const at = rnd(b.length + 1);
        if (rnd(2)) b.splice(at, 1);
        else b.splice(at, 0, `new ${rnd(100)}`);
      }
      const before = a.join('\n') + (rnd(2) ? '\n' : '');
      const after = b.join('\n') + (rnd(2) ? '\n' : '');
      expect(apply(before, unifiedDiff(before, after, 'a', 'b'))).toBe(after);
    }
  });
});
