import { JupyterHttpError } from '@jupyter-mcp/jupyter-auth';
import { describe, expect, it } from 'vitest';
import { ContentsStore, Notebook, NotebookError } from '../src/index.js';
import { normalizeContentsPath } from '../src/stores/contents-store.js';

/** A connection stand-in recording requests (a collaborator passed in, not a mock library). */
function fakeConnection(
  handler: (method: string, path: string, opts: { query?: unknown; body?: unknown }) => unknown,
) {
  const calls: { method: string; path: string; query?: unknown; body?: unknown }[] = [];
  const connection = {
    async json<T>(method: string, path: string, opts: { query?: unknown; body?: unknown } = {}): Promise<T> {
      calls.push({ method, path, ...opts });
      return handler(method, path, opts) as T;
    },
    async request(): Promise<Response> {
      throw new Error('unused');
    },
  };
  return { connection, calls };
}

const TEXT = `${JSON.stringify({ cells: [], metadata: { x: 1 }, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;

describe('ContentsStore (request shapes)', () => {
  it('normalises paths and refuses .. segments before any request', () => {
    expect(normalizeContentsPath('/a//b/./c.ipynb')).toBe('a/b/c.ipynb');
    expect(normalizeContentsPath('')).toBe('');
    expect(() => normalizeContentsPath('a/../../b')).toThrow(NotebookError);
    expect(() => normalizeContentsPath('a\\..\\b')).toThrow(/outside the Jupyter Server root/);
  });

  it('reads the raw text, saves the notebook JSON verbatim after a content=0 check, encodes paths', async () => {
    let lastModified = '2026-01-01T00:00:00.000000Z';
    const { connection, calls } = fakeConnection((method, _path, opts) => {
      if (method === 'GET' && (opts.query as { content: string }).content === '1') {
        return {
          type: 'file',
          content: TEXT,
          last_modified: lastModified,
          name: 'n b.ipynb',
          path: 'd/n b.ipynb',
        };
      }
      if (method === 'GET') return { type: 'notebook', last_modified: lastModified };
      lastModified = '2026-01-01T00:00:01.000000Z';
      return { type: 'notebook', last_modified: lastModified };
    });
    const store = new ContentsStore({ connection });
    const { notebook, version } = await store.read('d/n b.ipynb');
    expect(version).toEqual({ lastModified: '2026-01-01T00:00:00.000000Z' });
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: 'api/contents/d/n%20b.ipynb',
      query: { type: 'file', format: 'text' },
    });
    notebook.insertCell({ cellType: 'code', source: 'x', id: 'c' });
    expect(await store.save('d/n b.ipynb', notebook)).toEqual({
      lastModified: '2026-01-01T00:00:01.000000Z',
    });
    expect(calls[1]).toMatchObject({ method: 'GET', query: { content: '0' } });
    const body = calls[2]!.body as string;
    expect(calls[2]!.method).toBe('PUT');
    expect(body.startsWith('{"type": "notebook", "format": "json", "content": {\n "cells"')).toBe(true);
    expect(JSON.parse(body).content.cells[0].id).toBe('c');
  });

  it('maps 404 to NOT_FOUND and a changed last_modified to CONFLICT', async () => {
    let stamp = 'a';
    const { connection } = fakeConnection((method, path, opts) => {
      if (path.endsWith('missing.ipynb')) {
        throw new JupyterHttpError({
          status: 404,
          serverMessage: 'No such file',
          method,
          path,
          message: '404',
        });
      }
      if ((opts.query as { content?: string } | undefined)?.content === '1')
        return { type: 'file', content: TEXT, last_modified: stamp };
      return { type: 'notebook', last_modified: stamp };
    });
    const store = new ContentsStore({ connection });
    await expect(store.read('missing.ipynb')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.exists('missing.ipynb')).toBe(false);
    const { notebook } = await store.read('x.ipynb');
    stamp = 'b';
    await expect(store.save('x.ipynb', notebook)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(store.save('y.ipynb', Notebook.create())).rejects.toMatchObject({ code: 'CONFLICT' }); // never read
  });
});
