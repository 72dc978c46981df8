// The one-writer access layer against a real Jupyter Server: parallel updates all land, the file is
// valid after each, and a save by someone else between our read and our write is a CONFLICT.
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentsDocuments, Notebook, PathQueue, parseNotebook, serializeNotebook } from '../../src/index.js';
import { rejects } from '../rejects.js';

let server: JupyterServerHandle;
let connection: JupyterConnection;
let person: JupyterConnection;

const disk = (p: string) => readFileSync(join(server.rootDir, p), 'utf8');

function makeNotebook(cells: number, prefix = 'x'): Notebook {
  const nb = Notebook.create({
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  });
  for (let i = 0; i < cells; i++)
    nb.insertCell({ cellType: 'code', source: `${prefix} = ${i}`, id: `c${i}` });
  return nb;
}

/** A person's save through the Contents API (what JupyterLab sends), from another connection. */
async function personSaves(path: string, nb: Notebook): Promise<void> {
  await person.json('PUT', `api/contents/${path}`, {
    body: `{"type": "notebook", "format": "json", "content": ${serializeNotebook(nb)}}`,
  });
}

beforeAll(async () => {
  server = await startJupyter();
  connection = new JupyterConnection({ url: server.url, token: server.token });
  person = new JupyterConnection({ url: server.url, token: server.token });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('ContentsDocuments against a real Jupyter Server', () => {
  it('120 parallel updates and inserts: every acknowledged edit on disk, the file valid after each', async () => {
    writeFileSync(join(server.rootDir, 'par.ipynb'), serializeNotebook(makeNotebook(40)));
    const docs = new ContentsDocuments({ connection });
    const acked: number[] = [];
    await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        (i % 2
          ? docs.update('par.ipynb', (nb) => nb.insertCell({ cellType: 'markdown', source: `insert ${i}` }))
          : docs.update('par.ipynb', (nb) => nb.replaceSource(`c${i % 40}`, `edit ${i}`))
        ).then(() => {
          parseNotebook(disk('par.ipynb')); // valid JSON and a valid notebook after every step
          acked.push(i);
        }),
      ),
    );
    expect(acked).toHaveLength(120);
    const nb = parseNotebook(disk('par.ipynb'));
    expect(nb.cells).toHaveLength(100);
    for (let i = 1; i < 120; i += 2)
      expect(
        nb.cells.some((c) => c.source === `insert ${i}`),
        `insert ${i}`,
      ).toBe(true);
    for (let c = 0; c < 40; c += 2) {
      const last = [...Array(120).keys()].filter((i) => i % 2 === 0 && i % 40 === c).pop()!;
      expect(nb.cells.find((x) => x.id === `c${c}`)?.source).toBe(`edit ${last}`);
    }
    await docs.close();
  });

  it('two access objects on one queue (two sessions of one process) serialize too', async () => {
    writeFileSync(join(server.rootDir, 'two.ipynb'), serializeNotebook(makeNotebook(5)));
    const queue = new PathQueue();
    const a = new ContentsDocuments({ connection, queue });
    const b = new ContentsDocuments({ connection: person, queue });
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        (i % 2 ? a : b).update('two.ipynb', (nb) => nb.insertCell({ cellType: 'raw', source: `r${i}` })),
      ),
    );
    expect(parseNotebook(disk('two.ipynb')).cells.filter((c) => c.cell_type === 'raw')).toHaveLength(100);
  });

  it('a person saving between our read and our write: CONFLICT, their save is kept; before our read: built on', async () => {
    writeFileSync(join(server.rootDir, 'race.ipynb'), serializeNotebook(makeNotebook(3)));
    // The person saves from JupyterLab exactly while our change is applied: put their save in the
    // window by running it when our final check is about to be sent.
    let inject: (() => Promise<void>) | undefined;
    const wrapped = {
      async json<T>(
        method: string,
        path: string,
        opts?: Parameters<JupyterConnection['json']>[2],
      ): Promise<T> {
        const q = opts?.query as Record<string, string> | undefined;
        if (inject && method === 'GET' && q?.content === '0') {
          const run = inject;
          inject = undefined;
          await run();
        }
        return connection.json<T>(method, path, opts);
      },
      request: connection.request.bind(connection),
    };
    const docs = new ContentsDocuments({ connection: wrapped });
    // 1. A save before the update starts (the first content=0 request is the update's own read): the
    //    update applies on top of it.
    inject = () => personSaves('race.ipynb', makeNotebook(3, 'person_before'));
    await docs.update('race.ipynb', (nb) => nb.insertCell({ cellType: 'code', source: 'agent_1' }));
    let nb = parseNotebook(disk('race.ipynb'));
    expect(nb.cells.map((c) => c.source)).toEqual([
      'person_before = 0',
      'person_before = 1',
      'person_before = 2',
      'agent_1',
    ]);

    // 2. A save after our read, right before our write: refused, nothing of ours written.
    for (let round = 0; round < 10; round++) {
      const theirs = makeNotebook(2, `person_${round}`);
      const e = await rejects(
        docs.update('race.ipynb', (n) => {
          inject = () => personSaves('race.ipynb', theirs);
          n.insertCell({ cellType: 'code', source: `agent_lost_${round}` });
        }),
      );
      expect(e.code).toBe('CONFLICT');
      expect(e.message).toMatch(/changed on the Jupyter Server .*since it was read/);
      expect(disk('race.ipynb')).toBe(serializeNotebook(theirs));
    }
    // 3. Also when our previous save is cached (no read of the content in between).
    await docs.update('race.ipynb', (n) => n.insertCell({ cellType: 'code', source: 'agent_2' }));
    const theirs = makeNotebook(1, 'person_last');
    const e = await rejects(
      docs.update('race.ipynb', (n) => {
        inject = () => personSaves('race.ipynb', theirs);
        n.insertCell({ cellType: 'code', source: 'agent_lost' });
      }),
    );
    expect(e.code).toBe('CONFLICT');
    expect(disk('race.ipynb')).toBe(serializeNotebook(theirs));
    nb = (await docs.read('race.ipynb')).notebook;
    expect(nb.cells.map((c) => c.source)).toEqual(['person_last = 0']);
  });

  it('a save on disk with the same timestamp but another size is seen too', async () => {
    writeFileSync(join(server.rootDir, 'same.ipynb'), serializeNotebook(makeNotebook(2)));
    const docs = new ContentsDocuments({ connection });
    await docs.update('same.ipynb', (n) => n.insertCell({ cellType: 'code', source: 'a' }));
    const e = await rejects(
      docs.update('same.ipynb', (n) => {
        const { mtime } = statSync(join(server.rootDir, 'same.ipynb'));
        writeFileSync(join(server.rootDir, 'same.ipynb'), serializeNotebook(makeNotebook(7, 'other')));
        utimesSync(join(server.rootDir, 'same.ipynb'), mtime, mtime);
        n.insertCell({ cellType: 'code', source: 'b' });
      }),
    );
    expect(e.code).toBe('CONFLICT');
    expect(parseNotebook(disk('same.ipynb')).cells).toHaveLength(7);
  });

  it('read, write (create with parents, ALREADY_EXISTS, overwrite, ifVersion), errors, size guard', async () => {
    const docs = new ContentsDocuments({ connection, maxNotebookSize: 10_000 });
    const nb = makeNotebook(2);
    const w = await docs.write('deep/er/new.ipynb', nb);
    expect(w.size).toBe(Buffer.byteLength(serializeNotebook(nb)));
    expect(disk('deep/er/new.ipynb')).toBe(serializeNotebook(nb));
    expect((await rejects(docs.write('deep/er/new.ipynb', nb))).code).toBe('ALREADY_EXISTS');
    const r = await docs.read('deep/er/new.ipynb');
    expect(r.size).toBe(w.size);
    expect(r.version?.lastModified).toBeTruthy();
    await docs.write('deep/er/new.ipynb', makeNotebook(3), { ifVersion: r.version! });
    expect((await rejects(docs.write('deep/er/new.ipynb', nb, { ifVersion: r.version! }))).code).toBe(
      'CONFLICT',
    );
    await docs.write('deep/er/new.ipynb', nb, { overwrite: true });

    expect((await rejects(docs.read('missing.ipynb'))).code).toBe('NOT_FOUND');
    expect((await rejects(docs.update('missing.ipynb', () => {}))).code).toBe('NOT_FOUND');
    expect((await rejects(docs.read('deep'))).code).toBe('INVALID_PATH');
    writeFileSync(join(server.rootDir, 'broken.ipynb'), '{"cells": [');
    const broken = await rejects(docs.update('broken.ipynb', () => {}));
    expect(broken.code).toBe('INVALID_JSON');
    expect(disk('broken.ipynb')).toBe('{"cells": [');

    writeFileSync(join(server.rootDir, 'big.ipynb'), serializeNotebook(makeNotebook(300)));
    const big = await rejects(docs.read('big.ipynb'));
    expect(big.code).toBe('NOTEBOOK_TOO_LARGE');
    expect(big.message).toContain('10,000 bytes limit');
  });
});
