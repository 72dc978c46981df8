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
      text: { head: 'hié\n', droppedChars: 0, tail: '' },
    });
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
