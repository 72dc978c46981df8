import type { ToolAnnotations, ToolDefinition } from '../tool.js';
import { type JsonSchema, portableSchema } from './json-schema.js';

/** One tool as `tools/list` shows it. */
export interface ListedTool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations: Partial<ToolAnnotations>;
  execution?: { taskSupport: 'optional' };
}

const listed = new WeakMap<ToolDefinition, ListedTool>();

/**
 * The `tools/list` entry of a tool (computed once per definition: converting the zod schemas costs a
 * few ms per tool). Schemas are portable (see `portableSchema`); annotations leave out what equals the
 * spec's defaults except `readOnlyHint`, which clients filter on.
 */
export function listedTool(def: ToolDefinition): ListedTool {
  let entry = listed.get(def);
  if (!entry) {
    entry = {
      name: def.name,
      title: def.title,
      description: def.description,
      inputSchema: portableSchema(def.inputSchema, 'input'),
      ...(listsOutputSchema(def) ? { outputSchema: portableSchema(def.outputSchema, 'output') } : {}),
      annotations: compactAnnotations(def.annotations),
    };
    listed.set(def, entry);
  }
  return entry;
}

/**
 * Tools that return data — the read-only ones and the ones that run code — list their output schema,
 * so clients can rely on the fields of `structuredContent`. Tools that change something answer with a
 * confirmation whose `structuredContent` mirrors the change; they list none, which keeps `tools/list`
 * (paid for in every session) within its budget.
 */
export function listsOutputSchema(def: ToolDefinition): boolean {
  return (
    def.annotations.readOnlyHint || def.traits?.longRunning === true || def.traits?.kernel === 'notebook'
  );
}

/** Annotations without the spec defaults (destructive: true, idempotent: false, open world: true). */
export function compactAnnotations(a: ToolAnnotations): Partial<ToolAnnotations> {
  const out: Partial<ToolAnnotations> = { readOnlyHint: a.readOnlyHint };
  // destructiveHint and idempotentHint mean something only for tools that change things.
  if (!a.readOnlyHint) {
    out.destructiveHint = a.destructiveHint ?? true;
    if (a.idempotentHint) out.idempotentHint = true;
  }
  if (a.openWorldHint === false) out.openWorldHint = false;
  return out;
}

/** The `tools/list` result for these tools; long tools say they take tasks when `tasks` is on. */
export function toolList(
  defs: readonly ToolDefinition[],
  options: { tasks: boolean },
): { tools: ListedTool[] } {
  return {
    tools: defs.map((def) => {
      const entry = listedTool(def);
      return options.tasks && def.traits?.longRunning
        ? { ...entry, execution: { taskSupport: 'optional' } }
        : entry;
    }),
  };
}
