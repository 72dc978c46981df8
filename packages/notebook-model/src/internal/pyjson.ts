/**
 * JSON as Python's `json` module reads and writes it, for nbformat fidelity.
 *
 * JavaScript numbers lose Python's int/float distinction (`1.0` parses to `1`) and precision of big
 * ints. Parsing records, on the containing object or array, the Python text of every number whose
 * JavaScript default rendering would differ (integral floats, `-0.0`, ints beyond 2^53). The record is a
 * hidden, non-enumerable property, so parsed values stay plain JSON for everybody else; the writer
 * uses a record only while the value is still the one that was parsed.
 */
import { NotebookError } from '../errors.js';

const NUMBERS = Symbol('jupyter-mcp.pyNumbers');

interface NumberText {
  value: number;
  text: string;
}
type NumberRecords = Record<string, NumberText>;
type Container = Record<string | symbol, unknown>;

function recordsOf(container: object, create: boolean): NumberRecords | undefined {
  let rec = (container as Container)[NUMBERS] as NumberRecords | undefined;
  if (!rec && create) {
    rec = Object.create(null) as NumberRecords;
    Object.defineProperty(container, NUMBERS, { value: rec, enumerable: false, writable: true });
  }
  return rec;
}

/** Copy the number records of `from` onto `to` (used when the writer makes shallow copies). */
export function copyNumberRecords(from: object, to: object): void {
  const rec = recordsOf(from, false);
  if (rec) Object.defineProperty(to, NUMBERS, { value: rec, enumerable: false, writable: true });
}

/** Python `repr(float)` for a JavaScript number, as `json.dumps` writes it. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return 'Infinity';
  if (x === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const e = x.toExponential();
  const at = e.indexOf('e');
  let mantissa = e.slice(0, at);
  const exponent = Number(e.slice(at + 1));
  const sign = mantissa.startsWith('-') ? '-' : '';
  if (sign) mantissa = mantissa.slice(1);
  const digits = mantissa.replace('.', '');
  const decpt = exponent + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const abs = Math.abs(exponent);
  return `${sign}${m}e${exponent < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
}

/** How a number without a record is written: safe integers as ints, everything else as Python floats. */
export function defaultNumberText(x: number): string {
  if (Number.isSafeInteger(x)) return Object.is(x, -0) ? '0' : String(x);
  return pyFloatRepr(x);
}

/** Python's text for a JSON number lexeme (`1.0` → `1.0`, `1E5` → `100000.0`, `-0` → `0`). */
function pythonTextOf(lexeme: string): { value: number; text: string } {
  const value = Number(lexeme);
  if (/[.eE]/.test(lexeme)) return { value, text: pyFloatRepr(value) };
  return { value, text: BigInt(lexeme).toString() };
}

function remember(container: object, key: string, lexeme: string): void {
  const { value, text } = pythonTextOf(lexeme);
  if (text === defaultNumberText(value)) return;
  const actual = (container as Container)[key];
  if (typeof actual !== 'number' || !Object.is(actual, value)) return;
  recordsOf(container, true)![key] = { value, text };
}

/**
 * Mark `container[key]` (a number) to be written as a Python float even when integral (`2.0`).
 * Useful when building values for a notebook that must keep a float type.
 */
export function markFloat(container: object, key: string | number): void {
  const v = (container as Container)[String(key)];
  if (typeof v !== 'number') return;
  recordsOf(container, true)![String(key)] = { value: v, text: pyFloatRepr(v) };
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parse JSON as Python's `json.loads` does (NaN/Infinity accepted), keeping Python number texts. */
export function parsePyJson(text: string): unknown {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    // NaN/Infinity literals, or invalid JSON: the full parser either handles it or explains precisely.
    return new FullParser(text).parseDocument();
  }
  applySpecialNumbers(root, text);
  return root;
}

