import { beforeAll, describe, expect, it } from 'vitest';
import { injectParameters, parseNotebook, renderParameters, serializeNotebook } from '../../src/index.js';
import { expectValid, py } from './python.js';

interface PapermillResult {
  index: number;
  source: string;
  metadata: Record<string, unknown>;
  papermill: Record<string, unknown>;
  ncells: number;
  again?: PapermillResult;
}

const jsonParams = {
  text: 'it\'s "quoted" \\ back\nslash\ttab é ü 中 😀 \u2028 \x01',
  empty: '',
  count: 3,
  negative: -7,
  big: 123456789012345,
  ratio: 0.25,
  tiny: 1e-7,
  huge: 1.5e300,
  flag: false,
  on: true,
  nothing: null,
  items: [1, 'a', null, [true, 2.5]],
  mapping: { 'k"ey': { nested: [1, { deep: 'x' }] }, other: -0.5 },
};
const floatParams = { inf: 'inf', ninf: '-inf', nan: 'nan' };
const nonFinite = { inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY, nan: Number.NaN };
const ascii = { s: 'a "b" \\ c\nd', n: 1, f: 0.5, t: true, z: null, l: [1, 'x'], d: { k: [2] } };
const OTHER = [
  ['R', 'ir'],
  ['julia', 'julia-1.10'],
] as const;

let rich: string;
let untagged: string;
let others: string[];
let results: PapermillResult[];

beforeAll(async () => {
  rich = (await py<string[]>({ action: 'generate', random: 0 }))[0]!;
  const nb = parseNotebook(rich);
  nb.setTags(1, []);
  untagged = serializeNotebook(nb);
  others = OTHER.map(([language, kernel]) => {
    const o = parseNotebook(rich);
    o.updateMetadata({
      kernelspec: { name: kernel, display_name: kernel, language },
      language_info: { name: language },
    });
    return serializeNotebook(o);
  });
  results = await py<PapermillResult[]>({
    action: 'papermill',
    requests: [
      { text: rich, params: jsonParams, float_params: floatParams, again: { count: 4 } },
      { text: untagged, params: { a: 1 } },
      ...OTHER.flatMap(([language], i) => [
        { text: others[i], params: ascii, language },
        { text: others[i], params: {}, float_params: floatParams, language },
      ]),
    ],
  });
}, 120_000);

describe('parameters vs papermill 2.7', () => {
  it('python: same cell source, placement and metadata as papermill; running both gives the same values', async () => {
    const theirs = results[0]!;
    const nb = parseNotebook(rich);
    const ours = injectParameters(nb, { ...jsonParams, ...nonFinite });
    expect(ours.index).toBe(theirs.index);
    expect(nb.cells.length).toBe(theirs.ncells);
    expect(ours.cell.source).toBe(theirs.source);
    expect(ours.cell.metadata).toEqual(theirs.metadata);
    expect((nb.metadata.papermill as { parameters: unknown }).parameters).toEqual(
      (theirs.papermill as { parameters: unknown }).parameters,
    );
    const [a, b] = await py<Record<string, string>[]>({
      action: 'exec',
      sources: [ours.cell.source, theirs.source],
    });
    expect(a).toEqual(b);
    expect(a!.nan).toBe('nan');
    expect(a!.text).toContain('😀');

    // Injecting again replaces in place, like papermill.
    const again = theirs.again!;
    const second = injectParameters(nb, { count: 4 });
    expect(second.index).toBe(again.index);
    expect(second.placement).toBe('replaced');
    expect(nb.cells.length).toBe(again.ncells);
    expect(second.cell.source).toBe(again.source);
    await expectValid([serializeNotebook(nb)]);
  });

  it('python: no parameters cell → injected at the top, as papermill does', () => {
    const theirs = results[1]!;
    const ours = injectParameters(parseNotebook(untagged), { a: 1 });
    expect([ours.index, ours.placement]).toEqual([theirs.index, 'top']);
    expect(ours.cell.source).toBe(theirs.source);
  });

  it('R and Julia: same text as papermill where papermill is valid (ASCII, finite); valid Inf/NaN where it is not', () => {
    OTHER.forEach(([language], i) => {
      const nb = parseNotebook(others[i]!);
      expect(injectParameters(nb, ascii).cell.source).toBe(results[2 + 2 * i]!.source);
      // papermill writes `inf`/`nan` here, which R and Julia reject; ours are literals of the language.
      expect(results[3 + 2 * i]!.source).toContain('inf = inf');
      expect(renderParameters(nonFinite, language)).toBe('# Parameters\ninf = Inf\nninf = -Inf\nnan = NaN\n');
    });
  });
});
