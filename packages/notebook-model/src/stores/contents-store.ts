import { type JupyterConnection, JupyterHttpError } from '@jupyter-mcp/jupyter-auth';
import { NotebookError } from '../errors.js';
import {
  type ContentsConnection,
  type ContentsModel,
  contentsCall,
  normalizeContentsPath,
  putNotebookText,
  readContentsText,
  statContents,
  withPath,
} from '../internal/contents-api.js';
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

export { normalizeContentsPath };

export interface ContentsStoreOptions {
  /** An authenticated connection to the Jupyter Server. */
  connection: Pick<JupyterConnection, 'json' | 'request'>;
}

/**
 * Notebooks on a Jupyter Server, through the Contents API (via `@jupyter-mcp/jupyter-auth`). Reads fetch
 * the file's exact text (numbers keep their Python form); saves send the notebook as JSON text the
 * server writes with nbformat, byte-identical to `serializeNotebook`. A change since read is detected by
 * `last_modified` (re-checked with `content=0` right before saving).
 */
export class ContentsStore implements NotebookStore {
  private readonly connection: ContentsConnection;
  private readonly seen = new Map<string, NotebookVersion>();

  constructor(options: ContentsStoreOptions) {
    if (!options?.connection) {
      throw new NotebookError('INVALID_ARGUMENT', 'ContentsStore needs { connection }: a JupyterConnection.');
    }
    this.connection = options.connection;
  }

  private stat(path: string): Promise<ContentsModel | undefined> {
    return statContents(this.connection, path);
  }

  async read(path: string): Promise<ReadResult> {
    const p = normalizeContentsPath(path);
    let model: ContentsModel;
    let notebook: Notebook;
    try {
      model = await readContentsText(this.connection, p);
      notebook =
        typeof model.content === 'string'
          ? parseNotebook(model.content)
          : notebookFromData(structuredClone(model.content));
    } catch (err) {
      throw withPath(err, p);
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
    const model = await putNotebookText(this.connection, p, text, what);
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
        { path: p },
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
    await contentsCall(this.connection, 'PATCH', a, `rename '${a}'`, { body: { path: b } });
    const v = this.seen.get(a);
    this.seen.delete(a);
    if (v) this.seen.set(b, v);
  }

  async delete(path: string): Promise<void> {
    const p = normalizeContentsPath(path);
    if (p === '') throw new NotebookError('INVALID_PATH', 'Refusing to delete the server root.', { path: p });
    await contentsCall(this.connection, 'DELETE', p, `delete '${p}'`);
    this.seen.delete(p);
  }

  /**
   * A file that is not read as a notebook (data, scripts, images): its text when the server can decode
   * it as UTF-8, else its bytes as base64, with the server's mimetype and modification time.
   */
  async readFile(path: string): Promise<FileContent> {
    const p = normalizeContentsPath(path);
    const model = await contentsCall<ContentsModel & { mimetype?: string | null }>(
      this.connection,
      'GET',
      p,
      `read '${p}'`,
      {
        query: { type: 'file', content: '1' },
      },
    );
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
      model = await contentsCall<ContentsModel>(this.connection, 'GET', p, `list '${p}'`, {
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
