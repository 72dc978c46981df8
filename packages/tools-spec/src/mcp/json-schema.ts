import { z } from 'zod';

/** A JSON Schema node as emitted to clients (plain objects only). */
export type JsonSchema = { [key: string]: unknown };

/** Integer bounds every client accepts (some parse schemas into 32-bit ints). */
export const INT_MIN = -(2 ** 31);
export const INT_MAX = 2 ** 31 - 1;

/** Keywords some clients reject (Gemini-based ones among them) or that only add noise for a model. */
const DROPPED = new Set(['$schema', 'propertyNames', '$id', 'definitions', '$defs']);

/**
 * Portable, compact JSON Schema for a tool's zod shape: no `$schema`, `$ref`, `propertyNames`,
 * `exclusiveMinimum`/`exclusiveMaximum` (emitted as `minimum`/`maximum`; the server still checks the
 * exact bound), integer bounds within ±2^31 (the safe-integer defaults dropped), no empty
 * `additionalProperties: {}`. Input schemas are closed (`additionalProperties: false`); output schemas
 * (`kind: 'output'`) keep one level of detail — property names and types — which is what a client
 * needs to read `structuredContent`.
 */
export function portableSchema(shape: z.ZodRawShape, kind: 'input' | 'output'): JsonSchema {
  const raw = z.toJSONSchema(z.object(shape), {
    target: 'draft-7',
    io: kind,
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  const out = clean(raw, kind === 'output' ? 1 : Number.POSITIVE_INFINITY) as JsonSchema;
  if (kind === 'input') {
    if (isEmptySchema(out.properties)) delete out.properties;
    out.additionalProperties = false;
  } else {
    // What a client needs to read structuredContent is the field names and types; `required` and
    // closedness only repeat what every result shows.
    delete out.additionalProperties;
    delete out.required;
  }
  return out;
}

function clean(node: unknown, depth: number): unknown {
  if (Array.isArray(node)) return node.map((n) => clean(n, depth));
  if (!node || typeof node !== 'object') return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(src)) {
    if (DROPPED.has(key)) continue;
    if (key === '$ref') throw new Error('portableSchema: $ref is not portable; inline the schema');
    if (key === 'additionalProperties' && isEmptySchema(value)) continue;
    // "non-empty" is checked (and explained) by the server; it is noise in every string parameter.
    if (key === 'minLength' && value === 1) continue;
    if (key === 'exclusiveMinimum' && typeof value === 'number') {
      if (src.minimum === undefined) out.minimum = value;
      continue;
    }
    if (key === 'exclusiveMaximum' && typeof value === 'number') {
      if (src.maximum === undefined) out.maximum = value;
      continue;
    }
    if ((key === 'minimum' || key === 'maximum') && typeof value === 'number') {
      if (Math.abs(value) >= Number.MAX_SAFE_INTEGER) continue;
      out[key] = Math.min(INT_MAX, Math.max(INT_MIN, value));
      continue;
    }
    if (key === 'properties' && value && typeof value === 'object') {
      const props: JsonSchema = {};
      for (const [name, sub] of Object.entries(value as JsonSchema))
        props[name] = depth > 1 ? clean(sub, depth - 1) : summary(sub as JsonSchema);
      out.properties = props;
      continue;
    }
    out[key] = typeof value === 'object' ? clean(value, depth) : value;
  }
  return simplifyNullable(out);
}

/** An output property at the last level: its type only (`array`, `object`, or the scalar type). */
function summary(node: JsonSchema): JsonSchema {
  const n = simplifyNullable(clean(node, 1) as JsonSchema);
  const out: JsonSchema = {};
  if (n.type !== undefined) out.type = n.type;
  else if (Array.isArray(n.anyOf)) out.anyOf = (n.anyOf as JsonSchema[]).map((s) => ({ type: s.type }));
  return out;
}

/** `anyOf: [{type: X}, {type: 'null'}]` → `type: [X, 'null']` when X carries nothing else. */
function simplifyNullable(node: JsonSchema): JsonSchema {
  const any = node.anyOf;
  if (!Array.isArray(any) || any.length !== 2) return node;
  const nul = any.findIndex((s) => (s as JsonSchema).type === 'null');
  if (nul < 0) return node;
  const other = any[1 - nul] as JsonSchema;
  if (typeof other.type !== 'string') return node;
  const { anyOf: _drop, ...rest } = node;
  return { ...rest, ...other, type: [other.type, 'null'] };
}

function isEmptySchema(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Problems that make a schema non-portable (the budget test and the registration assert none). */
export function portabilityProblems(schema: unknown, where = '$'): string[] {
  const problems: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      for (const [i, n] of node.entries()) walk(n, `${at}[${i}]`);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as JsonSchema)) {
      if (['$schema', '$ref', 'propertyNames', 'exclusiveMinimum', 'exclusiveMaximum'].includes(key))
        problems.push(`${at}: ${key}`);
      if (
        (key === 'minimum' || key === 'maximum') &&
        typeof value === 'number' &&
        (value < INT_MIN || value > INT_MAX)
      )
        problems.push(`${at}: ${key} ${value} outside ±2^31`);
      walk(value, key === 'properties' ? `${at}` : `${at}.${key}`);
    }
  };
  walk(schema, where);
  return problems;
}
