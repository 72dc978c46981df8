import { describe, expect, it } from 'vitest';
import {
  cleanStreamText,
  htmlToText,
  isBareRepr,
  renderOutputs,
  stripAnsi,
  trimTraceback,
} from '../src/index.js';
import { boundText } from '../src/render/text.js';

const opts = { imageLimitBytes: 1000 };
const png = (bytes: number) => Buffer.alloc(bytes, 1).toString('base64');
const one = (data: Record<string, unknown>) =>
  renderOutputs([{ output_type: 'display_data', data, metadata: {} }], opts).text;

describe('text helpers', () => {
  it('strips ANSI colours, cursor moves and OSC hyperlinks', () => {
    expect(stripAnsi('\x1b[31mred\x1b[0m \x1b[1;32mbold\x1b[K \x1b]8;;http://x\x07link\x1b]8;;\x07')).toBe(
      'red bold link',
    );
  });

  it('collapses carriage-return progress bars to their final state', () => {
    expect(cleanStreamText('10%\r50%\r100%\ndone')).toBe('100%\ndone');
    expect(cleanStreamText('a\r\nb')).toBe('a\nb');
    expect(cleanStreamText('long line\rshort')).toBe('shortline');
    expect(cleanStreamText('10%\r20%\r')).toBe('20%');
    expect(cleanStreamText('\x1b[32m 1/3\r 2/3\r 3/3\x1b[0m\n')).toBe(' 3/3\n');
  });

  it('reduces HTML to readable text', () => {
    const t = htmlToText(
      '<style>td{}</style><table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>&lt;2&gt;</td></tr></table><p>x&amp;y</p><script>evil()</script>',
    );
    expect(t).toBe('| a | b |\n| --- | --- |\n| 1 | <2> |\n\nx&y');
  });

  it('bounds text with head, tail and one notice whose count adds up', () => {
    const text = `${'a'.repeat(50_000)}END`;
    const b = boundText(text, 1000);
    expect(b.text.length).toBeLessThanOrEqual(1000);
    expect(b.text.startsWith('aaa')).toBe(true);
    expect(b.text.endsWith('END')).toBe(true);
    const notice = b.text.match(/\[… ([\d,]+) characters omitted; [^\]]+ …\]/)!;
    expect(Number(notice[1]!.replace(/,/g, ''))).toBe(b.omitted);
    expect(b.omitted).toBe(text.length - (b.text.length - notice[0].length));
    expect(boundText('short', 1000)).toEqual({ text: 'short', omitted: 0 });
  });

  it('never splits a surrogate pair', () => {
    const b = boundText('😀'.repeat(5000), 500);
    expect(b.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(b.text).not.toMatch(/(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('trims long tracebacks keeping the start and the end', () => {
    const tb = Array.from({ length: 200 }, (_, i) => `\x1b[0;31mline ${i}\x1b[0m`);
    const t = trimTraceback(tb, 20);
    expect(t.split('\n').length).toBeLessThanOrEqual(21);
    expect(t).toContain('line 0');
    expect(t).toContain('line 199');
    expect(t).toMatch(/^\[… 181 lines \([\d,]+ characters\) omitted …\]$/m);
    expect(t).not.toContain('\x1b');
  });
});

describe('renderOutputs', () => {
  it('merges consecutive streams of one name and labels stderr', () => {
    const r = renderOutputs(
      [
        { output_type: 'stream', name: 'stdout', text: 'a\n' },
        { output_type: 'stream', name: 'stdout', text: 'b\n' },
        { output_type: 'stream', name: 'stderr', text: 'warn\n' },
      ],
      opts,
    );
    expect(r.text).toBe('a\nb\n[stderr]\nwarn');
  });

  it('collapses a progress bar split across stream messages', () => {
    const r = renderOutputs(
      [
        { output_type: 'stream', name: 'stdout', text: '\r 10%' },
        { output_type: 'stream', name: 'stdout', text: '\r 90%' },
        { output_type: 'stream', name: 'stdout', text: '\r100%\n' },
      ],
      opts,
    );
    expect(r.text).toBe('100%');
  });

  it('prefers text/plain, then markdown, HTML as text, pretty JSON, LaTeX (text/llm+plain above all)', () => {
    const bundle = {
      'text/latex': '$x$',
      'application/json': { a: 1 },
      'text/plain': 'plain',
      'text/markdown': '**md**',
      'text/llm+plain': 'for llm',
    };
    expect(one(bundle)).toBe('for llm');
    const { 'text/llm+plain': _a, ...b1 } = bundle;
    expect(one(b1)).toBe('plain');
    const { 'text/plain': _b, ...b2 } = b1;
    expect(one(b2)).toBe('**md**');
    const { 'text/markdown': _c, ...b3 } = b2;
    expect(one(b3)).toBe('{\n  "a": 1\n}');
    expect(one({ 'text/latex': '$x$' })).toBe('$x$');
  });

  it('skips a bare object repr for the richer MIME type (display(HTML(…)), Markdown, JSON)', () => {
    expect(isBareRepr('<IPython.core.display.HTML object>')).toBe(true);
    expect(isBareRepr('<__main__.Point object at 0x7f3a2c1d9e50>')).toBe(true);
    expect(isBareRepr('Point(x=1, y=2)')).toBe(false);
    expect(
      one({
        'text/html': '<h2>Report</h2><p>All <b>good</b>.</p>',
        'text/plain': '<IPython.core.display.HTML object>',
      }),
    ).toBe('[HTML output shown as text]\n## Report\n\nAll good.');
    expect(one({ 'text/markdown': '# Title', 'text/plain': '<IPython.core.display.Markdown object>' })).toBe(
      '# Title',
    );
    expect(one({ 'application/json': { k: [1] }, 'text/plain': '<IPython.core.display.JSON object>' })).toBe(
      '{\n  "k": [\n    1\n  ]\n}',
    );
    expect(one({ 'text/latex': '$$x^2$$', 'text/plain': '<IPython.core.display.Latex object>' })).toBe(
      '$$x^2$$',
    );
  });

  it('renders a pandas DataFrame from its HTML table as a markdown table', () => {
    const html =
      '<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type { vertical-align: middle; }\n</style>\n' +
      '<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">\n      <th></th>\n      <th>city</th>\n      <th>sales</th>\n    </tr>\n' +
      '    <tr>\n      <th>region</th>\n      <th></th>\n      <th></th>\n    </tr>\n  </thead>\n  <tbody>\n' +
      '    <tr>\n      <th rowspan="2">EU</th>\n      <td>Paris</td>\n      <td>1.5</td>\n    </tr>\n' +
      '    <tr>\n      <td>Berlin | Mitte</td>\n      <td>2.0</td>\n    </tr>\n  </tbody>\n</table>\n<p>2 rows × 2 columns</p>\n</div>';
    const plain = '              city  sales\nregion\nEU          Paris    1.5\n    Berlin | Mitte    2.0';
    expect(one({ 'text/html': html, 'text/plain': plain })).toBe(
      [
        '| region | city | sales |',
        '| --- | --- | --- |',
        '| EU | Paris | 1.5 |',
        '| EU | Berlin \\| Mitte | 2.0 |',
        '',
        '2 rows × 2 columns',
      ].join('\n'),
    );
  });

  it('describes widgets and plotly figures in one line', () => {
    expect(
      one({
        'application/vnd.jupyter.widget-view+json': { model_id: 'abc', version_major: 2, version_minor: 0 },
        'text/plain': 'IntSlider(value=5)',
      }),
    ).toBe('[interactive widget IntSlider(value=5): shown in JupyterLab; its state is not text]');
    expect(
      one({
        'application/vnd.plotly.v1+json': {
          data: [{ type: 'scatter' }, { type: 'bar' }, { type: 'bar' }],
          layout: { title: { text: 'Sales' } },
        },
        'text/html': '<div>…a megabyte of JavaScript…</div>',
      }),
    ).toBe('[plotly figure "Sales": 3 traces (scatter, bar); interactive, shown in JupyterLab]');
  });

  it('shows HTML-only output as text with a note', () => {
    const r = renderOutputs(
      [{ output_type: 'display_data', data: { 'text/html': '<b>bold</b> text' }, metadata: {} }],
      opts,
    );
    expect(r.text).toBe('[HTML output shown as text]\nbold text');
    expect(r.notes).toEqual(['[HTML output shown as text]']);
  });

  it('returns images under the cap as image content and describes bigger ones', () => {
    const r = renderOutputs(
      [
        {
          output_type: 'display_data',
          data: { 'image/png': png(100), 'text/plain': '<Figure size 640x480 with 1 Axes>' },
          metadata: {},
        },
        { output_type: 'display_data', data: { 'image/jpeg': png(5000) }, metadata: {} },
        { output_type: 'display_data', data: { 'image/webp': `${png(60)}\n` }, metadata: {} },
      ],
      { imageLimitBytes: 1000, location: 'cell 3 of a.ipynb' },
    );
    expect(r.images).toEqual([
      { type: 'image', data: png(100), mimeType: 'image/png' },
      { type: 'image', data: png(60), mimeType: 'image/webp' },
    ]);
    expect(r.text).not.toContain('<Figure');
    expect(r.notes[0]).toMatch(
      /image\/jpeg image of 4\.9 KB not returned: over the 1000 B image limit \(it is kept in cell 3 of a\.ipynb\)/,
    );
  });

  it('shares an image budget across one result', () => {
    const out = { output_type: 'display_data', data: { 'image/png': png(600) }, metadata: {} };
    const r = renderOutputs([out, out], { imageLimitBytes: 1000 });
    expect(r.images).toHaveLength(1);
    expect(r.notes[0]).toMatch(/budget/);
  });

  it('renders errors as ename: evalue plus a trimmed traceback without ANSI', () => {
    const r = renderOutputs(
      [
        {
          output_type: 'error',
          ename: 'ValueError',
          evalue: 'bad',
          traceback: ['\x1b[0;31m----------\x1b[0m', 'File x', '\x1b[31mValueError\x1b[0m: bad'],
        },
      ],
      opts,
    );
    expect(r.error).toEqual({ ename: 'ValueError', evalue: 'bad' });
    expect(r.text.startsWith('ValueError: bad\nTraceback:\n')).toBe(true);
    expect(r.text).not.toContain('\x1b');
  });

  it('labels execute results with their count and describes unknown MIME types', () => {
    const r = renderOutputs(
      [
        { output_type: 'execute_result', execution_count: 4, data: { 'text/plain': '42' }, metadata: {} },
        { output_type: 'display_data', data: { 'application/vnd.vegalite.v5+json': {} }, metadata: {} },
      ],
      opts,
    );
    expect(r.text).toMatch(
      /^Out\[4\]: 42\n\[output of type application\/vnd\.vegalite\.v5\+json cannot be shown as text/,
    );
  });
});

describe('renderOutputs in listing mode', () => {
  it('describes images instead of returning them when the image limit is 0', () => {
    const r = renderOutputs(
      [{ output_type: 'display_data', data: { 'image/png': png(2048) }, metadata: {} }],
      {
        imageLimitBytes: 0,
        location: 'read_cell with index 2 returns it',
      },
    );
    expect(r.images).toEqual([]);
    expect(r.text).toBe('[image/png image, 2.0 KB: read_cell with index 2 returns it]');
  });
});
