// Issue 14: parallel update_cell / insert_cell calls in one stdio session lost acknowledged edits and
// could leave the notebook torn. Every call now goes through the one-writer queue of the process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Notebook, parseNotebook, serializeNotebook } from '@jupyter-mcp/notebook-model';
import {
  type JupyterServerHandle,
  startJupyter,
  type WriteWatch,
  watchWrites,
} from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSession, connectCli, textOf } from './cli-client.js';

let server: JupyterServerHandle;
let cli: CliSession;
let watch: WriteWatch;

beforeAll(async () => {
  server = await startJupyter();
  // Through a proxy that sees every PUT: writes of one notebook must never overlap (jupyter_server
  // writes in place), and the file is read between writes.
  watch = await watchWrites(server.url);
  cli = await connectCli({
    args: ['--url', watch.url, '--root', server.rootDir],
    env: { JUPYTER_TOKEN: server.token },
  });
});

afterAll(async () => {
  await cli?.close();
  await watch?.close();
  await server?.stop();
});

describe('issue 14: parallel edits in one stdio session', () => {
  it('150 parallel update_cell / insert_cell: every acknowledged edit on disk, the file valid after each', async () => {
    const nb = Notebook.create();
    for (let i = 0; i < 100; i++) nb.insertCell({ cellType: 'code', source: `x = ${i}`, id: `c${i}` });
    writeFileSync(join(server.rootDir, 'par.ipynb'), serializeNotebook(nb));
    const invalid: string[] = [];
    const failed: string[] = [];
    const calls = Array.from({ length: 150 }, async (_, i) => {
      const r =
        i < 100
          ? await cli.call('update_cell', { path: 'par.ipynb', cell_id: `c${i}`, source: `edited ${i}` })
          : await cli.call('insert_cell', {
              path: 'par.ipynb',
              source: `inserted ${i}`,
              cell_type: 'markdown',
            });
      if (r.isError) failed.push(`${i}: ${textOf(r)}`);
      await watch.quiet('par.ipynb');
      try {
        parseNotebook(readFileSync(join(server.rootDir, 'par.ipynb'), 'utf8'));
      } catch (err) {
        invalid.push(`after call ${i}: ${(err as Error).message}`);
      }
    });
    await Promise.all(calls);
    expect(failed).toEqual([]);
    expect(invalid).toEqual([]);
    expect(watch.maxConcurrentPuts('par.ipynb')).toBe(1);
    expect(watch.puts('par.ipynb')).toBe(150);
    const after = parseNotebook(readFileSync(join(server.rootDir, 'par.ipynb'), 'utf8'));
    expect(after.cells).toHaveLength(150);
    for (let i = 0; i < 100; i++)
      expect(after.cells.find((c) => c.id === `c${i}`)?.source).toBe(`edited ${i}`);
    for (let i = 100; i < 150; i++)
      expect(after.cells.filter((c) => c.source === `inserted ${i}`)).toHaveLength(1);
  });
});
