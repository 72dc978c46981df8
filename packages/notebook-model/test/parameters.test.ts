import { describe, expect, it } from 'vitest';
import {
  injectParameters,
  Notebook,
  NotebookError,
  renderParameters,
  serializeNotebook,
} from '../src/index.js';

const params = {
  s: 'a "q" \\ \n\té😀$x',
  i: 42,
  big: 12345678901234567890n,
  f: 0.5,
  tiny: 1e-5,
  inf: Number.POSITIVE_INFINITY,
  ninf: Number.NEGATIVE_INFINITY,
  nan: Number.NaN,
  t: true,
  n: null,
  l: [1, 'two', [false]],
  d: { k: 1, nested: { x: null } },
};

describe('renderParameters', () => {
  it('python: papermill literals (unicode_escape strings, float("inf"), True/None)', () => {
    expect(renderParameters(params, 'python')).toBe(
      '# Parameters\n' +
        's = "a \\"q\\" \\\\ \\n\\t\\xe9\\U0001f600$x"\n' +
        'i = 42\n' +
        'big = 12345678901234567890\n' +
        'f = 0.5\n' +
        'tiny = 1e-05\n' +
        "inf = float('inf')\n" +
        "ninf = float('-inf')\n" +
        "nan = float('nan')\n" +
        't = True\n' +
        'n = None\n' +
        'l = [1, "two", [False]]\n' +
        'd = {"k": 1, "nested": {"x": None}}\n',
    );
  });

  it('R: valid Inf/NaN, TRUE/NULL, list(), \\u{} escapes; leading underscores dropped like papermill', () => {
    expect(renderParameters({ ...params, _under: 1 }, 'R')).toBe(
      '# Parameters\n' +
        's = "a \\"q\\" \\\\ \\n\\t\\u{00e9}\\U{0001f600}$x"\n' +
        'i = 42\n' +
        'big = 12345678901234567890\n' +
        'f = 0.5\n' +
        'tiny = 1e-05\n' +
        'inf = Inf\n' +
        'ninf = -Inf\n' +
        'nan = NaN\n' +
        't = TRUE\n' +
        'n = NULL\n' +
        'l = list(1, "two", list(FALSE))\n' +
        'd = list("k" = 1, "nested" = list("x" = NULL))\n' +
        'under = 1\n',
    );
  });

  it('julia: valid Inf/NaN, nothing, Dict(=>), escaped $ (no interpolation)', () => {
    expect(renderParameters(params, 'julia')).toBe(
      '# Parameters\n' +
        's = "a \\"q\\" \\\\ \\n\\t\\u00e9\\U0001f600\\$x"\n' +
        'i = 42\n' +
        'big = 12345678901234567890\n' +
        'f = 0.5\n' +
        'tiny = 1e-05\n' +
        'inf = Inf\n' +
        'ninf = -Inf\n' +
        'nan = NaN\n' +
        't = true\n' +
        'n = nothing\n' +
        'l = [1, "two", [false]]\n' +
        'd = Dict("k" => 1, "nested" => Dict("x" => nothing))\n',
    );
  });

  it('rejects unknown languages and bad names with typed errors', () => {
    expect(() => renderParameters({ a: 1 }, 'cobol')).toThrow(NotebookError);
    expect(() => renderParameters({ 'a b': 1 }, 'python')).toThrow(/not a valid variable name/);
    expect(() => renderParameters({ a: undefined as never }, 'python')).toThrow(/Cannot render/);
  });
});

describe('injectParameters placement (papermill semantics)', () => {
  function make(tags: string[][], minor = 5): Notebook {
    const nb = Notebook.create({
      nbformatMinor: minor,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    });
    for (const t of tags) {
      const { index } = nb.insertCell({ cellType: 'code', source: `# ${t.join(',')}` });
      if (t.length) nb.setTags(index, t);
    }
    return nb;
  }

  it('inserts after the first `parameters` cell', () => {
    const nb = make([[], ['parameters'], [], ['parameters']]);
    const r = injectParameters(nb, { a: 1 });
    expect(r).toMatchObject({ index: 2, placement: 'after-parameters', language: 'python' });
    expect(nb.cells[2]!.metadata).toEqual({ tags: ['injected-parameters'] });
    expect(nb.cells[2]!.source).toBe('# Parameters\na = 1\n');
    expect(nb.metadata.papermill).toEqual({ parameters: { a: 1 } });
  });

  it('replaces an existing injected-parameters cell in place, keeping its id', () => {
    const nb = make([['parameters'], []]);
    const first = injectParameters(nb, { a: 1 });
    nb.setOutputs(first.index, [{ output_type: 'stream', name: 'stdout', text: 'x' }], 1);
    const id = nb.cells[first.index]!.id;
    const second = injectParameters(nb, { a: 2 }, { reportMode: true });
    expect(second).toMatchObject({ index: 1, placement: 'replaced' });
    expect(nb.cells.length).toBe(3);
    expect(nb.cells[1]).toMatchObject({
      id,
      source: '# Parameters\na = 2\n',
      outputs: [],
      execution_count: null,
    });
    expect(nb.cells[1]!.metadata).toEqual({
      tags: ['injected-parameters'],
      jupyter: { source_hidden: true },
    });
  });

  it('inserts at the top without a parameters cell; keeps other papermill metadata', () => {
    const nb = make([[], []], 4);
    nb.updateMetadata({ papermill: { version: '2.7.0' } });
    expect(injectParameters(nb, { a: 'x' }).index).toBe(0);
    expect(nb.cells[0]!.id).toBeUndefined();
    expect(nb.nbformat_minor).toBe(4);
    expect(nb.metadata.papermill).toEqual({ version: '2.7.0', parameters: { a: 'x' } });
    serializeNotebook(nb);
  });

  it('uses the language/kernel overrides and refuses unknown languages', () => {
    const nb = make([]);
    expect(injectParameters(nb, { a: null }, { language: 'R' }).cell.source).toBe('# Parameters\na = NULL\n');
    expect(injectParameters(nb, { a: null }, { kernelName: 'julia' }).cell.source).toBe(
      '# Parameters\na = nothing\n',
    );
    nb.updateMetadata({ kernelspec: { name: 'x', display_name: 'X', language: 'cobol' } });
    expect(() => injectParameters(nb, { a: 1 })).toThrow(/supported languages are python, R and julia/);
  });
});
