/**
 * Bench: wall time of a 50-cell notebook of small cells, run by `execute_notebook` (through a real MCP
 * client and server linked in memory) and by the `papermill` CLI, against the same Jupyter Server
 * in the same run. papermill pays Python start-up and its own kernel start; execute_notebook starts a
 * fresh kernel through the server (and, as a second figure, runs in an already running kernel).
 *
 *   node --conditions=@jupyter-mcp/source --import tsx bench/runs.ts [rounds]
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJupyter, venvBin } from '@jupyter-mcp/test-support';
import { connectTools } from '../test/runs/helpers.js';

const log = (s = '') => process.stdout.write(`${s}\n`);
const ROUNDS = Number(process.argv[2] ?? 3);
const CELLS = 50;

function notebook(): string {
  const cells = [
    {
      cell_type: 'code',
      execution_count: null,
      id: 'params',
      metadata: { tags: ['parameters'] },
      outputs: [],
      source: 'scale = 1',
    },
    ...Array.from({ length: CELLS - 1 }, (_, i) => ({
      cell_type: 'code',
      execution_count: null,
      id: `c${i}`,
      metadata: {},
      outputs: [],
      source: `x${i} = ${i} * scale\nprint("cell", ${i}, x${i})`,
    })),
  ];
  return JSON.stringify({
    cells,
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function papermill(cwd: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      join(venvBin, 'papermill'),
      ['bench.ipynb', out, '-p', 'scale', '2', '--no-progress-bar', '-k', 'python3'],
      { cwd, timeout: 300_000 },
      (err, _o, stderr) => (err ? reject(new Error(`papermill failed: ${stderr}`)) : resolve()),
    );
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(9);

async function main(): Promise<void> {
  const jupyter = await startJupyter();
  // The same in-process MCP server + client the tests use (real SDK, linked in memory).
  const tools = await connectTools(jupyter);
  const conn = await tools.deps.jupyter.connection();
  const call = async (args: Record<string, unknown>) => {
    const r = (await tools.call('execute_notebook', args)) as {
      isError?: boolean;
      content: { text?: string }[];
    };
    if (r.isError) throw new Error(`execute_notebook failed: ${r.content[0]?.text}`);
  };
  try {
    writeFileSync(join(jupyter.rootDir, 'bench.ipynb'), notebook());
    // A running kernel for the warm figure.
    const k = (await conn.json('POST', 'api/kernels', { body: { name: 'python3' } })) as { id: string };
    // Warm-up (imports, first kernel start on this machine).
    await call({
      path: 'bench.ipynb',
      output_path: 'warm.ipynb',
      parameters: { scale: 2 },
      report: 'minimal',
    });
    await papermill(jupyter.rootDir, 'warm-pm.ipynb');

    const pm: number[] = [];
    const ours: number[] = [];
    const oursWarm: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      pm.push(await time(() => papermill(jupyter.rootDir, `pm-${i}.ipynb`)));
      ours.push(
        await time(() =>
          call({
            path: 'bench.ipynb',
            output_path: `ours-${i}.ipynb`,
            parameters: { scale: 2 },
            report: 'minimal',
          }),
        ),
      );
      oursWarm.push(
        await time(() =>
          call({
            path: 'bench.ipynb',
            output_path: `ours-warm-${i}.ipynb`,
            parameters: { scale: 2 },
            kernel_id: k.id,
            report: 'minimal',
          }),
        ),
      );
    }
    log(`\nnotebook runs: ${CELLS} small code cells, ${ROUNDS} rounds (median / min), same Jupyter Server`);
    log(`${'runner'.padEnd(48)}${'median'.padStart(9)}${'min'.padStart(9)}`);
    const row = (name: string, xs: number[]) =>
      log(`${name.padEnd(48)}${fmt(median(xs))}${fmt(Math.min(...xs))}`);
    row('papermill CLI (baseline: Python + new kernel)', pm);
    row('execute_notebook, fresh kernel', ours);
    row('execute_notebook, running kernel (kernel_id)', oursWarm);
    log(`speed-up (fresh kernel vs papermill, median): ${(median(pm) / median(ours)).toFixed(2)}×`);
    await conn.request('DELETE', `api/kernels/${k.id}`).catch(() => {});
  } finally {
    await tools.close();
    await jupyter.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
