import { z } from 'zod';
import type { JsonSchema } from './json-schema.js';

/** Longest message an argument error gets (a model reads it and retries). */
export const MAX_ARGUMENT_ERROR = 400;
const MAX_ISSUES = 3;

export type ArgumentCheck = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * Check a tool's arguments against its zod shape: unknown names are refused (with a "did you mean"),
 * then each problem is named with what is expected and what was given, in one short message without
 * validator internals. `schema` is the tool's emitted input schema (what the client saw).
 */
export function checkArguments(
  tool: string,
  shape: z.ZodRawShape,
  schema: JsonSchema,
  args: Record<string, unknown>,
): ArgumentCheck {
  const known = Object.keys(shape);
  const unknown = Object.keys(args).filter((k) => !Object.hasOwn(shape, k));
  if (unknown.length) {
    const parts = unknown.slice(0, MAX_ISSUES).map((k) => {
      const near = closest(k, known);
      return `\`${clip(k, 40)}\`${near ? ` (did you mean \`${near}\`?)` : ''}`;
    });
    const more = unknown.length > MAX_ISSUES ? ` and ${unknown.length - MAX_ISSUES} more` : '';
    const takes = known.length ? `${tool} takes: ${known.join(', ')}.` : `${tool} takes no arguments.`;
    return fail(`Unknown argument${unknown.length > 1 ? 's' : ''} ${parts.join(', ')}${more}. ${takes}`);
  }
  const parsed = z.object(shape).safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data as Record<string, unknown> };
  const issues = parsed.error.issues;
  const lines = issues.slice(0, MAX_ISSUES).map((i) => issueText(i, schema, args));
  const more = issues.length > MAX_ISSUES ? ` (${issues.length - MAX_ISSUES} more)` : '';
  return fail(`Invalid arguments for ${tool}: ${lines.join(' ')}${more}`);
}

function fail(message: string): ArgumentCheck {
  const m = message.length > MAX_ARGUMENT_ERROR ? `${message.slice(0, MAX_ARGUMENT_ERROR - 1)}…` : message;
  return { ok: false, message: m };
}

type Issue = z.core.$ZodIssue;

function issueText(issue: Issue, schema: JsonSchema, args: Record<string, unknown>): string {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const name = pathName(path);
  const given = valueAt(args, path);
  const node = schemaAt(schema, path);
  if (given.missing && path.length === 1) {
    const what = typeof node?.description === 'string' ? `: ${node.description}` : '.';
    return `Missing required argument \`${name}\`${what}`;
  }
  const got = given.missing ? 'nothing' : describeValue(given.value);
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      return `\`${name}\` ${boundText(issue)}; got ${got}.`;
    case 'unrecognized_keys':
      return `\`${name}\` has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${clip(k, 30)}\``).join(', ')}.`;
    default:
      return `\`${name}\` must be ${node ? expected(node) : 'valid'}; got ${got}.`;
  }
}

function boundText(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const limit = Number((issue as { minimum?: unknown; maximum?: unknown })[small ? 'minimum' : 'maximum']);
  const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
  if (issue.origin === 'string')
    return small && limit === 1
      ? 'must not be empty'
      : `must have ${small ? 'at least' : 'at most'} ${limit} characters`;
  if (issue.origin === 'array' || issue.origin === 'set')
    return small && limit === 1
      ? 'must not be empty'
      : `must have ${small ? 'at least' : 'at most'} ${limit} items`;
  const op = small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
  return `must be ${op} ${limit}`;
}

/** "an integer ≥ 0", "one of "code", "markdown"", "an array of strings", … from an emitted schema node. */
export function expected(node: JsonSchema): string {
  if (Array.isArray(node.enum)) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const parts = types.filter((t): t is string => typeof t === 'string').map((t) => typeText(t, node));
  if (!parts.length && Array.isArray(node.anyOf))
    return (node.anyOf as JsonSchema[]).map(expected).join(' or ');
  return parts.join(' or ') || 'a valid value';
}

function typeText(type: string, node: JsonSchema): string {
  const min = typeof node.minimum === 'number' ? node.minimum : undefined;
  const max = typeof node.maximum === 'number' ? node.maximum : undefined;
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` ≥ ${min}`
        : max !== undefined
          ? ` ≤ ${max}`
          : '';
  switch (type) {
    case 'integer':
      return `an integer${range}`;
    case 'number':
      return `a number${range}`;
    case 'string':
      return node.minLength === 1 ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const items = node.items as JsonSchema | undefined;
      return items ? `an array of ${plural(expected(items))}` : 'an array';
    }
    default:
      return 'an object';
  }
}

function plural(what: string): string {
  return what.replace(/^an? (\w+)/, (_m, w: string) => `${w}s`).replace(/^one of/, 'values from');
}

/** A short, safe rendering of what the client sent. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? `an array of ${v.length}` : 'an empty array';
  if (typeof v === 'string') return `the string ${JSON.stringify(clip(v, 40))}`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function pathName(path: Array<string | number>): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    '',
  );
}

function valueAt(root: unknown, path: Array<string | number>): { missing: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object' || !(p in (cur as object))) return { missing: true };
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur === undefined ? { missing: true } : { missing: false, value: cur };
}

function schemaAt(schema: JsonSchema, path: Array<string | number>): JsonSchema | undefined {
  let cur: JsonSchema | undefined = schema;
  for (const p of path) {
    if (!cur) return undefined;
    if (typeof p === 'number') cur = cur.items as JsonSchema | undefined;
    else cur = (cur.properties as Record<string, JsonSchema> | undefined)?.[p];
  }
  return cur;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The closest of `names` to `word` when it is a plausible typo (edit distance ≤ 1/3 of its length). */
export function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const w = word.toLowerCase();
  for (const n of names) {
    const d = n.toLowerCase() === w ? 0 : editDistance(w, n.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = n;
    }
  }
  const allowed = Math.max(1, Math.floor(Math.max(word.length, 3) / 3));
  if (best !== undefined && bestDistance <= allowed) return best;
  // A prefix or suffix of a longer name (e.g. `id` → `cell_id`) is a good guess too.
  return names.find((n) => word.length >= 2 && (n.endsWith(`_${word}`) || n.startsWith(`${word}_`)));
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
