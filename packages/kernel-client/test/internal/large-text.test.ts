import { describe, expect, it } from 'vitest';
import { extractLargeText } from '../../src/internal/large-text.js';
import { BoundedText } from '../../src/internal/outputs.js';

const bytes = (o: unknown) => new Uint8Array(Buffer.from(JSON.stringify(o), 'utf8'));

describe('extractLargeText', () => {
  it('keeps head and tail in UTF-16 units across escapes and multi-byte characters', () => {
    const text = 'ab\n"é€😀'.repeat(1000);
    const got = extractLargeText(bytes({ name: 'stdout', text }), 10, 12)!;
    expect(got.name).toBe('stdout');
    expect(got.text.head).toBe(text.slice(0, got.text.head.length));
    expect(got.text.head.length).toBeGreaterThanOrEqual(10);
    expect(got.text.tail).toBe(text.slice(text.length - 12));
    expect(got.text.head.length + got.text.droppedChars + got.text.tail.length).toBe(text.length);
  });

  it('handles python-style spacing and key order, and small texts whole', () => {
    const raw = new Uint8Array(Buffer.from('{"text": "hi\\u00e9\\n", "name": "stderr"}'));
    expect(extractLargeText(raw, 100, 100)).toEqual({
      name: 'stderr',
      text: { head: 'hié\n', droppedChars: 0, droppedLines: 0, tailAtLineStart: false, tail: '' },
    });
  });

  it('agrees with a full decode on random ASCII and non-ASCII texts', () => {
    const alphabet = ['a', 'b', '\n', '\t', '"', '\\', '\u0001', 'é', '€', '😀', ' ', 'x'];
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const ascii = round % 2 === 0;
      const chars = ascii ? alphabet.slice(0, 7) : alphabet;
      const len = rand(400);
      let text = '';
      for (let i = 0; i < len; i++) text += chars[rand(chars.length)];
      const head = rand(50);
      const tail = rand(50);
      const got = extractLargeText(bytes({ name: 'stdout', text }), head, tail)!;
      const t = got.text;
      expect(t.head + t.tail).toBe(
        t.droppedChars === 0 ? text : text.slice(0, t.head.length) + text.slice(text.length - t.tail.length),
      );
      expect(t.head.length + t.droppedChars + t.tail.length).toBe(text.length);
      const middle = text.slice(t.head.length, text.length - t.tail.length);
      expect(t.droppedLines).toBe(t.droppedChars ? middle.split('\n').length - 1 : 0);
      if (t.droppedChars > 0) expect(t.tailAtLineStart).toBe(middle.endsWith('\n'));
      if (t.droppedChars > 0) {
        expect(t.head.length).toBeGreaterThanOrEqual(head);
        expect(t.head.length).toBeLessThanOrEqual(head + 1);
        expect(t.tail.length).toBeGreaterThanOrEqual(tail);
        expect(t.tail.length).toBeLessThanOrEqual(tail + 1);
      }
    }
  });

  it('returns undefined for other shapes', () => {
    expect(extractLargeText(bytes({ name: 'x', text: 1 }), 1, 1)).toBeUndefined();
    expect(extractLargeText(bytes([1]), 1, 1)).toBeUndefined();
  });

  it('gives BoundedText the same result as appending the whole text', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join('');
    const whole = new BoundedText(100, 100);
    whole.append('start\n');
    whole.append(text);
    const part = new BoundedText(100, 100);
    part.append('start\n');
    part.appendLarge(extractLargeText(bytes({ name: 'stdout', text }), 100, 100)!.text);
    expect(part.finish()).toEqual(whole.finish());
  });
});
