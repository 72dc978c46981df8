/** Papermill-style parameter injection, with literals valid in Python, R and Julia. */
import { NotebookError } from './errors.js';
import { pyFloatRepr } from './internal/pyjson.js';
import type { Notebook } from './notebook.js';
import type { CodeCell } from './types.js';

export type ParameterLanguage = 'python' | 'R' | 'julia';

/** JSON-like parameter values (bigint accepted for big integers). */
export type ParameterValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | ParameterValue[]
  | { [key: string]: ParameterValue };

export interface InjectParametersOptions {
  /** Override the notebook's language (`metadata.language_info.name` / `kernelspec.language`). */
  language?: string;
  /** Override the kernel name (`metadata.kernelspec.name`); papermill maps `pysparkkernel`, `sparkrkernel`. */
  kernelName?: string;
  /** Comment on the first line (default `Parameters`, as papermill). */
  comment?: string;
  /** Hide the injected cell's source (papermill `report_mode`). */
  reportMode?: boolean;
}

export interface InjectedParameters {
  cell: CodeCell;
  index: number;
  /** `replaced` an existing `injected-parameters` cell, or inserted `after-parameters` / `top`. */
  placement: 'replaced' | 'after-parameters' | 'top';
  language: ParameterLanguage;
}

const KERNEL_LANGUAGES: Record<string, ParameterLanguage> = {
  python: 'python',
  pysparkkernel: 'python',
  r: 'R',
  sparkrkernel: 'R',
  julia: 'julia',
};

/** Resolve a language name (`python`, `R`/`r`, `julia`) as papermill does (kernel name first). */
export function resolveParameterLanguage(language?: string, kernelName?: string): ParameterLanguage {
  const byKernel = kernelName ? KERNEL_LANGUAGES[kernelName.toLowerCase()] : undefined;
  const byLanguage = language ? KERNEL_LANGUAGES[language.toLowerCase()] : undefined;
  const found = byKernel ?? byLanguage;
  if (!found) {
    throw new NotebookError(
      'UNSUPPORTED_LANGUAGE',
      `Cannot render parameters for kernel ${JSON.stringify(kernelName ?? null)} / language ${JSON.stringify(language ?? null)}: ` +
        'supported languages are python, R and julia. Set metadata.kernelspec.language (or pass language) to one of them.',
    );
  }
  return found;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/** Python's `str.encode('unicode_escape').decode()` then `"` → `\"` (papermill's Python strings). */
function pythonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x100) out += `\\x${hex(c, 2)}`;
    else if (c < 0x10000) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return `${out}"`;
}

/** R / Julia strings: ASCII only, everything else escaped in a form the language accepts. */
function escapedString(s: string, lang: 'R' | 'julia'): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '$' && lang === 'julia') out += '\\$';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c < 0x80) out += `\\x${hex(c, 2)}`;
    else if (lang === 'R') out += c < 0x10000 ? `\\u{${hex(c, 4)}}` : `\\U{${hex(c, 8)}}`;
    else out += c < 0x10000 ? `\\u${hex(c, 4)}` : `\\U${hex(c, 8)}`;
  }
  return `${out}"`;
}

function renderNumber(v: number, lang: ParameterLanguage): string {
  if (Number.isNaN(v)) return lang === 'python' ? "float('nan')" : 'NaN';
  if (!Number.isFinite(v)) {
    if (lang === 'python') return v > 0 ? "float('inf')" : "float('-inf')";
    return v > 0 ? 'Inf' : '-Inf';
  }
  if (Number.isSafeInteger(v)) return Object.is(v, -0) ? '0' : String(v);
  return pyFloatRepr(v);
}

