import { type JupyterConnection, JupyterHttpError } from '@jupyter-mcp/jupyter-auth';
import { NotebookError } from '../errors.js';
import { type Notebook, notebookFromData, parseNotebook, serializeNotebook } from '../notebook.js';
import { paginate } from './file-store.js';
import type {
  FileContent,
  ListResult,
  NotebookStore,
  NotebookVersion,
  ReadResult,
  SaveOptions,
  StoreEntry,
} from './types.js';

export interface ContentsStoreOptions {
  /** An authenticated connection to the Jupyter Server. */
  connection: Pick<JupyterConnection, 'json' | 'request'>;
}

interface ContentsModel {
  name: string;
  path: string;
  type: 'directory' | 'notebook' | 'file';
  last_modified: string;
  size?: number | null;
  content?: unknown;
  format?: string | null;
}

/** Normalise a Contents API path; `..` segments are refused (the server root is the store root). */
export function normalizeContentsPath(path: string): string {
  if (typeof path !== 'string' || path.includes('\0')) {
    throw new NotebookError('INVALID_PATH', `Invalid path ${JSON.stringify(path)}.`, { path: String(path) });
  }
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || p.includes('\\'))) {
    throw new NotebookError(
      'PATH_OUTSIDE_ROOT',
      `Path '${path}' is outside the Jupyter Server root: use a path relative to the server root without '..' segments.`,
      { path },
    );
  }
  return parts.join('/');
}

function apiPath(path: string): string {
  return `api/contents/${path.split('/').map(encodeURIComponent).join('/')}`.replace(/\/$/, '');
}

/**
 * Notebooks on a Jupyter Server, through the Contents API (via `@jupyter-mcp/jupyter-auth`). Reads fetch
 * the file's exact text (numbers keep their Python form); saves send the notebook as JSON text the
 * server writes with nbformat, byte-identical to `serializeNotebook`. A change since read is detected by
 * `last_modified` (re-checked with `content=0` right before saving).
 */
export class ContentsStore implements NotebookStore {
  private readonly connection: ContentsStoreOptions['connection'];
  private readonly seen = new Map<string, NotebookVersion>();

  constructor(options: ContentsStoreOptions) {
    if (!options?.connection) {
      throw new NotebookError('INVALID_ARGUMENT', 'ContentsStore needs { connection }: a JupyterConnection.');
    }
    this.connection = options.connection;
  }

  private async call<T>(
    method: string,
    path: string,
    what: string,
    opts: Parameters<JupyterConnection['json']>[2] = {},
  ): Promise<T> {
    try {
      return await this.connection.json<T>(method, apiPath(path), opts);
    } catch (err) {
      if (err instanceof JupyterHttpError) {
        if (err.status === 404) {
          throw new NotebookError(
            'NOT_FOUND',
            `No file or directory at '${path}' on the Jupyter Server (${what}).`,
            {
              path,
              cause: err,
            },
          );
        }
        if (err.status === 409) {
          throw new NotebookError(
            'ALREADY_EXISTS',
            `Cannot ${what}: the server reports a conflict (${err.serverMessage}).`,
            {
              path,
              cause: err,
            },
          );
        }
      }
      throw err;
    }
  }

