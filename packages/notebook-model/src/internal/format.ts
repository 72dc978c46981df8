/** nbformat v4 structure checks and the disk ↔ memory conversions nbformat's reader and writer do. */
import { NotebookError } from '../errors.js';
import { splitLinesKeepEnds } from './lines.js';
import { copyNumberRecords } from './pyjson.js';

type Obj = Record<string, unknown>;

export const CELL_ID_PATTERN = /^[a-zA-Z0-9-_]{1,64}$/;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v} (${JSON.stringify(v)?.slice(0, 40)})`;
}

function invalid(key: string, what: string, cellIndex?: number): never {
  const where = cellIndex === undefined ? key : `cell ${cellIndex} (${key})`;
  throw new NotebookError(
    'INVALID_NOTEBOOK',
    `Invalid notebook: ${where} ${what}. Fix that key (nbformat v4 schema) or restore the file from version control.`,
    { key, ...(cellIndex === undefined ? {} : { cellIndex }) },
  );
}

const join = (at: string, k: string) => (at ? `${at}.${k}` : k);

function isMultiline(v: unknown): boolean {
  return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function requireKey(o: Obj, k: string, at: string, cell?: number): unknown {
  if (!(k in o) || o[k] === undefined) invalid(join(at, k), `is missing required key '${k}'`, cell);
  return o[k];
}

function checkMultiline(o: Obj, k: string, at: string, cell: number): void {
  const v = requireKey(o, k, at, cell);
  if (!isMultiline(v))
    invalid(join(at, k), `must be a string or a list of strings, got ${typeName(v)}`, cell);
}

function checkObject(o: Obj, k: string, at: string, cell?: number): void {
  const v = requireKey(o, k, at, cell);
  if (!isObj(v)) invalid(join(at, k), `must be an object, got ${typeName(v)}`, cell);
}

function checkCount(o: Obj, k: string, at: string, cell: number): void {
  const v = requireKey(o, k, at, cell);
  if (v !== null && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
    invalid(join(at, k), `must be a non-negative integer or null, got ${typeName(v)}`, cell);
  }
}

function checkBundle(v: unknown, at: string, cell: number): void {
  if (!isObj(v)) invalid(at, `must be an object of MIME type → value, got ${typeName(v)}`, cell);
  for (const [mime, value] of Object.entries(v)) {
    if (!mime.includes('/')) invalid(`${at}.${mime}`, 'is not a MIME type (expected type/subtype)', cell);
    const json = mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
    if (!json && !isMultiline(value)) {
      invalid(`${at}["${mime}"]`, `must be a string or a list of strings, got ${typeName(value)}`, cell);
    }
  }
}

const OUTPUT_KEYS: Record<string, string[]> = {
  stream: ['output_type', 'name', 'text'],
  display_data: ['output_type', 'data', 'metadata'],
  execute_result: ['output_type', 'data', 'metadata', 'execution_count'],
  error: ['output_type', 'ename', 'evalue', 'traceback'],
};

/**
 * A copy of an output holding only the keys nbformat's schema allows (kernel messages carry more, e.g.
 * `transient`), with `metadata` defaulted to {} and `execution_count` to `executionCount`.
 */
export function normalizeOutput(o: unknown, executionCount: number | null): unknown {
  if (!isObj(o)) return o;
  const keys = OUTPUT_KEYS[o.output_type as string];
  if (!keys) return o;
  const out: Obj = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  if (keys.includes('metadata') && out.metadata === undefined) out.metadata = {};
  if (isObj(out.data)) {
    const data = { ...out.data };
    copyNumberRecords(out.data, data);
    out.data = data;
  }
  if (o.output_type === 'execute_result' && out.execution_count === undefined)
    out.execution_count = executionCount;
  copyNumberRecords(o, out);
  return out;
}

/** Validate one output (disk or memory form). */
export function checkOutput(out: unknown, at: string, cell: number): void {
  if (!isObj(out)) invalid(at, `must be an object, got ${typeName(out)}`, cell);
  const t = requireKey(out, 'output_type', at, cell);
  switch (t) {
    case 'stream': {
      const name = requireKey(out, 'name', at, cell);
      if (typeof name !== 'string') invalid(`${at}.name`, `must be a string, got ${typeName(name)}`, cell);
      checkMultiline(out, 'text', at, cell);
      return;
    }
    case 'display_data':
    case 'execute_result':
      checkBundle(requireKey(out, 'data', at, cell), `${at}.data`, cell);
      checkObject(out, 'metadata', at, cell);
      if (t === 'execute_result') checkCount(out, 'execution_count', at, cell);
      return;
    case 'error': {
      for (const k of ['ename', 'evalue']) {
        const v = requireKey(out, k, at, cell);
        if (typeof v !== 'string') invalid(join(at, k), `must be a string, got ${typeName(v)}`, cell);
      }
      const tb = requireKey(out, 'traceback', at, cell);
      if (!Array.isArray(tb) || !tb.every((x) => typeof x === 'string')) {
        invalid(`${at}.traceback`, `must be a list of strings, got ${typeName(tb)}`, cell);
      }
      return;
    }
    default:
      invalid(
        `${at}.output_type`,
        `must be one of stream, display_data, execute_result, error; got ${typeName(t)}`,
        cell,
      );
  }
}

/** The metadata keys nbformat's schema constrains (others are free-form). */
function checkCellMetadata(meta: Obj, at: string, cell: number, type: string): void {
  const tags = meta.tags;
  if (tags !== undefined) {
    if (
      !Array.isArray(tags) ||
      !tags.every((t) => typeof t === 'string' && t.length > 0 && !t.includes(','))
    ) {
      invalid(`${at}.metadata.tags`, 'must be a list of non-empty strings without commas', cell);
    }
    if (new Set(tags).size !== tags.length) invalid(`${at}.metadata.tags`, 'must not repeat a tag', cell);
  }
  if (meta.name !== undefined && (typeof meta.name !== 'string' || meta.name === '')) {
    invalid(`${at}.metadata.name`, 'must be a non-empty string', cell);
  }
  if (type === 'code') {
    if (meta.collapsed !== undefined && typeof meta.collapsed !== 'boolean') {
      invalid(`${at}.metadata.collapsed`, 'must be a boolean', cell);
    }
    if (meta.scrolled !== undefined && typeof meta.scrolled !== 'boolean' && meta.scrolled !== 'auto') {
      invalid(`${at}.metadata.scrolled`, "must be true, false or 'auto'", cell);
    }
    const ex = meta.execution;
    if (ex !== undefined && (!isObj(ex) || !Object.values(ex).every((v) => typeof v === 'string'))) {
      invalid(`${at}.metadata.execution`, 'must be an object of ISO 8601 timestamp strings', cell);
    }
  }
  if (type === 'raw' && meta.format !== undefined && typeof meta.format !== 'string') {
    invalid(`${at}.metadata.format`, 'must be a string (a MIME type)', cell);
  }
}

/** Validate one cell (disk or memory form). */
export function checkCell(cell: unknown, index: number, minor: number): void {
  const at = `cells[${index}]`;
  if (!isObj(cell)) invalid(at, `must be an object, got ${typeName(cell)}`, index);
  const t = requireKey(cell, 'cell_type', at, index);
  if (t !== 'code' && t !== 'markdown' && t !== 'raw') {
    invalid(`${at}.cell_type`, `must be 'code', 'markdown' or 'raw', got ${typeName(t)}`, index);
  }
  checkObject(cell, 'metadata', at, index);
  checkCellMetadata(cell.metadata as Obj, at, index, t);
  checkMultiline(cell, 'source', at, index);
  // Ids in a notebook below 4.5 (some editors write them) are kept as they are, as nbformat does.
  if (minor >= 5 && 'id' in cell && cell.id !== undefined) {
    if (typeof cell.id !== 'string' || !CELL_ID_PATTERN.test(cell.id)) {
      invalid(`${at}.id`, `must be 1–64 characters of [a-zA-Z0-9-_], got ${typeName(cell.id)}`, index);
    }
  }
  if (t === 'code') {
    const outputs = requireKey(cell, 'outputs', at, index);
    if (!Array.isArray(outputs)) invalid(`${at}.outputs`, `must be a list, got ${typeName(outputs)}`, index);
    outputs.forEach((o, j) => {
      checkOutput(o, `${at}.outputs[${j}]`, index);
    });
    checkCount(cell, 'execution_count', at, index);
    if ('attachments' in cell) invalid(`${at}.attachments`, 'is not allowed on a code cell', index);
  } else {
    if ('outputs' in cell) invalid(`${at}.outputs`, `is not allowed on a ${t} cell`, index);
    if ('execution_count' in cell) invalid(`${at}.execution_count`, `is not allowed on a ${t} cell`, index);
    if ('attachments' in cell && cell.attachments !== undefined) {
      const att = cell.attachments;
      if (!isObj(att)) invalid(`${at}.attachments`, `must be an object, got ${typeName(att)}`, index);
      for (const [name, bundle] of Object.entries(att))
        checkBundle(bundle, `${at}.attachments.${name}`, index);
    }
  }
}

/** Check the top level: nbformat version first (so nbformat 3 gets the right error), then keys. */
export function checkTopLevel(root: unknown): { minor: number } {
  if (!isObj(root)) {
    throw new NotebookError(
      'INVALID_NOTEBOOK',
      `Invalid notebook: the top-level JSON value is ${typeName(root)}, expected an object with nbformat, nbformat_minor, metadata and cells.`,
    );
  }
  const major = root.nbformat;
  if (major === undefined)
    invalid('nbformat', "is missing (is this a Jupyter notebook? expected key 'nbformat')");
  if (typeof major !== 'number' || !Number.isInteger(major)) {
    invalid('nbformat', `must be an integer, got ${typeName(major)}`);
  }
  if (major !== 4) {
    throw new NotebookError(
      'UNSUPPORTED_NBFORMAT',
      `Unsupported notebook format: nbformat ${major}; only nbformat 4 (4.0–4.5) is supported. ` +
        (major < 4
          ? 'Convert it first, e.g. `jupyter nbconvert --to notebook --nbformat 4 --inplace <file>`, or open and save it in JupyterLab.'
          : 'Upgrade @jupyter-mcp/notebook-model or save the notebook as nbformat 4 from Jupyter.'),
      { key: 'nbformat' },
    );
  }
  const minor = requireKey(root, 'nbformat_minor', '');
  if (typeof minor !== 'number' || !Number.isInteger(minor) || minor < 0) {
    invalid('nbformat_minor', `must be a non-negative integer, got ${typeName(minor)}`);
  }
  checkObject(root, 'metadata', '');
  const meta = root.metadata as Obj;
  const ks = meta.kernelspec;
  if (
    ks !== undefined &&
    (!isObj(ks) || typeof ks.name !== 'string' || typeof ks.display_name !== 'string')
  ) {
    invalid('metadata.kernelspec', 'must be an object with string name and display_name');
  }
  const li = meta.language_info;
  if (li !== undefined && (!isObj(li) || typeof li.name !== 'string')) {
    invalid('metadata.language_info', 'must be an object with a string name');
  }
  if (meta.title !== undefined && typeof meta.title !== 'string')
    invalid('metadata.title', 'must be a string');
  if (meta.authors !== undefined && !Array.isArray(meta.authors))
    invalid('metadata.authors', 'must be a list');
  const cells = requireKey(root, 'cells', '');
  if (!Array.isArray(cells)) invalid('cells', `must be a list, got ${typeName(cells)}`);
  return { minor };
}

// ---------------------------------------------------------------------------------------------
// Disk ↔ memory (nbformat's rejoin_lines / split_lines / strip_transient)

const isJsonMime = (m: string) =>
  m === 'application/json' || (m.startsWith('application/') && m.endsWith('+json'));
const SPLIT_MIMES = new Set(['application/javascript', 'image/svg+xml']);

/** The line lists a text was joined from, kept so an unchanged text is written without re-splitting. */
const LINES = Symbol('jupyter-mcp.lines');
type LineCache = Record<string, { text: string; lines: string[] }>;
const ONE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** True when `lines` is exactly what `splitlines(keepends=True)` gives for their concatenation. */
function isCanonicalSplit(lines: string[]): boolean {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0) return false;
    const at = line.search(ONE_BREAK);
    if (at === -1) {
      if (i !== lines.length - 1) return false;
      continue;
    }
    const len = line.startsWith('\r\n', at) ? 2 : 1;
    if (at + len !== line.length) return false;
    if (len === 1 && line.charCodeAt(at) === 13 && lines[i + 1]?.charCodeAt(0) === 10) return false;
  }
  return true;
}

function joinLines(owner: Obj, key: string, lines: string[]): void {
  const text = lines.join('');
  owner[key] = text;
  if (lines.length > 1 && isCanonicalSplit(lines)) {
    let cache = (owner as Record<symbol, LineCache | undefined>)[LINES];
    if (!cache) {
      cache = Object.create(null) as LineCache;
      Object.defineProperty(owner, LINES, { value: cache, enumerable: false, writable: true });
    }
    cache[key] = { text, lines };
  }
}

/** `splitlines(keepends=True)` of owner[key], reusing the parsed list when the text is unchanged. */
function linesOf(owner: Obj, key: string, text: string): string[] {
  const hit = (owner as Record<symbol, LineCache | undefined>)[LINES]?.[key];
  return hit && hit.text === text ? hit.lines : splitLinesKeepEnds(text);
}

function rejoinBundle(data: Obj): void {
  for (const k of Object.keys(data)) {
    const v = data[k];
    if (!isJsonMime(k) && Array.isArray(v) && v.every((x) => typeof x === 'string')) joinLines(data, k, v);
  }
}

/** In place: join multiline output fields as nbformat's reader does. */
export function outputsToMemoryForm(outputs: Obj[]): void {
  for (const out of outputs) {
    const t = out.output_type;
    if (t === 'execute_result' || t === 'display_data') {
      if (isObj(out.data)) rejoinBundle(out.data);
    } else if (t && Array.isArray(out.text)) joinLines(out, 'text', out.text as string[]);
  }
}

/** In place: what nbformat's reader does after `json.loads` (rejoin_lines + strip_transient). */
export function toMemoryForm(root: Obj): void {
  const meta = root.metadata as Obj;
  delete meta.orig_nbformat;
  delete meta.orig_nbformat_minor;
  delete meta.signature;
  for (const cell of root.cells as Obj[]) {
    if (Array.isArray(cell.source)) joinLines(cell, 'source', cell.source as string[]);
    if (isObj(cell.attachments))
      for (const b of Object.values(cell.attachments)) if (isObj(b)) rejoinBundle(b);
    if (cell.cell_type === 'code' && Array.isArray(cell.outputs)) outputsToMemoryForm(cell.outputs as Obj[]);
    delete (cell.metadata as Obj).trusted;
  }
}

function shallow<T extends object>(o: T): T {
  const copy = Array.isArray(o) ? ([...o] as T) : { ...o };
  copyNumberRecords(o, copy);
  return copy;
}

function splitBundle(data: Obj): Obj {
  let copy: Obj | undefined;
  for (const k of Object.keys(data)) {
    const v = data[k];
    if (typeof v === 'string' && (k.startsWith('text/') || SPLIT_MIMES.has(k))) {
      copy ??= shallow(data);
      copy[k] = linesOf(data, k, v);
    }
  }
  return copy ?? data;
}

function withoutKey(o: Obj, key: string): Obj {
  if (!(key in o)) return o;
  const copy = shallow(o);
  delete copy[key];
  return copy;
}

/** A disk-form view of a memory-form cell (shallow copies; the model is not modified). */
export function toDiskCell(cell: Obj): Obj {
  const out = shallow(cell);
  if (typeof cell.source === 'string') out.source = linesOf(cell, 'source', cell.source);
  if (isObj(cell.attachments)) {
    const att = shallow(cell.attachments);
    for (const k of Object.keys(att)) if (isObj(att[k])) att[k] = splitBundle(att[k] as Obj);
    out.attachments = att;
  }
  if (cell.cell_type === 'code' && Array.isArray(cell.outputs)) {
    out.outputs = (cell.outputs as Obj[]).map((o) => {
      if ((o.output_type === 'execute_result' || o.output_type === 'display_data') && isObj(o.data)) {
        const data = splitBundle(o.data);
        if (data === o.data) return o;
        const c = shallow(o);
        c.data = data;
        return c;
      }
      if (o.output_type === 'stream' && typeof o.text === 'string') {
        const c = shallow(o);
        c.text = linesOf(o, 'text', o.text);
        return c;
      }
      return o;
    });
  }
  if (isObj(cell.metadata)) out.metadata = withoutKey(cell.metadata, 'trusted');
  return out;
}

/** A disk-form view of the notebook metadata (nbformat's strip_transient). */
export function toDiskMetadata(meta: Obj): Obj {
  let m = meta;
  for (const k of ['orig_nbformat', 'orig_nbformat_minor', 'signature']) m = withoutKey(m, k);
  return m;
}

export { shallow };
