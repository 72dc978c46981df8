// Issue 14: a person saving the notebook (JupyterLab → Contents API) while the agent edits it. A save
// between the agent's read and its write is reported as CONFLICT and never overwritten; a save before
// the agent's read is built on.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Notebook, parseNotebook, serializeNotebook } from '@jupyter-mcp/notebook-model';
import {
  type JupyterServerHandle,
  type LoopbackProxy,
  startJupyter,
  startProxy,
} from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSession, connectCli, textOf } from './cli-client.js';

let server: JupyterServerHandle;
let proxy: LoopbackProxy;
let cli: CliSession;
/** When set: the person saves right before the n-th `content=0` check of race.ipynb is forwarded. */
let armed: { countdown: number; save: () => Promise<void> } | undefined;

const disk = () => readFileSync(join(server.rootDir, 'race.ipynb'), 'utf8');

function notebook(prefix: string, cells: number): Notebook {
  const nb = Notebook.create();
  for (let i = 0; i < cells; i++) nb.insertCell({ cellType: 'code', source: `${prefix}${i}`, id: `c${i}` });
  return nb;
}

/** What JupyterLab sends when a person presses save. */
async function personSaves(nb: Notebook): Promise<void> {
  const r = await fetch(`${server.url}api/contents/race.ipynb`, {
    method: 'PUT',
    headers: { Authorization: `token ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'notebook', format: 'json', content: JSON.parse(serializeNotebook(nb)) }),
  });
  expect(r.status).toBe(200);
}

beforeAll(async () => {
  server = await startJupyter();
  proxy = await startProxy({
    target: server.url.replace(/\/$/, ''),
    async beforeForward({ method, url }) {
      if (
        !armed ||
        method !== 'GET' ||
        !url.startsWith('/api/contents/race.ipynb?') ||
        !url.includes('content=0')
      )
        return;
      if (--armed.countdown > 0) return;
      const { save } = armed;
      armed = undefined;
      await save();
    },
  });
  cli = await connectCli({
    args: ['--url', `${proxy.origin}/`, '--root', server.rootDir],
    env: { JUPYTER_TOKEN: server.token },
  });
});

afterAll(async () => {
  await cli?.close();
  await proxy?.close();
  await server?.stop();
});

describe('issue 14: a person saves while the agent edits', () => {
  it('a save between the read and the write of every cell tool: CONFLICT, the person’s save stays', async () => {
    writeFileSync(join(server.rootDir, 'race.ipynb'), serializeNotebook(notebook('start', 4)));
    // A save just before the call reads the notebook: the edit is applied on top of it.
    armed = { countdown: 1, save: () => personSaves(notebook('person', 4)) };
    let r = await cli.call('update_cell', { path: 'race.ipynb', cell_id: 'c1', source: 'agent' });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(parseNotebook(disk()).cells.map((c) => c.source)).toEqual([
      'person0',
      'agent',
      'person2',
      'person3',
    ]);

    const calls: [string, Record<string, unknown>][] = [
      ['update_cell', { path: 'race.ipynb', cell_id: 'c0', source: 'lost' }],
      ['insert_cell', { path: 'race.ipynb', source: 'lost' }],
      ['edit_cell', { path: 'race.ipynb', cell_id: 'c2', old_string: 'person', new_string: 'lost' }],
      ['delete_cells', { path: 'race.ipynb', cell_ids: ['c3'] }],
      ['move_cell', { path: 'race.ipynb', cell_id: 'c3', to_index: 0 }],
      ['clear_outputs', { path: 'race.ipynb' }],
    ];
    for (const [k, [tool, args]] of calls.entries()) {
      const theirs = notebook(`person${k}_`, 4);
      // The second content=0 request of a call is its check right before the PUT.
      armed = { countdown: 2, save: () => personSaves(theirs) };
      r = await cli.call(tool, args);
      expect(armed, tool).toBeUndefined();
      expect(r.isError, tool).toBe(true);
      expect(textOf(r), tool).toMatch(/CONFLICT[\s\S]*someone else saved it[\s\S]*Read the notebook again/);
      expect(disk(), tool).toBe(serializeNotebook(theirs));
    }
  });
});
