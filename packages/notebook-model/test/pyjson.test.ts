import { describe, expect, it } from 'vitest';
import { NotebookError } from '../src/index.js';
import { splitLinesKeepEnds } from '../src/internal/lines.js';
import { dumpsPy, markFloat, parsePyJson, pyFloatRepr } from '../src/internal/pyjson.js';

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
