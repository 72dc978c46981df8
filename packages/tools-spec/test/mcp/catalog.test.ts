import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../src/index.js';
import { listsOutputSchema, toolList } from '../../src/mcp/catalog.js';
import { INT_MAX, INT_MIN, portabilityProblems } from '../../src/mcp/json-schema.js';

/** What every MCP session pays for the catalogue: `tools/list` as JSON. */
const BUDGET = 24_000;

const HOW_TO_STAY_WITHIN = [
  'To stay within it: describe a new parameter in a short phrase (the tool description already gives',
  'the context); reuse the shared arguments of tools/common.ts (pathArg, cellIdArg, kernelIdArg, …)',
  'instead of new wording; do not repeat in a tool description what its parameter descriptions say;',
  'conventions shared by many tools belong in SERVER_INSTRUCTIONS (app-core), not in each tool.',
].join(' ');

describe('tools/list: portable and compact', () => {
  const list = toolList(ALL_TOOLS, { tasks: true });
  const json = JSON.stringify(list);

  it(`fits the budget of ${BUDGET} characters with every tool and parameter`, () => {
    expect(
      json.length,
      `tools/list is ${json.length} characters (~${Math.round(json.length / 4)} tokens), over the budget of ${BUDGET}. ${HOW_TO_STAY_WITHIN}`,
    ).toBeLessThanOrEqual(BUDGET);
    expect(list.tools.map((t) => t.name)).toEqual(ALL_TOOLS.map((t) => t.name));
    for (const def of ALL_TOOLS) {
      const listed = list.tools.find((t) => t.name === def.name)!;
      expect(Object.keys(listed.inputSchema.properties ?? {}), def.name).toEqual(
        Object.keys(def.inputSchema),
      );
    }
  });

  it('uses plain JSON Schema every major client accepts', () => {
    for (const t of list.tools) {
      for (const [kind, schema] of [
        ['input', t.inputSchema],
        ['output', t.outputSchema],
      ] as const) {
        if (!schema) continue;
        expect(schema.type, `${t.name} ${kind}`).toBe('object');
        expect(portabilityProblems(schema), `${t.name} ${kind}`).toEqual([]);
        const text = JSON.stringify(schema);
        for (const banned of [
          '$schema',
          '$ref',
          'propertyNames',
          'exclusiveMinimum',
          'exclusiveMaximum',
          '$defs',
        ])
          expect(text, `${t.name} ${kind}`).not.toContain(banned);
        for (const m of text.matchAll(/"(?:minimum|maximum)":(-?\d+(?:\.\d+)?)/g)) {
          expect(Number(m[1])).toBeGreaterThanOrEqual(INT_MIN);
          expect(Number(m[1])).toBeLessThanOrEqual(INT_MAX);
        }
      }
      expect(t.inputSchema.additionalProperties, t.name).toBe(false);
    }
  });

  it('describes every parameter and every tool', () => {
    for (const t of list.tools) {
      expect(t.description.length, t.name).toBeGreaterThan(30);
      expect(t.title, t.name).toBeTruthy();
      for (const [name, p] of Object.entries(t.inputSchema.properties ?? {}) as [
        string,
        { description?: string },
      ][])
        expect(p.description, `${t.name}.${name} has no description`).toBeTruthy();
    }
  });

  it('lists output schemas for the tools that return data, and only their fields', () => {
    for (const def of ALL_TOOLS) {
      const t = list.tools.find((x) => x.name === def.name)!;
      expect(!!t.outputSchema, def.name).toBe(listsOutputSchema(def));
      if (t.outputSchema)
        expect(Object.keys(t.outputSchema.properties as object)).toEqual(Object.keys(def.outputSchema));
    }
    for (const n of [
      'read_notebook',
      'list_files',
      'execute_code',
      'execute_cell',
      'execute_notebook',
      'get_job',
    ])
      expect(list.tools.find((t) => t.name === n)?.outputSchema, n).toBeDefined();
  });

  it('annotations: readOnlyHint always, defaults left out, code execution is an open world', () => {
    for (const t of list.tools) {
      expect(typeof t.annotations.readOnlyHint, t.name).toBe('boolean');
      if (t.annotations.readOnlyHint) expect(t.annotations.destructiveHint, t.name).toBeUndefined();
      else expect(typeof t.annotations.destructiveHint, t.name).toBe('boolean');
    }
    const get = (n: string) => list.tools.find((t) => t.name === n)!;
    expect(get('execute_code').annotations.openWorldHint).toBeUndefined();
    expect(get('read_notebook').annotations.openWorldHint).toBe(false);
    expect(get('delete_cells').annotations.destructiveHint).toBe(true);
  });

  it('offers tasks only for the long tools, and only when tasks are on', () => {
    const withTasks = list.tools.filter((t) => t.execution).map((t) => t.name);
    expect(withTasks.sort()).toEqual(['execute_code', 'execute_notebook']);
    expect(toolList(ALL_TOOLS, { tasks: false }).tools.some((t) => t.execution)).toBe(false);
  });
});
