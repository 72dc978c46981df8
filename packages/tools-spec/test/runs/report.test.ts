import { parseNotebook } from '@jupyter-mcp/notebook-model';
import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/runs/papermill.js';
import { renderRunReport, runStructured } from '../../src/runs/report.js';
import { type RunKernel, runNotebook } from '../../src/runs/runner.js';
import { code, notebookJson } from './helpers.js';

const kernel: RunKernel = {
  id: 'k',
  name: 'python3',
  async execute(src) {
    if (src.startsWith('raise'))
      return {
        status: 'error',
        executionCount: 2,
        durationMs: 1,
        warnings: [],
        outputs: [
          {
            output_type: 'error',
            ename: 'KeyError',
            evalue: "'region'",
            traceback: ["\u001b[31mKeyError\u001b[39m: 'region'"],
          },
        ],
        error: { ename: 'KeyError', evalue: "'region'" },
      };
    return {
      status: 'ok',
      executionCount: 1,
      durationMs: 1,
      warnings: [],
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'x'.repeat(5000) }],
    };
  },
};

async function run() {
  const prepared = prepareRun(
    parseNotebook(notebookJson([code('print', 'a'), code('raise', 'b'), code('print', 'c')])),
    {
      parameters: {},
      inputPath: 'in.ipynb',
      outputPath: 'out.ipynb',
    },
  );
  return runNotebook({ prepared, kernel, save: async () => {} });
}

const settings = { outputLimit: 2000, imageLimitBytes: 1000 };

describe('renderRunReport', () => {
  it('names the failed cell, ename, evalue and output path at every level, bounded', async () => {
    const r = await run();
    for (const level of ['minimal', 'summary', 'full'] as const) {
      const rep = renderRunReport(r, 'in.ipynb', 'out.ipynb', level, settings);
      expect(rep.text).toMatch(/in\.ipynb → out\.ipynb: failed, 2\/3 code cells run/);
      expect(rep.text).toContain("Stopped at cell 3 (id b): KeyError: 'region'");
      expect(rep.text).toContain('Saved to out.ipynb.');
      expect(rep.text.length).toBeLessThan(settings.outputLimit + 500);
      expect(rep.text).not.toContain('\u001b[');
    }
    const summary = renderRunReport(r, 'in.ipynb', 'out.ipynb', 'summary', settings).text;
    expect(summary).toContain('Cells:');
    expect(summary).toMatch(/\[1\] id=a exec=1 completed/);
    expect(summary).toMatch(/\[4\] id=c pending/);
    // the long output of cell 1 is cut so the failed cell's error is still there
    expect(summary).toMatch(/--- cell 3 \(failed\) ---\nKeyError: 'region'/);
    const s = runStructured(r, 'minimal');
    expect(s).toMatchObject({ status: 'failed', cells_total: 3, cells_run: 2, saved: true });
    expect(s.cells).toBeUndefined();
    expect(runStructured(r, 'summary').cells).toHaveLength(3);
  });
});
