// Issue 14: two HTTP sessions editing one notebook in parallel lost acknowledged edits. The sessions of
// one process share one writer per notebook.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Notebook, parseNotebook, serializeNotebook } from '@jupyter-mcp/notebook-model';
import {
  freePort,
  type JupyterServerHandle,
  startJupyter,
  type WriteWatch,
  watchWrites,
} from '@jupyter-mcp/test-support';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, connectClient, type HttpProc, startHttp, text } from './http-helpers.js';

const TOKEN = 'issue14-bearer-token-0123456789abcdef';
let jupyter: JupyterServerHandle;
let http: HttpProc;
let watch: WriteWatch;
const clients: Client[] = [];

beforeAll(async () => {
  jupyter = await startJupyter();
  watch = await watchWrites(jupyter.url);
  http = await startHttp(
    [
      '--url',
      watch.url,
      '--root',
      jupyter.rootDir,
      '--port',
      String(await freePort()),
      '--max-concurrent-calls',
      '100',
    ],
    { JUPYTER_TOKEN: jupyter.token, JUPYTER_MCP_AUTH_TOKEN: TOKEN },
  );
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await http?.stop();
  await watch?.close();
  await jupyter?.stop();
});

describe('issue 14: parallel edits from two HTTP sessions', () => {
  it('2 × 60 parallel calls: every acknowledged edit on disk, the file valid after each', async () => {
    const nb = Notebook.create();
    for (let i = 0; i < 80; i++) nb.insertCell({ cellType: 'code', source: `x = ${i}`, id: `c${i}` });
    writeFileSync(join(jupyter.rootDir, 'shared.ipynb'), serializeNotebook(nb));
    const [a, b] = [await connectClient(http.url, TOKEN), await connectClient(http.url, TOKEN)];
    clients.push(a, b);
    const invalid: string[] = [];
    const failed: string[] = [];
    const calls = Array.from({ length: 120 }, async (_, i) => {
      const session = i % 2 ? a : b;
      const r =
        i < 80
          ? await call(session, 'update_cell', {
              path: 'shared.ipynb',
              cell_id: `c${i}`,
              source: `edited ${i}`,
            })
          : await call(session, 'insert_cell', { path: 'shared.ipynb', source: `inserted ${i}` });
      if (r.isError) failed.push(`${i}: ${text(r)}`);
      await watch.quiet('shared.ipynb');
      try {
        parseNotebook(readFileSync(join(jupyter.rootDir, 'shared.ipynb'), 'utf8'));
      } catch (err) {
        invalid.push(`after call ${i}: ${(err as Error).message}`);
      }
    });
    await Promise.all(calls);
    expect(failed).toEqual([]);
    expect(invalid).toEqual([]);
    expect(watch.maxConcurrentPuts('shared.ipynb')).toBe(1);
    expect(watch.puts('shared.ipynb')).toBe(120);
    const after = parseNotebook(readFileSync(join(jupyter.rootDir, 'shared.ipynb'), 'utf8'));
    expect(after.cells).toHaveLength(120);
    for (let i = 0; i < 80; i++)
      expect(after.cells.find((c) => c.id === `c${i}`)?.source).toBe(`edited ${i}`);
    for (let i = 80; i < 120; i++)
      expect(after.cells.filter((c) => c.source === `inserted ${i}`)).toHaveLength(1);
  });
});
