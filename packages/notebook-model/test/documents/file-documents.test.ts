import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDocuments, Notebook, PathQueue, parseNotebook, serializeNotebook } from '../../src/index.js';
import { rejects } from '../rejects.js';

let dir: string;
let root: string;

function makeNotebook(cells: number): string {
  const nb = Notebook.create();
  for (let i = 0; i < cells; i++) nb.insertCell({ cellType: 'code', source: `x = ${i}`, id: `c${i}` });
  return serializeNotebook(nb);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nbm-docs-'));
  root = join(dir, 'root');
  mkdirSync(root);
  writeFileSync(join(root, 'a.ipynb'), makeNotebook(20));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileDocuments', () => {
  it('150 parallel updates and inserts: every one on disk, the file valid after each', async () => {
    const docs = new FileDocuments({ root });
    const valid: boolean[] = [];
    const calls = Array.from({ length: 150 }, (_, i) =>
      (i % 3 === 0
        ? docs.update('a.ipynb', (nb) => nb.insertCell({ cellType: 'markdown', source: `inserted ${i}` }))
        : docs.update('./a.ipynb', (nb) => nb.replaceSource(`c${i % 20}`, `x = ${i}`))
      ).then(() => {
        parseNotebook(readFileSync(join(root, 'a.ipynb'), 'utf8'));
        valid.push(true);
      }),
    );
    await Promise.all(calls);
    expect(valid).toHaveLength(150);
    const nb = parseNotebook(readFileSync(join(root, 'a.ipynb'), 'utf8'));
    for (let i = 0; i < 150; i += 3) expect(nb.cells.some((c) => c.source === `inserted ${i}`)).toBe(true);
    // The last update of each cell wins (calls run in order).
    for (let c = 0; c < 20; c++) {
      const last = [...Array(150).keys()].filter((i) => i % 3 !== 0 && i % 20 === c).pop();
      if (last !== undefined) expect(nb.cells.find((x) => x.id === `c${c}`)?.source).toBe(`x = ${last}`);
    }
    await docs.close();
  });

  it('one queue per real file: a symlink inside the root and its target share it', async () => {
    symlinkSync(join(root, 'a.ipynb'), join(root, 'alias.ipynb'));
    const queue = new PathQueue();
    const docs = new FileDocuments({ root, queue });
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        docs.update(i % 2 ? 'alias.ipynb' : 'a.ipynb', (nb) =>
          nb.insertCell({ cellType: 'raw', source: `r${i}` }),
        ),
      ),
    );
    const nb = parseNotebook(readFileSync(join(root, 'a.ipynb'), 'utf8'));
    expect(nb.cells.filter((c) => c.cell_type === 'raw')).toHaveLength(60);
  });

  it('a change made on disk while a change is applied is a CONFLICT; the other change stays', async () => {
    const docs = new FileDocuments({ root });
    const person = makeNotebook(3);
    const e = await rejects(
      docs.update('a.ipynb', (nb) => {
        writeFileSync(join(root, 'a.ipynb'), person);
        nb.insertCell({ cellType: 'code', source: 'agent' });
      }),
    );
    expect(e.code).toBe('CONFLICT');
    expect(readFileSync(join(root, 'a.ipynb'), 'utf8')).toBe(person);
    // The next update starts from the person's version.
    await docs.update('a.ipynb', (nb) => nb.insertCell({ cellType: 'code', source: 'agent' }));
    expect(parseNotebook(readFileSync(join(root, 'a.ipynb'), 'utf8')).cells).toHaveLength(4);
  });

  it('a change that throws or makes the notebook invalid writes nothing', async () => {
    const docs = new FileDocuments({ root });
    const before = readFileSync(join(root, 'a.ipynb'), 'utf8');
    await expect(
      docs.update('a.ipynb', () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const e = await rejects(
      docs.update('a.ipynb', (nb) => {
        (nb.cells[0] as unknown as Record<string, unknown>).outputs = 'nope';
      }),
    );
    expect(e.code).toBe('INVALID_NOTEBOOK');
    expect(e.message).toMatch(/Not saved: 'a.ipynb' would not be a valid notebook/);
    expect(readFileSync(join(root, 'a.ipynb'), 'utf8')).toBe(before);
  });

  it('write: create, ALREADY_EXISTS, overwrite, ifVersion; size guard; paths confined by real path', async () => {
    const docs = new FileDocuments({ root, maxNotebookSize: 4096 });
    const nb = Notebook.create();
    const w = await docs.write('new/dir/b.ipynb', nb);
    expect(w.version?.hash).toMatch(/^sha256:/);
    expect((await rejects(docs.write('new/dir/b.ipynb', nb))).code).toBe('ALREADY_EXISTS');
    await docs.write('new/dir/b.ipynb', nb, { overwrite: true });
    const r = await docs.read('new/dir/b.ipynb');
    writeFileSync(join(root, 'new/dir/b.ipynb'), makeNotebook(1));
    expect((await rejects(docs.write('new/dir/b.ipynb', nb, { ifVersion: r.version! }))).code).toBe(
      'CONFLICT',
    );

    writeFileSync(join(root, 'big.ipynb'), makeNotebook(200));
    const big = await rejects(docs.read('big.ipynb'));
    expect(big.code).toBe('NOTEBOOK_TOO_LARGE');
    expect(big.message).toMatch(/'big.ipynb' is [\d,]+ bytes, more than the 4,096 bytes limit/);

    mkdirSync(join(dir, 'outside'));
    writeFileSync(join(dir, 'outside', 'o.ipynb'), makeNotebook(1));
    symlinkSync(join(dir, 'outside'), join(root, 'out'));
    symlinkSync(join(dir, 'outside', 'o.ipynb'), join(root, 'o.ipynb'));
    symlinkSync(join(dir, 'outside', 'missing.ipynb'), join(root, 'dangling.ipynb'));
    for (const p of ['out/o.ipynb', 'o.ipynb', '../outside/o.ipynb', join(dir, 'outside', 'o.ipynb')])
      expect((await rejects(docs.read(p))).code, p).toBe('PATH_OUTSIDE_ROOT');
    expect((await rejects(docs.write('out/new.ipynb', nb))).code).toBe('PATH_OUTSIDE_ROOT');
    expect((await rejects(docs.write('dangling.ipynb', nb, { overwrite: true }))).code).toBe(
      'PATH_OUTSIDE_ROOT',
    );
    expect((await rejects(docs.update('o.ipynb', () => {}))).code).toBe('PATH_OUTSIDE_ROOT');

    const follow = new FileDocuments({ root, followSymlinks: true });
    expect((await follow.read('out/o.ipynb')).notebook.cells).toHaveLength(1);
    expect((await rejects(follow.read('../outside/o.ipynb'))).code).toBe('PATH_OUTSIDE_ROOT');
  });
});