/** Walk the text (skipping string bodies quickly) and record numbers whose Python text differs. */
export function applySpecialNumbers(root: unknown, text: string): void {
  interface Frame {
    obj: boolean;
    index: number;
    keyStart: number;
    keyEnd: number;
    expectKey: boolean;
  }
  const stack: Frame[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = text.indexOf('"', i + 1);
      while (j > 0 && text.charCodeAt(j - 1) === 92) {
        let k = j - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j < 0) return;
      const top = stack[stack.length - 1];
      if (top?.obj && top.expectKey) {
        top.keyStart = i;
        top.keyEnd = j + 1;
      }
      i = j + 1;
      continue;
    }
    if (c === 123 /* { */ || c === 91 /* [ */) {
      stack.push({ obj: c === 123, index: 0, keyStart: 0, keyEnd: 0, expectKey: true });
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top) {
        if (top.obj) top.expectKey = true;
        else top.index++;
      }
    } else if (c === 58 /* : */) {
      const top = stack[stack.length - 1];
      if (top) top.expectKey = false;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      let j = i + 1;
      let special = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d >= 48 && d <= 57) {
          j++;
        } else if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) {
          special = true;
          j++;
        } else break;
      }
      if (special || j - i > 15) {
        const lexeme = text.slice(i, j);
        const keyOf = (f: Frame): string => {
          if (!f.obj) return String(f.index);
          const raw = text.slice(f.keyStart, f.keyEnd);
          return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        };
        let node: unknown = root;
        for (let s = 0; s < stack.length - 1 && node && typeof node === 'object'; s++) {
          node = (node as Container)[keyOf(stack[s]!)];
        }
        const top = stack[stack.length - 1];
        if (top && node && typeof node === 'object') remember(node, keyOf(top), lexeme);
      }
      i = j;
      continue;
    }
    i++;
  }
}

/** A complete recursive-descent parser: Python's `json.loads` grammar, with precise error positions. */
class FullParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): unknown {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail('unexpected text after the end of the JSON document');
    return v instanceof NumberLexeme ? Number(v.lexeme) : v;
  }

  private fail(what: string): never {
    const before = this.s.slice(0, this.i);
    const line = before.split('\n').length;
    const col = this.i - before.lastIndexOf('\n');
    const near = JSON.stringify(this.s.slice(this.i, this.i + 20));
    throw new NotebookError(
      'INVALID_JSON',
      `The notebook is not valid JSON: ${what} at line ${line}, column ${col} (near ${near}). ` +
        'The file may be truncated or hand-edited; restore it from version control or a checkpoint.',
    );
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i++;
      else break;
    }
  }

  private value(depth: number): unknown {
    if (depth > 1000) this.fail('nesting too deep');
    const s = this.s;
    const c = s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (c === undefined) this.fail('unexpected end of input (the JSON is truncated)');
    if (s.startsWith('true', this.i)) return this.word('true', true);
    if (s.startsWith('false', this.i)) return this.word('false', false);
    if (s.startsWith('null', this.i)) return this.word('null', null);
    if (s.startsWith('NaN', this.i)) return this.word('NaN', Number.NaN);
    if (s.startsWith('Infinity', this.i)) return this.word('Infinity', Number.POSITIVE_INFINITY);
    if (s.startsWith('-Infinity', this.i)) return this.word('-Infinity', Number.NEGATIVE_INFINITY);
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const found = m.exec(s);
    if (!found) this.fail(`unexpected character ${JSON.stringify(c)}`);
    this.i += found[0].length;
    return new NumberLexeme(found[0]);
  }

  private word<T>(w: string, v: T): T {
    this.i += w.length;
    return v;
  }

  private string(): string {
    const s = this.s;
    const start = this.i;
    let j = this.i + 1;
    for (;;) {
      if (j >= s.length) {
        this.i = start;
        this.fail('unterminated string (the JSON is truncated)');
      }
      const c = s.charCodeAt(j);
      if (c === 34) break;
      if (c === 92) j += 2;
      else if (c < 32) {
        this.i = j;
        this.fail('control character inside a string');
      } else j++;
    }
    const raw = s.slice(start, j + 1);
    this.i = j + 1;
    try {
      return JSON.parse(raw) as string;
    } catch {
      this.i = start;
      return this.fail('invalid escape sequence in a string');
    }
  }

  private expect(ch: string, what: string): void {
    this.ws();
    if (this.s[this.i] !== ch) {
      if (this.i >= this.s.length) this.fail('unexpected end of input (the JSON is truncated)');
      this.fail(`expected ${what}`);
    }
    this.i++;
  }

  private object(depth: number): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') {
        if (this.i >= this.s.length) this.fail('unexpected end of input (the JSON is truncated)');
        this.fail('expected a double-quoted property name');
      }
      const key = this.string();
      this.expect(':', "':' after a property name");
      this.ws();
      const v = this.value(depth + 1);
      this.set(out, key, v);
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect('}', "',' or '}' in an object");
      return out;
    }
  }

  private array(depth: number): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      const v = this.value(depth + 1);
      this.set(out as unknown as Record<string, unknown>, String(out.length), v);
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect(']', "',' or ']' in an array");
      return out;
    }
  }

  /** Numbers arrive as their lexeme; store the value and, when needed, its Python text. */
  private set(target: Record<string, unknown>, key: string, v: unknown): void {
    const value = v instanceof NumberLexeme ? Number(v.lexeme) : v;
    if (key === '__proto__') {
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      target[key] = value;
    }
    if (v instanceof NumberLexeme) remember(target, key, v.lexeme);
  }
}

