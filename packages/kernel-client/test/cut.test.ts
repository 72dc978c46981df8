import { describe, expect, it } from 'vitest';
import { countLineBreaks, cutText, findCutNotices } from '../src/cut.js';

/** What a cut text still shows of the original, and what its notices say was removed. */
function account(text: string): { keptChars: number; keptLines: number; chars: number; lines: number } {
  let keptChars = text.length;
  let keptLines = countLineBreaks(text);
  let chars = 0;
  let lines = 0;
  for (const n of findCutNotices(text)) {
    keptChars -= n.end - n.start;
    keptLines -= n.ownLines;
    chars += n.counts.chars;
    lines += n.counts.lines;
  }
  return { keptChars, keptLines, chars, lines };
}

const numbers = (n: number) => Array.from({ length: n }, (_, i) => `${i}\n`).join('');

describe('cutText', () => {
  it('keeps a text that fits', () => {
    expect(cutText('short', { headChars: 3, tailChars: 2 })).toEqual({ text: 'short', cut: undefined });
    expect(cutText('short', { maxChars: 5 })).toEqual({ text: 'short', cut: undefined });
  });

  it('cuts whole lines, with the notice on a line of its own at the place of the cut', () => {
    const text = numbers(1767); // 0 … 1766, as the print
    const { text: out, cut } = cutText(text, { headChars: 100, tailChars: 100 });
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('[…'));
    expect(lines[at]).toMatch(/^\[… [\d,]+ lines \([\d,]+ characters\) omitted …\]$/);
    // Every line around the notice is a whole line of the original: no fragment such as "17" of "1766".
    const before = Number(lines[at - 1]);
    const after = Number(lines[at + 1]);
    expect(lines.slice(0, at)).toEqual(Array.from({ length: before + 1 }, (_, i) => String(i)));
    expect(after).toBe(before + 1 + cut!.lines);
    expect(out.endsWith('1766\n')).toBe(true);
    expect(cut!.chars).toBe(text.length - (out.length - lines[at]!.length - 1));
  });

  it('cuts inside a line when the text has no line breaks to land on', () => {
    const text = 'x'.repeat(20_000_001);
    const { text: out, cut } = cutText(text, { headChars: 20_000, tailChars: 20_000 });
    expect(cut).toEqual({ chars: 19_960_001, lines: 0 });
    expect(out).toBe(`${'x'.repeat(20_000)}[… 19,960,001 characters omitted …]${'x'.repeat(20_000)}`);
  });

  it('bounds the whole result with maxChars and says where the rest is', () => {
    const text = numbers(100_000);
    const { text: out } = cutText(text, { maxChars: 2000, where: 'the full output is in cell 3' });
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out).toMatch(/omitted; the full output is in cell 3 …\]\n/);
    expect(findCutNotices(out)).toHaveLength(1);
  });

  it('absorbs an earlier notice into one notice whose counts add up', () => {
    const original = `${numbers(3000)}${'y'.repeat(50_000)}\nend\n`;
    const first = cutText(original, { headChars: 5000, tailChars: 5000 }).text;
    const second = cutText(`[1] ok\n${first}`, { maxChars: 3000 }).text;
    expect(findCutNotices(second)).toHaveLength(1);
    const a = account(second);
    expect(a.keptChars + a.chars).toBe(original.length + '[1] ok\n'.length);
    expect(a.keptLines + a.lines).toBe(countLineBreaks(original) + 1);
  });

  it('keeps counts exact over random texts cut again and again', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = ['a', 'bb', '\n', 'ccc ', '😀', '\n\n', 'long line without breaks '.repeat(5)];
    for (let round = 0; round < 300; round++) {
      let text = '';
      const parts = rand(400);
      for (let i = 0; i < parts; i++) text += alphabet[rand(alphabet.length)];
      const original = text;
      for (let k = 0; k < 3; k++) {
        text =
          rand(2) === 0
            ? cutText(text, { headChars: rand(300), tailChars: rand(300) }).text
            : cutText(text, { maxChars: 200 + rand(600), where: rand(2) ? 'see cell [3]' : undefined }).text;
        const a = account(text);
        expect(a.keptChars + a.chars).toBe(original.length);
        expect(a.keptLines + a.lines).toBe(countLineBreaks(original));
        expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      }
    }
  });
});
