import { describe, expect, it } from 'vitest';
import { ALL_TOOLS, selectTools, unknownToolNames } from '../src/index.js';

const base = { executionTimeoutS: 120, outputLimit: 20_000, imageLimitBytes: 1000 };

describe('selectTools', () => {
  it('offers every tool by default, one definition per name', () => {
    const names = selectTools(base).map((t) => t.name);
    expect(names.length).toBe(ALL_TOOLS.length);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z_]+$/);
  });

  it('applies allowlist, denylist and read-only', () => {
    expect(selectTools({ ...base, tools: ['read_cell', 'execute_code'] }).map((t) => t.name)).toEqual([
      'read_cell',
      'execute_code',
    ]);
    expect(selectTools({ ...base, disabledTools: ['execute_code'] }).map((t) => t.name)).not.toContain(
      'execute_code',
    );
    const ro = selectTools({ ...base, readOnly: true });
    expect(ro.length).toBeGreaterThan(5);
    expect(ro.every((t) => t.annotations.readOnlyHint)).toBe(true);
  });

  it('reports unknown names', () => {
    expect(unknownToolNames({ ...base, tools: ['read_cell', 'nope'], disabledTools: ['zap'] })).toEqual([
      'nope',
      'zap',
    ]);
  });

  it('gives every tool a description, schemas and complete annotations', () => {
    for (const t of ALL_TOOLS) {
      expect(t.description.length, t.name).toBeGreaterThan(40);
      expect(typeof t.annotations.readOnlyHint).toBe('boolean');
      if (!t.annotations.readOnlyHint) expect(typeof t.annotations.destructiveHint, t.name).toBe('boolean');
      expect(t.outputSchema).toBeTypeOf('object');
    }
  });
});