class NumberLexeme {
  constructor(readonly lexeme: string) {}
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Compare strings by code point, as Python sorts `str` keys. */
export function comparePyStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y >= 0xe000 : x >= 0xe000)) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj).filter((k) => (obj as Container)[k] !== undefined);
  let ascii = true;
  for (const k of keys) {
    if (!/^[\x00-\ud7ff]*$/.test(k)) {
      ascii = false;
      break;
    }
  }
  return ascii ? keys.sort() : keys.sort(comparePyStrings);
}

function isStringArray(a: unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'string') return false;
  return true;
}

/**
 * Python `json.dumps(value, indent=1, sort_keys=True, separators=(",", ": "), ensure_ascii=False)`
 * of `value` nested at `indent`.
 */
export function writePyJson(value: unknown, indent = '', numberText?: NumberText): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return numberText && Object.is(numberText.value, value) ? numberText.text : defaultNumberText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return 'null';
      const inner = indent + ' ';
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        if (isStringArray(value)) {
          // Lines of text: one native call; JSON text has no raw newlines, so re-indenting is safe.
          const flat = JSON.stringify(value, null, 1);
          return indent ? flat.replace(/\n/g, `\n${indent}`) : flat;
        }
        const rec = recordsOf(value, false);
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          out += `${i === 0 ? '\n' : ',\n'}${inner}${writePyJson(item === undefined ? null : item, inner, rec?.[String(i)])}`;
        }
        return `${out}\n${indent}]`;
      }
      const keys = sortedKeys(value);
      if (keys.length === 0) return '{}';
      const rec = recordsOf(value, false);
      let out = '{';
      let first = true;
      for (const k of keys) {
        out += `${first ? '\n' : ',\n'}${inner}${JSON.stringify(k)}: ${writePyJson((value as Container)[k], inner, rec?.[k])}`;
        first = false;
      }
      return `${out}\n${indent}}`;
    }
    default:
      throw new NotebookError(
        'INVALID_NOTEBOOK',
        `Cannot write a ${typeof value} into a notebook: only JSON values (string, number, boolean, null, arrays, objects) are allowed.`,
      );
  }
}

function isSortedPy(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i - 1]!;
    const b = keys[i]!;
    if (a >= b && comparePyStrings(a, b) >= 0) return false;
  }
  return true;
}

/** Placeholders for texts JSON.stringify cannot produce (Python number forms, objects whose keys V8
 *  would reorder); substituted after stringify. The nonce makes collisions with real strings impossible. */