  private async stat(path: string): Promise<ContentsModel | undefined> {
    try {
      return await this.call<ContentsModel>('GET', path, 'stat', { query: { content: '0' } });
    } catch (err) {
      if (err instanceof NotebookError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  async read(path: string): Promise<ReadResult> {
    const p = normalizeContentsPath(path);
    let model: ContentsModel;
    let notebook: Notebook;
    try {
      try {
        model = await this.call<ContentsModel>('GET', p, 'read', {
          query: { type: 'file', format: 'text', content: '1' },
        });
      } catch (err) {
        if (!(err instanceof JupyterHttpError && err.status === 400)) throw err;
        const st = await this.stat(p);
        if (st?.type === 'directory') {
          throw new NotebookError('INVALID_PATH', `'${p}' is a directory, not a notebook.`, { path: p });
        }
        // Contents managers that cannot serve a notebook as text: fall back to the parsed notebook.
        try {
          model = await this.call<ContentsModel>('GET', p, 'read', {
            query: { type: 'notebook', content: '1' },
          });
        } catch (err2) {
          if (!(err2 instanceof JupyterHttpError && err2.status === 400)) throw err2;
          throw new NotebookError(
            'INVALID_NOTEBOOK',
            `The Jupyter Server cannot read '${p}' as a notebook: ${err2.serverMessage || (err as Error).message}. Fix the file (is it UTF-8 JSON?) or restore it from a checkpoint.`,
            { path: p, cause: err2 },
          );
        }
      }
      if (model.type === 'directory') {
        throw new NotebookError('INVALID_PATH', `'${p}' is a directory, not a notebook.`, { path: p });
      }
      notebook =
        typeof model.content === 'string'
          ? parseNotebook(model.content)
          : notebookFromData(structuredClone(model.content));
    } catch (err) {
      if (err instanceof NotebookError && err.path === undefined) {
        throw new NotebookError(err.code, `${p}: ${err.message}`, {
          path: p,
          cause: err,
          ...(err.cellIndex === undefined ? {} : { cellIndex: err.cellIndex }),
          ...(err.key === undefined ? {} : { key: err.key }),
        });
      }
      throw err;
    }
    const version = { lastModified: model.last_modified };
    this.seen.set(p, version);
    return { notebook, version, path: p };
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(normalizeContentsPath(path))) !== undefined;
  }

  private async put(p: string, notebook: Notebook, what: string): Promise<NotebookVersion> {
    const text = serializeNotebook(notebook); // validates first
    // Embed the notebook JSON itself (not a string): the server's json.loads keeps floats as floats
    // and nbformat writes exactly these bytes.
    const body = `{"type": "notebook", "format": "json", "content": ${text}}`;
    const model = await this.call<ContentsModel>('PUT', p, what, { body });
    const version = { lastModified: model.last_modified };
    this.seen.set(p, version);
    return version;
  }

  async save(path: string, notebook: Notebook, options: SaveOptions = {}): Promise<NotebookVersion> {
    const p = normalizeContentsPath(path);
    serializeNotebook(notebook); // fail on an invalid model before any request
    if (!options.force) {
      const cur = await this.stat(p);
      if (!cur && options.expectedVersion) {
        throw new NotebookError(
          'CONFLICT',
          `'${p}' was deleted or moved on the Jupyter Server since it was read. Save with force to write it again, or create it anew.`,
          { path: p },
        );
      }
      if (cur) {
        const expected = options.expectedVersion ?? this.seen.get(p);
        if (!expected) {
          throw new NotebookError(
            'CONFLICT',
            `Refusing to overwrite '${p}': it exists on the server and was not read through this store. Read it first, or save with force.`,
            { path: p },
          );
        }
        if (cur.last_modified !== expected.lastModified) {
          throw new NotebookError(
            'CONFLICT',
            `'${p}' changed on the Jupyter Server since it was read (last modified ${cur.last_modified}, expected ${expected.lastModified}). ` +
              'Read it again and re-apply the change, or save with force to overwrite the other change.',
            { path: p },
          );
        }
      }
    }
    return this.put(p, notebook, `save '${p}'`);
  }

  async create(
    path: string,
    notebook: Notebook,
    options: { overwrite?: boolean } = {},
  ): Promise<NotebookVersion> {
    const p = normalizeContentsPath(path);
    serializeNotebook(notebook);
    if (!options.overwrite && (await this.stat(p))) {
      throw new NotebookError(
        'ALREADY_EXISTS',
        `'${p}' already exists on the Jupyter Server. Choose another name or pass overwrite.`,
        {
          path: p,
        },
      );
    }
    return this.put(p, notebook, `create '${p}'`);
  }

  async rename(from: string, to: string): Promise<void> {
    const a = normalizeContentsPath(from);
    const b = normalizeContentsPath(to);
    if (await this.stat(b)) {
      throw new NotebookError('ALREADY_EXISTS', `Cannot rename to '${b}': it already exists.`, { path: b });
    }
    await this.call('PATCH', a, `rename '${a}'`, { body: { path: b } });
    const v = this.seen.get(a);
    this.seen.delete(a);
    if (v) this.seen.set(b, v);
  }

  async delete(path: string): Promise<void> {
    const p = normalizeContentsPath(path);
    if (p === '') throw new NotebookError('INVALID_PATH', 'Refusing to delete the server root.', { path: p });
    await this.call('DELETE', p, `delete '${p}'`);
    this.seen.delete(p);
  }

  /**
   * A file that is not read as a notebook (data, scripts, images): its text when the server can decode
   * it as UTF-8, else its bytes as base64, with the server's mimetype and modification time.
   */
  async readFile(path: string): Promise<FileContent> {
    const p = normalizeContentsPath(path);
    const model = await this.call<ContentsModel & { mimetype?: string | null }>('GET', p, `read '${p}'`, {
      query: { type: 'file', content: '1' },
    });
    if (model.type === 'directory' || typeof model.content !== 'string')
      throw new NotebookError('INVALID_PATH', `'${p}' is a directory, not a file.`, { path: p });
    return {
      path: p,
      content: model.content,
      format: model.format === 'base64' ? 'base64' : 'text',
      mimetype: model.mimetype ?? undefined,
      lastModified: model.last_modified,
    };
  }

  async list(dirPath: string, options: { offset?: number; limit?: number } = {}): Promise<ListResult> {
    const p = normalizeContentsPath(dirPath);
    let model: ContentsModel;
    try {
      model = await this.call<ContentsModel>('GET', p, `list '${p}'`, {
        query: { type: 'directory', content: '1' },
      });
    } catch (err) {
      if (err instanceof JupyterHttpError && err.status === 400) {
        throw new NotebookError('INVALID_PATH', `'${p}' is not a directory.`, { path: p, cause: err });
      }
      throw err;
    }
    if (model.type !== 'directory' || !Array.isArray(model.content)) {
      throw new NotebookError('INVALID_PATH', `'${p}' is not a directory.`, { path: p });
    }
    const all: StoreEntry[] = (model.content as ContentsModel[]).map((m) => {
      const e: StoreEntry = { name: m.name, path: m.path, type: m.type };
      if (m.last_modified) e.lastModified = m.last_modified;
      if (typeof m.size === 'number') e.size = m.size;
      return e;
    });
    return paginate(all, options);
  }
}
