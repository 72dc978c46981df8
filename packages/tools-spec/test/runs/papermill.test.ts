import { parseNotebook, serializeNotebook } from '@jupyter-mcp/notebook-model';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/errors.js';
import {
  ERROR_MARKER_TAG,
  isoTime,
  markCellEnd,
  markCellStart,
  markNotebookEnd,
  markNotebookStart,
  prepareRun,
} from '../../src/runs/papermill.js';
import { code, markdown, notebookJson } from './helpers.js';

const opts = { inputPath: 'in.ipynb', outputPath: 'out.ipynb' };

describe('prepareRun', () => {
  it('injects parameters after the parameters cell and records them', () => {
    const input = parseNotebook(notebookJson([code('x = 1', 'p', ['parameters']), code('print(x)', 'c')]));
    const before = serializeNotebook(input);
    const r = prepareRun(input, { ...opts, parameters: { x: 2, s: 'a' } });
    expect(r.placement).toBe('after-parameters');
    expect(r.notebook.cells.map((c) => c.source)).toEqual([
      'x = 1',
      '# Parameters\nx = 2\ns = "a"\n',
      'print(x)',
    ]);
    expect(r.plan).toHaveLength(3);
    expect(r.notebook.metadata.papermill).toEqual({
      default_parameters: {},
      environment_variables: {},
      parameters: { x: 2, s: 'a' },
      input_path: 'in.ipynb',
      output_path: 'out.ipynb',
    });
    expect(serializeNotebook(input)).toBe(before);
  });

  it('injects nothing without parameters (as papermill) but records an empty object', () => {
    const r = prepareRun(parseNotebook(notebookJson([code('1', 'c')])), { ...opts, parameters: {} });
    expect(r.injected).toBeUndefined();
    expect(r.notebook.cells).toHaveLength(1);
    expect((r.notebook.metadata.papermill as { parameters: unknown }).parameters).toEqual({});
  });

  it('drops error markers of an earlier run; a range keeps the parameters cell in the plan', () => {
    const marker = { ...markdown('old marker', 'mk'), metadata: { tags: [ERROR_MARKER_TAG] } };
    const input = parseNotebook(
      notebookJson([marker, code('a = 1', 'c0'), code('b = 2', 'c1'), code('c = 3', 'c2')]),
    );
    const r = prepareRun(input, { ...opts, parameters: { z: 1 }, startIndex: 2, endIndex: 3 });
    expect(r.notebook.cells.some((c) => c.id === 'mk')).toBe(false);
    expect(r.plan.map((c) => c.id ?? 'injected')).toEqual([r.injected!.id, 'c1', 'c2']);
    expect(r.notebook.cells[0]).toBe(r.injected);
  });

  it('refuses a bad range and a bad parameter name with ToolError', () => {
    const input = parseNotebook(notebookJson([code('1', 'c')]));
    expect(() => prepareRun(input, { ...opts, parameters: {}, startIndex: 1 })).toThrow(ToolError);
    expect(() => prepareRun(input, { ...opts, parameters: {}, startIndex: 0, endIndex: 3 })).toThrow(
      /does not fit/,
    );
    expect(() => prepareRun(input, { ...opts, parameters: { '1x': 1 } })).toThrow(/1x/);
  });
});

describe('papermill metadata', () => {
  it('writes times as Python isoformat and durations as Python floats', () => {
    expect(isoTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678000+00:00');
    const nb = parseNotebook(notebookJson([code('1', 'c')]));
    const plan = [nb.cells[0]!];
    markNotebookStart(nb, plan, new Date('2026-01-02T03:04:05.000Z'));
    markCellStart(nb.cells[0]!, new Date('2026-01-02T03:04:05.000Z'));
    markCellEnd(nb.cells[0]!, new Date('2026-01-02T03:04:07.000Z'));
    markNotebookEnd(nb, plan, new Date('2026-01-02T03:04:08.000Z'));
    const text = serializeNotebook(nb);
    expect(text).toContain('"duration": 2.0,');
    expect(text).toContain('"duration": 3.0,');
    expect(text).toContain('"status": "completed"');
    expect(text).toContain('"end_time": "2026-01-02T03:04:08.000000+00:00"');
  });
});