class Placeholders {
  readonly nonce = `@@pyjson-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}-`;
  readonly texts: string[] = [];
  add(text: string): string {
    this.texts.push(text);
    return `${this.nonce}${this.texts.length - 1}`;
  }
}

/**
 * A tree JSON.stringify(…, null, 1) writes exactly as Python's json.dumps would: objects with keys in
 * Python order, Python number texts as placeholders. Subtrees that already qualify are reused as is
 * (notebooks parsed from nbformat files keep their sorted key order), so this mostly only walks.
 */
function prepare(
  value: unknown,
  indent: string,
  numberText: NumberText | undefined,
  ph: Placeholders,
): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number': {
      if (numberText === undefined) {
        if (Number.isSafeInteger(value)) {
          if (!Object.is(value, -0)) return value;
        } else if (Number.isFinite(value) && !Number.isInteger(value) && Math.abs(value) >= 1e-4)
          return value; // same text in JS and Python
      }
      const text =
        numberText && Object.is(numberText.value, value) ? numberText.text : defaultNumberText(value);
      return text === JSON.stringify(value) ? value : ph.add(text);
    }
    case 'bigint':
      return ph.add(value.toString());
    case 'object': {
      if (value === null) return null;
      const inner = indent + ' ';
      if (Array.isArray(value)) {
        if (isStringArray(value)) return value;
        const rec = recordsOf(value, false);
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          const p = prepare(item === undefined ? null : item, inner, rec?.[String(i)], ph);
          if (p !== item && copy === undefined) copy = value.slice(0, i);
          if (copy) copy.push(p);
        }
        return copy ?? value;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        throw new NotebookError(
          'INVALID_NOTEBOOK',
          'Cannot write an object with a toJSON method into a notebook: convert it to plain JSON first.',
        );
      }
      const keys = Object.keys(value);
      const rec = recordsOf(value, false);
      const sorted = isSortedPy(keys);
      let changed = !sorted;
      const prepared: unknown[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const v = (value as Container)[keys[i]!];
        const p = v === undefined ? undefined : prepare(v, inner, rec?.[keys[i]!], ph);
        prepared[i] = p;
        if (p !== v) changed = true;
      }
      if (!changed) return value;
      if (sorted && !Object.hasOwn(value, '__proto__')) {
        // Same key order: a spread copy keeps V8's fast object shape (fast native stringify).
        const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
        for (let i = 0; i < keys.length; i++) {
          if (prepared[i] !== (value as Container)[keys[i]!]) copy[keys[i]!] = prepared[i];
        }
        return copy;
      }
      const order = sorted
        ? keys.map((_, i) => i)
        : keys.map((_, i) => i).sort((a, b) => comparePyStrings(keys[a]!, keys[b]!));
      const copy: Record<string, unknown> = {};
      for (const i of order) {
        const k = keys[i]!;
        if (k === '__proto__')
          Object.defineProperty(copy, k, {
            value: prepared[i],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else copy[k] = prepared[i];
      }
      // Integer-like keys come first in V8's property order whatever the insertion order.
      const got = Object.keys(copy);
      for (let j = 0; j < order.length; j++) {
        if (got[j] !== keys[order[j]!]) return ph.add(writePyJson(value, indent, undefined));
      }
      return copy;
    }
    case 'undefined':
      return null;
    default:
      throw new NotebookError(
        'INVALID_NOTEBOOK',
        `Cannot write a ${typeof value} into a notebook: only JSON values (string, number, boolean, null, arrays, objects) are allowed.`,
      );
  }
}

/** `json.dumps` of a single value with nbformat's options (no trailing newline). Fast path: one native
 *  JSON.stringify over a prepared tree. */
export function dumpsPy(value: unknown): string {
  const ph = new Placeholders();
  const prepared = prepare(value, '', undefined, ph);
  const out = JSON.stringify(prepared, null, 1);
  if (ph.texts.length === 0) return out;
  const re = new RegExp(`"${ph.nonce.replace(/[-@]/g, '\\$&')}(\\d+)"`, 'g');
  return out.replace(re, (_, i: string) => ph.texts[Number(i)]!);
}
