/**
 * Benchmark: parse + serialize a generated ~20 MB notebook (2,000 cells with outputs), and a one-cell
 * edit + save through FileStore and ContentsStore (real Jupyter Server), beside JSON.parse +
 * JSON.stringify of the same bytes measured in the same run. Each measurement runs in its own child
 * process so its peak RSS is its own.
 *
 *   pnpm --filter @jupyter-mcp/notebook-model bench
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import {
  ContentsStore,
  FileStore,
  Notebook,
  parseNotebook,
  serializeNotebook,
} from '@jupyter-mcp/notebook-model';

const RUNS = 5;
const CELLS = 2000;

function generate(): string {
  const nb = Notebook.create({
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', version: '3.12.0' },
    },
  });
  const png = randomBytes(5000).toString('base64');
  for (let i = 0; i < CELLS; i++) {
    const source = Array.from(
      { length: 12 },
      (_, j) => `value_${j} = compute(${i}, ${j}) * 1.5  # step ${j}`,
    ).join('\n');
    const { index } = nb.insertCell({ cellType: 'code', source, id: `cell-${i}` });
    const text = Array.from(
      { length: 40 },
      (_, j) => `iteration ${j}: loss=${(1 / (j + 1)).toFixed(6)} é✓`,
    ).join('\n');
    nb.setOutputs(
      index,
      [
        { output_type: 'stream', name: 'stdout', text: `${text}\n` },
        {
          output_type: 'execute_result',
          execution_count: i + 1,
          metadata: {},
          data: {
            'text/plain': `array([${i}.5, 2.25, 1e-05])`,
            'text/html': `<table>\n<tr><td>${i}</td><td>0.1</td></tr>\n</table>`,
            'application/json': { value: i + 0.5, items: [1, 2.5, 1e-5] },
          },
        },
        {
          output_type: 'display_data',
          metadata: { 'image/png': { width: 640, height: 480 } },
          data: { 'image/png': `${png}\n`, 'text/plain': '<Figure>' },
        },
      ],
      i + 1,
    );
    if (i % 10 === 0)
      nb.insertCell({
        cellType: 'markdown',
        source: `## Section ${i}\n\nSome *text* with unicode ü and a formula $x^2$.`,
      });
  }
  return serializeNotebook(nb);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/** Alternate two functions (after warm-up) so load changes on a shared machine hit both alike. */
function interleaved(a: () => unknown, b: () => unknown, runs: number): [number, number] {
  for (let i = 0; i < 2; i++) {
    a();
    b();
  }
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    a();
    sa.push(performance.now() - t0);
    t0 = performance.now();
    b();
    sb.push(performance.now() - t0);
  }
  return [median(sa), median(sb)];
}

/** Child: run one measurement, print { ms, peakRssMb }. */
async function child(mode: string, file: string, extra: string[]): Promise<void> {
  const text = readFileSync(file, 'utf8');
  let ms: number;
  switch (mode) {
    case 'json': // peak RSS of one parse + serialize
      ms = await time(() => JSON.stringify(JSON.parse(text), null, 1), 1);
      break;
    case 'ours':
      ms = await time(() => serializeNotebook(parseNotebook(text)), 1);
      break;
    case 'timing': {
      const [json, ours] = interleaved(
        () => JSON.stringify(JSON.parse(text), null, 1),
        () => serializeNotebook(parseNotebook(text)),
        9,
      );
      process.stdout.write(JSON.stringify({ ms: json, peakRssMb: ours }));
      return;
    }
    case 'file-json': {
      ms = await time(async () => {
        const obj = JSON.parse(readFileSync(file, 'utf8'));
        obj.cells[1000].source = ['edited'];
        writeFileSync(file, JSON.stringify(obj, null, 1));
      });
      break;
    }
    case 'file-store': {
      const store = new FileStore({ root: join(file, '..') });
      const name = file.split('/').pop()!;
      ms = await time(async () => {
        const { notebook } = await store.read(name);
        notebook.replaceSource(1000, `edited ${Math.random()}`);
        await store.save(name, notebook);
      });
      break;
    }
    case 'contents-json':
    case 'contents-store': {
      const [url, token, name] = extra as [string, string, string];
      const connection = new JupyterConnection({ url, token });
      const store = new ContentsStore({ connection });
      ms = await time(async () => {
        if (mode === 'contents-store') {
          const { notebook } = await store.read(name);
          notebook.replaceSource(1000, `edited ${Math.random()}`);
          await store.save(name, notebook);
        } else {
          const m = await connection.json<{ content: { cells: { source: string }[] } }>(
            'GET',
            `api/contents/${name}`,
            {
              query: { content: '1' },
            },
          );
          m.content.cells[1000]!.source = `edited ${Math.random()}`;
          await connection.json('PUT', `api/contents/${name}`, {
            body: { type: 'notebook', format: 'json', content: m.content },
          });
        }
      });
      break;
    }
    default:
      throw new Error(mode);
  }
  process.stdout.write(JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

function runChild(mode: string, file: string, extra: string[] = []): { ms: number; peakRssMb: number } {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode, file, ...extra],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out);
}

const fmt = (r: { ms: number; peakRssMb: number }) =>
  `${r.ms.toFixed(1).padStart(8)} ms  ${r.peakRssMb.toFixed(0).padStart(5)} MB`;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    await child(process.argv[3]!, process.argv[4]!, process.argv.slice(5));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'nbm-bench-'));
  try {
    const text = generate();
    const file = join(dir, 'big.ipynb');
    writeFileSync(file, text);
    const mb = Buffer.byteLength(text) / 1e6;
    console.log(
      `notebook: ${mb.toFixed(1)} MB, ${parseNotebook(text).cells.length} cells; parse+serialize: median of 9 interleaved runs after warm-up; stores: median of ${RUNS}; peak RSS per child process\n`,
    );
    const timing = runChild('timing', file); // { ms: JSON median, peakRssMb: ours median } (interleaved)
    const base = { ...runChild('json', file), ms: timing.ms };
    const ours = { ...runChild('ours', file), ms: timing.peakRssMb };
    console.log(
      `parse + serialize    JSON.parse+stringify ${fmt(base)}   | notebook-model ${fmt(ours)}   ratio ${(ours.ms / base.ms).toFixed(2)}x (target ≤ 3x)`,
    );

    writeFileSync(join(dir, 'f.ipynb'), text);
    const fileBase = runChild('file-json', join(dir, 'f.ipynb'));
    writeFileSync(join(dir, 'g.ipynb'), text);
    const fileOurs = runChild('file-store', join(dir, 'g.ipynb'));
    console.log(
      `edit+save FileStore  read+JSON+write      ${fmt(fileBase)}   | FileStore      ${fmt(fileOurs)}   ratio ${(fileOurs.ms / fileBase.ms).toFixed(2)}x`,
    );

    const { startJupyter } = await import('@jupyter-mcp/test-support');
    const server = await startJupyter();
    try {
      writeFileSync(join(server.rootDir, 'a.ipynb'), text);
      writeFileSync(join(server.rootDir, 'b.ipynb'), text);
      const cBase = runChild('contents-json', file, [server.url, server.token ?? '', 'a.ipynb']);
      const cOurs = runChild('contents-store', file, [server.url, server.token ?? '', 'b.ipynb']);
      console.log(
        `edit+save Contents   GET+JSON+PUT         ${fmt(cBase)}   | ContentsStore  ${fmt(cOurs)}   ratio ${(cOurs.ms / cBase.ms).toFixed(2)}x`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