/** One value as a literal of `lang`. */
export function renderValue(value: ParameterValue, lang: ParameterLanguage): string {
  if (value === null) return lang === 'python' ? 'None' : lang === 'R' ? 'NULL' : 'nothing';
  switch (typeof value) {
    case 'string':
      return lang === 'python' ? pythonString(value) : escapedString(value, lang);
    case 'boolean':
      if (lang === 'python') return value ? 'True' : 'False';
      if (lang === 'R') return value ? 'TRUE' : 'FALSE';
      return value ? 'true' : 'false';
    case 'number':
      return renderNumber(value, lang);
    case 'bigint':
      return value.toString();
    case 'object': {
      if (Array.isArray(value)) {
        const items = value.map((v) => renderValue(v, lang)).join(', ');
        return lang === 'R' ? `list(${items})` : `[${items}]`;
      }
      const str = (k: string) => (lang === 'python' ? pythonString(k) : escapedString(k, lang));
      const entries = Object.entries(value);
      if (lang === 'python')
        return `{${entries.map(([k, v]) => `${str(k)}: ${renderValue(v, lang)}`).join(', ')}}`;
      if (lang === 'R')
        return `list(${entries.map(([k, v]) => `${str(k)} = ${renderValue(v, lang)}`).join(', ')})`;
      return `Dict(${entries.map(([k, v]) => `${str(k)} => ${renderValue(v, lang)}`).join(', ')})`;
    }
    default:
      throw new NotebookError(
        'INVALID_ARGUMENT',
        `Cannot render a ${typeof value} parameter: use strings, numbers, booleans, null, lists or objects.`,
      );
  }
}

const PYTHON_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The source papermill would inject: `# Parameters` then one `name = literal` line per parameter
 * (R drops leading underscores from names, as papermill does).
 */
export function renderParameters(
  params: Record<string, ParameterValue>,
  language: string,
  options: { comment?: string } = {},
): string {
  const lang = resolveParameterLanguage(language);
  let out = `${`# ${options.comment ?? 'Parameters'}`.trim()}\n`;
  for (const [rawName, value] of Object.entries(params)) {
    let name = rawName;
    if (lang === 'R') name = name.replace(/^_+/, '');
    if (!PYTHON_NAME.test(name)) {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        `Parameter name ${JSON.stringify(rawName)} is not a valid variable name; use letters, digits and underscores, not starting with a digit.`,
      );
    }
    out += `${name} = ${renderValue(value, lang)}\n`;
  }
  return out;
}

/**
 * Inject parameters the way papermill does: replace the first cell tagged `injected-parameters` in place
 * (keeping its id), else insert a new cell after the first cell tagged `parameters`, else at the top.
 * Records the values in `metadata.papermill.parameters`. Unlike papermill, a notebook below 4.5 is not
 * upgraded (the new cell then has no id).
 */
export function injectParameters(
  nb: Notebook,
  params: Record<string, ParameterValue>,
  options: InjectParametersOptions = {},
): InjectedParameters {
  const language = resolveParameterLanguage(
    options.language ?? nb.language,
    options.kernelName ?? nb.kernelName,
  );
  const source = renderParameters(
    params,
    language,
    options.comment === undefined ? {} : { comment: options.comment },
  );
  const metadata: Record<string, unknown> = { tags: ['injected-parameters'] };
  if (options.reportMode) metadata.jupyter = { source_hidden: true };
  const [existing] = nb.findCellsByTag('injected-parameters');
  let index: number;
  let placement: InjectedParameters['placement'];
  let cell: CodeCell;
  if (existing !== undefined) {
    index = existing;
    placement = 'replaced';
    const old = nb.cells[index]!;
    const { cell: fresh } = nb.insertCell({ index, cellType: 'code', source, metadata });
    nb.cells.splice(index + 1, 1);
    if (old.id !== undefined) fresh.id = old.id;
    cell = fresh as CodeCell;
  } else {
    const [params0] = nb.findCellsByTag('parameters');
    index = params0 === undefined ? 0 : params0 + 1;
    placement = params0 === undefined ? 'top' : 'after-parameters';
    cell = nb.insertCell({ index, cellType: 'code', source, metadata }).cell as CodeCell;
  }
  const pm = nb.metadata.papermill;
  const papermill = pm && typeof pm === 'object' && !Array.isArray(pm) ? (pm as Record<string, unknown>) : {};
  papermill.parameters = params;
  nb.metadata.papermill = papermill;
  return { cell, index, placement, language };
}
