import { describe, expect, it } from 'vitest';
import {
  type Cell,
  type CellRef,
  Notebook,
  NotebookError,
  parseNotebook,
  serializeNotebook,
} from '../src/index.js';

function nb45(): Notebook {
  const nb = Notebook.create({
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  });
  nb.insertCell({ cellType: 'markdown', source: '# T', id: 'md' });
  nb.insertCell({ cellType: 'code', source: 'a = 1\nb = 2\nprint(a)\n', id: 'c1' });
  nb.insertCell({ cellType: 'code', source: 'a', id: 'c2' });
  nb.insertCell({ cellType: 'raw', source: 'raw', id: 'r' });
  return nb;
}

function nb44(): Notebook {
  return parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 4,
      metadata: {},
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# T'] },
        { cell_type: 'code', metadata: {}, source: ['x'], outputs: [], execution_count: null },
      ],
    }),
  );
}

function errorOf(fn: () => unknown): NotebookError {
  try {
    fn();
  } catch (e) {
    if (e instanceof NotebookError) return e;
    throw e;
  }
  throw new Error('expected a NotebookError');
}

const ids = (nb: Notebook) => nb.cells.map((c) => c.id);

describe('parseNotebook errors', () => {
  it('INVALID_JSON for truncated or empty text', () => {
    const text = serializeNotebook(nb45());
    expect(errorOf(() => parseNotebook(text.slice(0, text.length / 2))).code).toBe('INVALID_JSON');
    expect(errorOf(() => parseNotebook('')).code).toBe('INVALID_JSON');
  });

  it('UNSUPPORTED_NBFORMAT for nbformat 3 with a way out', () => {
    const e = errorOf(() =>
      parseNotebook('{"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {}}'),
    );
    expect(e.code).toBe('UNSUPPORTED_NBFORMAT');
    expect(e.message).toContain('nbformat 3');
    expect(e.message).toContain('nbconvert');
  });

  it.each([
    ['{"nbformat_minor": 5, "metadata": {}, "cells": []}', 'nbformat', undefined],
    ['{"nbformat": 4, "metadata": {}, "cells": []}', 'nbformat_minor', undefined],
    ['{"nbformat": 4, "nbformat_minor": 5, "cells": []}', 'metadata', undefined],
    ['{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', 'cells', undefined],
    [
      '{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "source": "", "outputs": []}]}',
      'cells[0].execution_count',
      0,
    ],
    [
      '{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "markdown", "metadata": {}}]}',
      'cells[0].source',
      0,
    ],
    [
      '{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "markdown", "metadata": {}, "source": ""}, {"cell_type": "markdown", "metadata": {}, "source": 5}]}',
      'cells[1].source',
      1,
    ],
    [
      '{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, "source": "", "execution_count": null, "outputs": [{"output_type": "stream", "name": "stdout"}]}]}',
      'cells[0].outputs[0].text',
      0,
    ],
    [
      '{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "heading", "metadata": {}, "source": ""}]}',
      'cells[0].cell_type',
      0,
    ],
    [
      '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"id": "bad id!", "cell_type": "raw", "metadata": {}, "source": ""}]}',
      'cells[0].id',
      0,
    ],
    [
      '{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "raw", "metadata": {"tags": ["a,b"]}, "source": ""}]}',
      'cells[0].metadata.tags',
      0,
    ],
    [
      '{"nbformat": 4, "nbformat_minor": 4, "metadata": {"kernelspec": {"name": "x"}}, "cells": []}',
      'metadata.kernelspec',
      undefined,
    ],
    ['[]', undefined, undefined],
  ])('INVALID_NOTEBOOK for %s names key %s', (text, key, cellIndex) => {
    const e = errorOf(() => parseNotebook(text));
    expect(e.code).toBe('INVALID_NOTEBOOK');
    expect(e.key).toBe(key);
    expect(e.cellIndex).toBe(cellIndex);
    if (key) expect(e.message).toContain(key);
  });

  it('gives 4.5 cells without ids fresh ids and repairs duplicates (as nbformat does)', () => {
    const nb = parseNotebook(
      '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "raw", "metadata": {}, "source": ""}, {"id": "a", "cell_type": "raw", "metadata": {}, "source": ""}, {"id": "a", "cell_type": "raw", "metadata": {}, "source": ""}]}',
    );
    expect(nb.cells[0]!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(nb.cells[1]!.id).toBe('a');
    expect(nb.cells[2]!.id).not.toBe('a');
    expect(new Set(ids(nb)).size).toBe(3);
  });
});

describe('cell operations', () => {
  it('insert: before an index, append, before/after a cell id; ids follow nbformat rules', () => {
    const nb = nb45();
    const a = nb.insertCell({ cellType: 'code', source: 'first', index: 0 });
    expect(a.index).toBe(0);
    expect(a.cell.id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(nb.insertCell({ cellType: 'markdown', source: 'end' }).index).toBe(5);
    expect(nb.insertCell({ cellType: 'raw', source: 'b', beforeCellId: 'c1' }).index).toBe(2);
    expect(nb.insertCell({ cellType: 'raw', source: 'c', afterCellId: 'c1' }).index).toBe(4);
    expect(new Set(ids(nb)).size).toBe(nb.cells.length);
    expect(errorOf(() => nb.insertCell({ cellType: 'code', index: 99 })).code).toBe('CELL_NOT_FOUND');
    expect(errorOf(() => nb.insertCell({ cellType: 'code', afterCellId: 'nope' })).code).toBe(
      'CELL_NOT_FOUND',
    );
    expect(errorOf(() => nb.insertCell({ cellType: 'code', id: 'c1' })).code).toBe('INVALID_ARGUMENT');
    expect(errorOf(() => nb.insertCell({ cellType: 'code', id: 'x'.repeat(65) })).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorOf(() => nb.insertCell({ cellType: 'code', index: 0, afterCellId: 'c1' })).code).toBe(
      'INVALID_ARGUMENT',
    );
    const code = nb.cells.find((c) => c.source === 'first')!;
    expect(code).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null, metadata: {} });
  });

  for (const mode of ['index', 'id'] as const) {
    const r = (nb: Notebook, i: number): CellRef => (mode === 'id' ? nb.cells[i]!.id! : i);

    it(`replaceSource / editSource by ${mode} return unified diffs`, () => {
      const nb = nb45();
      const rep = nb.replaceSource(r(nb, 2), 'b');
      expect(rep.diff).toBe(
        '--- a/cell 2 (id c2)\n+++ b/cell 2 (id c2)\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n',
      );
      const ed = nb.editSource(r(nb, 1), 'b = 2\n', 'b = 3\nc = 4\n');
      expect(ed.replacements).toBe(1);
      expect(nb.cells[1]!.source).toBe('a = 1\nb = 3\nc = 4\nprint(a)\n');
      expect(ed.diff).toContain('@@ -1,3 +1,4 @@\n a = 1\n-b = 2\n+b = 3\n+c = 4\n print(a)\n');
      expect(errorOf(() => nb.editSource(r(nb, 1), 'zzz', 'y')).code).toBe('NO_MATCH');
      const amb = errorOf(() => nb.editSource(r(nb, 1), 'a', 'y'));
      expect(amb.code).toBe('AMBIGUOUS_MATCH');
      expect(amb.message).toContain('occurs 2 times');
      expect(nb.editSource(r(nb, 1), 'a', 'y', { replaceAll: true }).replacements).toBe(2);
      expect(errorOf(() => nb.editSource(r(nb, 1), '', 'y')).code).toBe('INVALID_ARGUMENT');
    });

    it(`delete / move / change type / clear / set outputs / tags / metadata by ${mode}`, () => {
      const nb = nb45();
      expect(nb.moveCell(r(nb, 0), 3).to).toBe(3);
      expect(ids(nb)).toEqual(['c1', 'c2', 'r', 'md']);
      nb.setOutputs(
        r(nb, 0),
        [{ output_type: 'stream', name: 'stdout', text: ['x\n', 'y'] as unknown as string }],
        4,
      );
      expect(nb.cells[0]).toMatchObject({ execution_count: 4, outputs: [{ text: 'x\ny' }] });
      const fromKernel = {
        output_type: 'display_data',
        data: { 'text/plain': ['a\n', 'b'] },
        transient: { display_id: 'd' },
      };
      nb.setOutputs(r(nb, 0), [fromKernel as never, { output_type: 'execute_result', data: {} } as never], 5);
      expect(nb.cells[0]).toMatchObject({
        outputs: [
          { output_type: 'display_data', data: { 'text/plain': 'a\nb' }, metadata: {} },
          { output_type: 'execute_result', data: {}, metadata: {}, execution_count: 5 },
        ],
      });
      expect(nb.cells[0]).not.toHaveProperty('outputs.0.transient');
      expect(fromKernel.data['text/plain']).toEqual(['a\n', 'b']); // the caller's object is not modified
      expect(errorOf(() => nb.setOutputs(r(nb, 3), [], 1)).code).toBe('INVALID_ARGUMENT');
      expect(errorOf(() => nb.setOutputs(r(nb, 0), [{ output_type: 'bogus' } as never], 1)).code).toBe(
        'INVALID_NOTEBOOK',
      );
      expect(nb.clearOutputs([r(nb, 0), r(nb, 1)])).toBe(1);
      expect(nb.cells[0]).toMatchObject({ execution_count: null, outputs: [] });
      const changed = nb.changeCellType(r(nb, 0), 'markdown') as Cell;
      expect(changed).not.toHaveProperty('outputs');
      expect(changed.id).toBe('c1');
      nb.changeCellType(r(nb, 0), 'code');
      expect(nb.cells[0]).toMatchObject({ cell_type: 'code', outputs: [], execution_count: null, id: 'c1' });
      nb.setTags(r(nb, 1), ['parameters', 'parameters', 'x']);
      expect(nb.getTags(r(nb, 1))).toEqual(['parameters', 'x']);
      expect(nb.findCellsByTag('parameters')).toEqual([1]);
      expect(errorOf(() => nb.setTags(r(nb, 1), ['a,b'])).code).toBe('INVALID_ARGUMENT');
      nb.updateCellMetadata(r(nb, 1), { collapsed: true, foo: { a: 1 } });
      nb.updateCellMetadata(r(nb, 1), { foo: null });
      expect(nb.cells[1]!.metadata).toEqual({ tags: ['parameters', 'x'], collapsed: true });
      const removed = nb.deleteCells([r(nb, 3), r(nb, 1)]);
      expect(removed.map((c) => c.id)).toEqual(['c2', 'md']);
      expect(ids(nb)).toEqual(['c1', 'r']);
      expect(errorOf(() => nb.deleteCells([r(nb, 0), 7])).code).toBe('CELL_NOT_FOUND');
      expect(ids(nb)).toEqual(['c1', 'r']); // nothing removed when one ref is bad
      serializeNotebook(nb);
    });
  }

  it('below 4.5: cells are addressed by index only; no ids appear; upgrade is explicit', () => {
    const nb = nb44();
    expect(nb.hasCellIds).toBe(false);
    const e = errorOf(() => nb.resolveCell('abc'));
    expect(e.code).toBe('CELL_IDS_UNSUPPORTED');
    expect(e.message).toContain('4.4');
    const { cell } = nb.insertCell({ cellType: 'code', source: 'y', index: 1 });
    expect(cell.id).toBeUndefined();
    nb.replaceSource(0, '# U');
    expect(serializeNotebook(nb)).not.toContain('"id"');
    expect(nb.nbformat_minor).toBe(4);
    expect(nb.upgradeToV4_5()).toBe(true);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.cells.every((c) => typeof c.id === 'string')).toBe(true);
    expect(nb.upgradeToV4_5()).toBe(false);
  });

  it('keeps ids some editors write into 4.4 notebooks (as nbformat does) and finds cells by them', () => {
    const text =
      '{\n "cells": [\n  {\n   "cell_type": "raw",\n   "id": "abc",\n   "metadata": {},\n   "source": [\n    "a"\n   ]\n  }\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 4\n}\n';
    const nb = parseNotebook(text);
    expect(nb.resolveCell('abc').index).toBe(0);
    expect(serializeNotebook(nb)).toBe(text);
  });

  it('CELL_NOT_FOUND names the valid range', () => {
    const e = errorOf(() => nb45().resolveCell(9));
    expect(e.code).toBe('CELL_NOT_FOUND');
    expect(e.message).toContain('0–3');
  });

  it('language and kernelspec helpers', () => {
    const nb = nb45();
    expect(nb.kernelName).toBe('python3');
    expect(nb.language).toBe('python');
    nb.updateMetadata({ language_info: { name: 'R' } });
    expect(nb.language).toBe('R');
  });

  it('serializeNotebook refuses an invalid model (nothing is written)', () => {
    const nb = nb45();
    (nb.cells[1] as { outputs: unknown }).outputs = 'nope';
    expect(errorOf(() => serializeNotebook(nb)).code).toBe('INVALID_NOTEBOOK');
  });

  it('clone keeps Python number texts', () => {
    const nb = parseNotebook('{"nbformat": 4, "nbformat_minor": 4, "metadata": {"x": 1.0}, "cells": []}');
    expect(serializeNotebook(nb.clone())).toContain('"x": 1.0');
  });
});
