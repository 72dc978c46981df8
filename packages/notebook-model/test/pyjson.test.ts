import { describe, expect, it } from 'vitest';
import { NotebookError } from '../src/index.js';
import { splitLinesKeepEnds } from '../src/internal/lines.js';
import { dumpsPy, markFloat, parsePyJson, pyFloatRepr, writePyJson } from '../src/internal/pyjson.js';

describe('pyFloatRepr (Python repr of floats)', () => {
  it.each([
    [1, '1.0'],
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [1e-4, '0.0001'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [-0, '-0.0'],
    [0, '0.0'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [123456789.125, '123456789.125'],
    [-2.5e-7, '-2.5e-07'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
  ])('%s → %s', (x, text) => {
    expect(pyFloatRepr(x)).toBe(text);
  });
});

describe('parsePyJson + dumpsPy keep Python number texts', () => {
  it('keeps integral floats, -0.0, big ints and non-finite values as Python writes them', () => {
    const text =
      '{"a": 1.0, "b": [1e16, -0.0, 12345678901234567890123, 2, 1E2], "c": NaN, "d": -Infinity, "e": -0}';
    const v = parsePyJson(text) as Record<string, unknown>;
    expect(v.a).toBe(1);
    expect(dumpsPy(v)).toBe(
      '{\n "a": 1.0,\n "b": [\n  1e+16,\n  -0.0,\n  12345678901234567890123,\n  2,\n  100.0\n ],\n "c": NaN,\n "d": -Infinity,\n "e": 0\n}',
    );
  });

  it('uses the fast path (JSON.parse) and the full parser alike', () => {
    const fast = parsePyJson('{"x": [1.0, {"k\\"ey": 3.0}], "1": 2.0, "2": 5}');
    expect(dumpsPy(fast)).toBe('{\n "1": 2.0,\n "2": 5,\n "x": [\n  1.0,\n  {\n   "k\\"ey": 3.0\n  }\n ]\n}');
    const full = parsePyJson('{"x": [1.0, {"k\\"ey": 3.0}], "1": 2.0, "2": 5, "n": NaN}');
    expect(dumpsPy(full)).toContain('"k\\"ey": 3.0');
  });

  it('writes a changed value with the default rules, not the stale text', () => {
    const v = parsePyJson('{"a": 1.0, "b": 2.0}') as Record<string, number>;
    v.a = 3;
    v.b = 2.5;
    expect(dumpsPy(v)).toBe('{\n "a": 3,\n "b": 2.5\n}');
    markFloat(v, 'a');
    expect(dumpsPy(v)).toBe('{\n "a": 3.0,\n "b": 2.5\n}');
  });

  it('the fast writer (native stringify + placeholders) equals the reference writer on random values', () => {
    let seed = 42;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const keys = ['a', 'b', '10', '9', '__proto__', '\u{1F600}', '\uFF01', 'Z', 'é', ''];
    const value = (d: number): unknown => {
      const k = Math.floor(rnd() * (d > 3 ? 4 : 7));
      if (k === 0)
        return [
          0,
          -0,
          1,
          1.5,
          1e-5,
          1e-4,
          1e16,
          2 ** 53 + 2,
          1e21,
          0.1,
          -2.5e-7,
          Number.NaN,
          Number.POSITIVE_INFINITY,
          12n,
        ][Math.floor(rnd() * 14)];
      if (k === 1) return ['x', 'é\n', '"', '', '@@pyjson-x-0'][Math.floor(rnd() * 5)];
      if (k === 2) return [true, false, null][Math.floor(rnd() * 3)];
      if (k === 3) return Math.floor(rnd() * 1000);
      if (k === 4) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(d + 1));
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--) {
        const key = keys[Math.floor(rnd() * keys.length)]!;
        Object.defineProperty(o, key, {
          value: value(d + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return o;
    };
    for (let i = 0; i < 300; i++) {
      const v = value(0);
      expect(dumpsPy(v)).toBe(writePyJson(v));
    }
    const parsed = parsePyJson('{"x": [1.0, {"b": 2.0, "a": -0.0}], "10": 1e16, "9": 3.0}');
    expect(dumpsPy(parsed)).toBe(writePyJson(parsed));
  });

  it('sorts keys by code point as Python does (astral after U+FFxx)', () => {
    expect(dumpsPy({ '\u{1F600}': 1, '\uFF01': 2, Z: 3, a: 4 })).toBe(
      '{\n "Z": 3,\n "a": 4,\n "\uFF01": 2,\n "\u{1F600}": 1\n}',
    );
  });

  it('escapes like ensure_ascii=False', () => {
    expect(dumpsPy(['é\u2028\x7f', '\x00\x1f"\\\n\t'])).toBe(
      '[\n "é\u2028\x7f",\n "\\u0000\\u001f\\"\\\\\\n\\t"\n]',
    );
  });

  it.each([
    ['{"a": 1', 'truncated'],
    ['{"a": tru}', 'unexpected character'],
    ['{"a": "x', 'unterminated string'],
    ['[1, 2] x', 'after the end'],
    ["{'a': 1}", 'double-quoted property name'],
  ])('reports invalid JSON %j with a position', (text, what) => {
    const err = (() => {
      try {
        parsePyJson(text);
      } catch (e) {
        return e as NotebookError;
      }
    })();
    expect(err).toBeInstanceOf(NotebookError);
    expect(err!.code).toBe('INVALID_JSON');
    expect(err!.message).toContain(what);
    expect(err!.message).toMatch(/line 1, column \d+/);
  });
});

describe('splitLinesKeepEnds (Python str.splitlines(True))', () => {
  it('splits on every Python line boundary', () => {
    expect(splitLinesKeepEnds('a\nb\r\nc\rd\ve\ff\x1cg\x1dh\x1ei\x85j\u2028k\u2029l')).toEqual([
      'a\n',
      'b\r\n',
      'c\r',
      'd\v',
      'e\f',
      'f\x1c',
      'g\x1d',
      'h\x1e',
      'i\x85',
      'j\u2028',
      'k\u2029',
      'l',
    ]);
    expect(splitLinesKeepEnds('')).toEqual([]);
    expect(splitLinesKeepEnds('x\n')).toEqual(['x\n']);
    expect(splitLinesKeepEnds('\n\n')).toEqual(['\n', '\n']);
  });
});
