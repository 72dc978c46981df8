import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentsStore, Notebook, parseNotebook, serializeNotebook } from '../../src/index.js';
import { rejects } from '../rejects.js';
import { expectValid, py } from './python.js';

let server: JupyterServerHandle;
let connection: JupyterConnection;
let generated: string[];

const disk = (p: string) => readFileSync(join(server.rootDir, p), 'utf8');

beforeAll(async () => {
  [server, generated] = await Promise.all([
    startJupyter(),
    py<string[]>({ action: 'generate', random: 8, seed: 3 }),
  ]);
  connection = new JupyterConnection({ url: server.url, token: server.token });
  generated.forEach((t, i) => {
    writeFileSync(join(server.rootDir, `gen${i}.ipynb`), t);
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('ContentsStore against a real Jupyter Server', () => {
  it('round-trips notebooks written by nbformat and by the server itself, byte for byte', async () => {
    const store = new ContentsStore({ connection });
    for (let i = 0; i < generated.length; i++) {
      const { notebook } = await store.read(`gen${i}.ipynb`);
      expect(serializeNotebook(notebook)).toBe(generated[i]);
    }
    // The server writes a notebook from a JSON model (type=notebook), as JupyterLab saves do.
    const model = JSON.parse(generated[0]!.replace(/\bNaN\b/g, '0').replace(/-?\bInfinity\b/g, '0'));
    await connection.json('PUT', 'api/contents/by-server.ipynb', {
      body: { type: 'notebook', format: 'json', content: model },
    });
    const written = disk('by-server.ipynb');
    const { notebook } = await store.read('by-server.ipynb');
    expect(serializeNotebook(notebook)).toBe(written);
  });

  it('saves a one-cell edit as the server writes it: same bytes as serializeNotebook, floats kept, valid', async () => {
    const store = new ContentsStore({ connection });
    const { notebook, version } = await store.read('gen0.ipynb');
    notebook.editSource(1, "print('hi')", "print('edited')");
    const v2 = await store.save('gen0.ipynb', notebook);
    expect(v2.lastModified).not.toBe(version.lastModified);
    const after = disk('gen0.ipynb');
    expect(after).toBe(serializeNotebook(notebook));
    expect(after).toBe(generated[0]!.replace("print('hi')", "print('edited')"));
    expect(after).toContain('"value": 1.0');
    await expectValid([after]);
    // The server sees a notebook (not a plain file) and keeps serving it as one.
    const m = await connection.json<{ type: string }>('GET', 'api/contents/gen0.ipynb', {
      query: { content: '0' },
    });
    expect(m.type).toBe('notebook');
  });

  it('CONFLICT when the notebook changed through the Contents API since read; force overwrites', async () => {
    const mine = new ContentsStore({ connection });
    const theirs = new ContentsStore({ connection });
    const { notebook } = await mine.read('gen1.ipynb');
    const other = await theirs.read('gen1.ipynb');
    other.notebook.insertCell({ cellType: 'markdown', source: 'their change', index: 0 });
    await theirs.save('gen1.ipynb', other.notebook);
    const theirBytes = disk('gen1.ipynb');
    notebook.replaceSource(0, 'my change');
    const e = await rejects(mine.save('gen1.ipynb', notebook));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('changed on the Jupyter Server since it was read');
    expect(disk('gen1.ipynb')).toBe(theirBytes);
    await mine.save('gen1.ipynb', notebook, { force: true });
    expect(disk('gen1.ipynb')).toContain('my change');
  });

  it('CONFLICT when the file changed on disk since read', async () => {
    const store = new ContentsStore({ connection });
    const { notebook } = await store.read('gen2.ipynb');
    const path = join(server.rootDir, 'gen2.ipynb');
    const changed = generated[2]!.replace(/\n$/, ' \n'); // someone else's editor
    writeFileSync(path, changed);
    const later = new Date(statSync(path).mtimeMs + 2000);
    utimesSync(path, later, later);
    notebook.replaceSource(0, 'mine');
    expect((await rejects(store.save('gen2.ipynb', notebook))).code).toBe('CONFLICT');
    expect(disk('gen2.ipynb')).toBe(changed);
    // Deleted since read: a conflict as well, and nothing is recreated.
    const again = await store.read('gen2.ipynb');
    await connection.json('DELETE', 'api/contents/gen2.ipynb');
    const e = await rejects(store.save('gen2.ipynb', again.notebook, { expectedVersion: again.version }));
    expect([e.code, e.message.includes('deleted')]).toEqual(['CONFLICT', true]);
    expect(await store.exists('gen2.ipynb')).toBe(false);
  });

  it('bad notebooks give typed errors and stay untouched', async () => {
    const store = new ContentsStore({ connection });
    const cases: [string, string, string][] = [
      ['trunc.ipynb', generated[0]!.slice(0, 500), 'INVALID_JSON'],
      [
        'v3.ipynb',
        '{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}',
        'UNSUPPORTED_NBFORMAT',
      ],
      ['nocells.ipynb', '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', 'INVALID_NOTEBOOK'],
    ];
    for (const [name, text, code] of cases) {
      writeFileSync(join(server.rootDir, name), text);
      const e = await rejects(store.read(name));
      expect(e.code).toBe(code);
      expect(e.path).toBe(name);
      expect(disk(name)).toBe(text);
    }
    writeFileSync(join(server.rootDir, 'latin1.ipynb'), Buffer.from([0x7b, 0xe9, 0x7d]));
    expect((await rejects(store.read('latin1.ipynb'))).code).toBe('INVALID_NOTEBOOK');
    const { notebook } = await store.read('gen3.ipynb');
    (notebook.cells[0] as { cell_type: string }).cell_type = 'heading';
    expect((await rejects(store.save('gen3.ipynb', notebook))).code).toBe('INVALID_NOTEBOOK');
    expect(disk('gen3.ipynb')).toBe(generated[3]);
  });

  it('create, exists, rename, delete, list with pagination; paths stay under the root', async () => {
    const store = new ContentsStore({ connection });
    await connection.json('POST', 'api/contents', { body: { type: 'directory' } }); // "Untitled Folder"
    await connection.json('PATCH', 'api/contents/Untitled Folder', { body: { path: 'dir' } });
    const nb = Notebook.create({
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    });
    nb.insertCell({ cellType: 'code', source: 'x = 1.5' });
    await store.create('dir/new.ipynb', nb);
    expect(disk('dir/new.ipynb')).toBe(serializeNotebook(nb));
    expect(await store.exists('/dir/new.ipynb')).toBe(true);
    expect((await rejects(store.create('dir/new.ipynb', nb))).code).toBe('ALREADY_EXISTS');
    await store.create('dir/new.ipynb', nb, { overwrite: true });
    await store.create('dir/other.ipynb', nb);
    expect((await rejects(store.rename('dir/new.ipynb', 'dir/other.ipynb'))).code).toBe('ALREADY_EXISTS');
    await store.rename('dir/new.ipynb', 'dir/renamed.ipynb');
    expect(await store.exists('dir/new.ipynb')).toBe(false);
    expect((await store.read('dir/renamed.ipynb')).notebook.cells[0]!.source).toBe('x = 1.5');
    const page = await store.list('dir', { limit: 1 });
    expect(page).toMatchObject({ total: 2, offset: 0, nextOffset: 1 });
    expect(page.entries[0]).toMatchObject({ name: 'other.ipynb', path: 'dir/other.ipynb', type: 'notebook' });
    const root = await store.list('', { limit: 100 });
    expect(root.entries[0]).toMatchObject({ name: 'dir', type: 'directory' });
    expect(root.entries.map((e) => e.name)).toContain('gen0.ipynb');
    await store.delete('dir/other.ipynb');
    expect((await rejects(store.read('dir/other.ipynb'))).code).toBe('NOT_FOUND');
    expect((await rejects(store.delete('dir/other.ipynb'))).code).toBe('NOT_FOUND');
    expect((await rejects(store.read('dir'))).code).toBe('INVALID_PATH');
    expect((await rejects(store.list('gen0.ipynb'))).code).toBe('INVALID_PATH');
    for (const bad of ['../etc/passwd', 'dir/../../x.ipynb']) {
      expect((await rejects(store.read(bad))).code).toBe('PATH_OUTSIDE_ROOT');
    }
    await expectValid([disk('dir/renamed.ipynb')]);
    parseNotebook(disk('dir/renamed.ipynb'));
  });
});
