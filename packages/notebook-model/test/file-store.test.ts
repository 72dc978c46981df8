import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore, Notebook, serializeNotebook } from '../src/index.js';
import { rejects } from './rejects.js';

const NB =
  '{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": null,\n   "id": "a1",\n   "metadata": {},\n   "outputs": [],\n   "source": [\n    "x = 1.0\\n",\n    "y"\n   ]\n  }\n ],\n "metadata": {\n  "w": 2.0\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n';

let dir: string;
let root: string;
let store: FileStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nbm-fs-'));
  root = join(dir, 'root');
  mkdirSync(join(root, 'sub'), { recursive: true });
  writeFileSync(join(root, 'a.ipynb'), NB);
  store = new FileStore({ root });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FileStore', () => {
  it('reads, edits and saves with a one-cell diff; numbers unchanged; no temp files left', async () => {
    const { notebook, version, path } = await store.read('a.ipynb');
    expect(path).toBe('a.ipynb');
    expect(version.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    notebook.replaceSource('a1', 'x = 2.0\ny');
    const v2 = await store.save('a.ipynb', notebook);
    expect(v2.hash).not.toBe(version.hash);
    expect(readFileSync(join(root, 'a.ipynb'), 'utf8')).toBe(NB.replace('x = 1.0', 'x = 2.0'));
    expect(readdirSync(root).sort()).toEqual(['a.ipynb', 'sub']);
    // Saving again after our own save is not a conflict.
    notebook.replaceSource(0, 'z');
    await store.save('a.ipynb', notebook);
  });

  it('CONFLICT when the file changed on disk since read; force overwrites', async () => {
    const { notebook, version } = await store.read('a.ipynb');
    const other = NB.replace('y"', 'changed elsewhere"');
    writeFileSync(join(root, 'a.ipynb'), other);
    notebook.replaceSource(0, 'mine');
    const e = await rejects(store.save('a.ipynb', notebook));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('changed on disk');
    expect(readFileSync(join(root, 'a.ipynb'), 'utf8')).toBe(other);
    // Same content, new mtime: not a conflict (content hash decides).
    const fresh = await store.read('a.ipynb');
    utimesSync(join(root, 'a.ipynb'), new Date(), new Date(Date.now() + 5000));
    await store.save('a.ipynb', fresh.notebook);
    // An explicit stale expectedVersion conflicts; force wins.
    expect((await rejects(store.save('a.ipynb', notebook, { expectedVersion: version }))).code).toBe(
      'CONFLICT',
    );
    await store.save('a.ipynb', notebook, { force: true });
    expect(readFileSync(join(root, 'a.ipynb'), 'utf8')).toContain('"mine"');
    // Deleted since read: a conflict too.
    const last = await store.read('a.ipynb');
    rmSync(join(root, 'a.ipynb'));
    expect(
      (await rejects(store.save('a.ipynb', notebook, { expectedVersion: last.version }))).message,
    ).toContain('deleted');
    expect(readdirSync(root)).not.toContain('a.ipynb');
  });

  it('refuses to overwrite a file never read through the store, unless forced', async () => {
    const nb = Notebook.create();
    expect((await rejects(store.save('a.ipynb', nb))).code).toBe('CONFLICT');
    await store.save('new.ipynb', nb); // a new path is fine
    expect(readFileSync(join(root, 'new.ipynb'), 'utf8')).toBe(serializeNotebook(nb));
  });

  it('bad notebooks give typed errors and the file is untouched', async () => {
    const cases: [string, string, string][] = [
      ['trunc.ipynb', NB.slice(0, 100), 'INVALID_JSON'],
      [
        'v3.ipynb',
        '{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}',
        'UNSUPPORTED_NBFORMAT',
      ],
      ['nokey.ipynb', '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', 'INVALID_NOTEBOOK'],
    ];
    for (const [name, text, code] of cases) {
      writeFileSync(join(root, name), text);
      const before = statSync(join(root, name)).mtimeMs;
      const e = await rejects(store.read(name));
      expect(e.code).toBe(code);
      expect(e.path).toBe(name);
      expect(e.message).toContain(name);
      expect(readFileSync(join(root, name), 'utf8')).toBe(text);
      expect(statSync(join(root, name)).mtimeMs).toBe(before);
    }
    // An invalid model is refused before anything is written.
    const { notebook } = await store.read('a.ipynb');
    (notebook.cells[0] as { execution_count: unknown }).execution_count = 'x';
    expect((await rejects(store.save('a.ipynb', notebook))).code).toBe('INVALID_NOTEBOOK');
    expect(readFileSync(join(root, 'a.ipynb'), 'utf8')).toBe(NB);
  });

  it('confines paths to the root: .., absolute paths and symlinks leading out fail clearly', async () => {
    writeFileSync(join(dir, 'outside.ipynb'), NB);
    symlinkSync(join(dir, 'outside.ipynb'), join(root, 'link.ipynb'));
    symlinkSync(dir, join(root, 'linkdir'));
    symlinkSync(join(root, 'a.ipynb'), join(root, 'inside-link.ipynb'));
    for (const p of [
      '../outside.ipynb',
      'sub/../../outside.ipynb',
      join(dir, 'outside.ipynb'),
      'link.ipynb',
      'linkdir/outside.ipynb',
      'linkdir/new.ipynb',
    ]) {
      const e = await rejects(store.read(p).then(() => store.create(p, Notebook.create())));
      expect(e.code, p).toBe('PATH_OUTSIDE_ROOT');
      expect(e.message).toContain('outside the notebook root');
    }
    expect((await rejects(store.create('linkdir/new.ipynb', Notebook.create()))).code).toBe(
      'PATH_OUTSIDE_ROOT',
    );
    expect(readdirSync(dir).sort()).toEqual(['outside.ipynb', 'root']);
    // Absolute paths inside the root and links that stay inside are fine.
    expect((await store.read(join(root, 'a.ipynb'))).path).toBe('a.ipynb');
    expect((await store.read('inside-link.ipynb')).notebook.cells.length).toBe(1);
  });

  it('create, exists, rename, delete, list with pagination', async () => {
    const nb = Notebook.create();
    await store.create('sub/deep/n.ipynb', nb);
    expect(await store.exists('sub/deep/n.ipynb')).toBe(true);
    expect((await rejects(store.create('sub/deep/n.ipynb', nb))).code).toBe('ALREADY_EXISTS');
    await store.create('sub/deep/n.ipynb', nb, { overwrite: true });
    await store.rename('sub/deep/n.ipynb', 'sub/m.ipynb');
    expect(await store.exists('sub/deep/n.ipynb')).toBe(false);
    expect((await rejects(store.rename('sub/m.ipynb', 'a.ipynb'))).code).toBe('ALREADY_EXISTS');
    expect((await rejects(store.rename('nope.ipynb', 'x.ipynb'))).code).toBe('NOT_FOUND');
    for (let i = 0; i < 5; i++) writeFileSync(join(root, `f${i}.txt`), 'x');
    const page1 = await store.list('', { limit: 3 });
    expect(page1.entries.map((e) => e.name)).toEqual(['sub', 'a.ipynb', 'f0.txt']);
    expect(page1.entries.map((e) => e.type)).toEqual(['directory', 'notebook', 'file']);
    expect(page1).toMatchObject({ total: 7, offset: 0, nextOffset: 3 });
    const page3 = await store.list('.', { offset: 6, limit: 3 });
    expect(page3.entries.map((e) => e.name)).toEqual(['f4.txt']);
    expect(page3.nextOffset).toBeUndefined();
    expect((await store.list('sub')).entries.map((e) => e.path)).toEqual(['sub/deep', 'sub/m.ipynb']);
    await store.delete('sub/m.ipynb');
    expect((await rejects(store.delete('sub/m.ipynb'))).code).toBe('NOT_FOUND');
    expect((await rejects(store.read('missing.ipynb'))).code).toBe('NOT_FOUND');
    expect((await rejects(store.list('missing'))).code).toBe('NOT_FOUND');
  });
});
