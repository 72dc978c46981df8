import type { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import {
  ContentsStore,
  type Notebook,
  NotebookError,
  type NotebookVersion,
  serializeNotebook,
} from '@jupyter-mcp/notebook-model';
import { ToolError } from '../errors.js';
import { encodeApiPath } from './paths.js';

/** One entry of a directory listing. */
export interface FileEntry {
  name: string;
  path: string;
  type: 'notebook' | 'file' | 'directory';
  size: number | null;
  last_modified: string | null;
}

export interface LoadedNotebook {
  notebook: Notebook;
  /** The version read, for conflict detection on save. */
  version: NotebookVersion;
  /** Serialized size in bytes (approximately the file size). */
  size: number;
}

/**
 * Notebook and file access for tools: notebook-model's `ContentsStore` (Contents API) plus the
 * tool-facing errors (what failed, why, what to do) and parent-directory creation.
 */
export class NotebookFiles {
  readonly #conn: JupyterConnection;
  readonly #store: ContentsStore;
  constructor(connection: JupyterConnection) {
    this.#conn = connection;
    this.#store = new ContentsStore({ connection });
  }

  async list(dir: string): Promise<FileEntry[]> {
    try {
      const r = await this.#store.list(dir, { offset: 0, limit: 100_000 });
      return r.entries.map((e) => ({
        name: e.name,
        path: e.path,
        type: e.type,
        size: e.size ?? null,
        last_modified: e.lastModified ?? null,
      }));
    } catch (err) {
      if (err instanceof NotebookError && err.code === 'NOT_FOUND')
        throw new ToolError(
          'NOT_FOUND',
          `The directory '${dir || '/'}' does not exist on the Jupyter Server.`,
          {
            hint: 'Check the path with list_files on its parent directory.',
            cause: err,
          },
        );
      if (err instanceof NotebookError && err.code === 'INVALID_PATH')
        throw new ToolError('INVALID_ARGUMENT', `'${dir}' is a file, not a directory.`, {
          hint: 'Pass a directory to list_files (or its parent directory).',
          cause: err,
        });
      throw err;
    }
  }

  /** Read and parse a notebook. Broken JSON → `INVALID_NOTEBOOK` (the file is left untouched). */
  async read(path: string): Promise<LoadedNotebook> {
    try {
      const r = await this.#store.read(path);
      return {
        notebook: r.notebook,
        version: r.version,
        size: Buffer.byteLength(serializeNotebook(r.notebook)),
      };
    } catch (err) {
      if (!(err instanceof NotebookError)) throw err;
      if (err.code === 'NOT_FOUND')
        throw new ToolError('NOT_FOUND', `The notebook '${path}' does not exist on the Jupyter Server.`, {
          hint: 'Check the path (list_files shows the files), or create it with create_notebook.',
          cause: err,
        });
      if (
        err.code === 'INVALID_JSON' ||
        err.code === 'INVALID_NOTEBOOK' ||
        err.code === 'UNSUPPORTED_NBFORMAT'
      )
        throw new ToolError('INVALID_NOTEBOOK', `'${path}' is not a valid notebook: ${err.message}`, {
          hint: 'The file was left untouched. Fix it in an editor, or replace it with write_notebook (overwrite: true).',
          cause: err,
        });
      throw err;
    }
  }

  /**
   * Validate and save. `expectedVersion`: refuse (CONFLICT) when the file changed since it was read;
   * `mustNotExist`: refuse (ALREADY_EXISTS) when it exists; neither: create or replace.
   */
  async save(
    path: string,
    notebook: Notebook,
    options: { expectedVersion?: NotebookVersion; mustNotExist?: boolean } = {},
  ): Promise<NotebookVersion> {
    try {
      notebook.validate();
    } catch (err) {
      throw new ToolError(
        'INVALID_NOTEBOOK',
        `Not saved: the notebook would be invalid: ${(err as Error).message}`,
        {
          hint: 'Nothing was written. Fix the cells or metadata named above and try again.',
          cause: err,
        },
      );
    }
    try {
      if (options.expectedVersion)
        return await this.#store.save(path, notebook, { expectedVersion: options.expectedVersion });
      await this.#ensureParent(path);
      return await this.#store.create(path, notebook, { overwrite: !options.mustNotExist });
    } catch (err) {
      if (err instanceof NotebookError && err.code === 'CONFLICT')
        throw new ToolError(
          'CONFLICT',
          `'${path}' changed on the Jupyter Server while this tool was working (someone else saved it).`,
          {
            hint: 'Nothing was written. Read the notebook again and redo the change.',
            cause: err,
          },
        );
      if (err instanceof NotebookError && err.code === 'ALREADY_EXISTS')
        throw new ToolError('ALREADY_EXISTS', `'${path}' already exists.`, {
          hint: 'Pass overwrite: true to replace it, or choose another path.',
          cause: err,
        });
      throw err;
    }
  }

  async #ensureParent(path: string): Promise<void> {
    const parts = path.split('/').slice(0, -1);
    let dir = '';
    for (const part of parts) {
      dir = dir ? `${dir}/${part}` : part;
      const res = await this.#conn.request('GET', `api/contents/${encodeApiPath(dir)}`, {
        query: { content: 0 },
        allowStatus: [404],
      });
      if (res.status === 404) {
        await res.arrayBuffer();
        await this.#conn
          .request('PUT', `api/contents/${encodeApiPath(dir)}`, { body: { type: 'directory' } })
          .then((r) => r.arrayBuffer());
        continue;
      }
      const model = (await res.json()) as { type?: string };
      if (model.type !== 'directory')
        throw new ToolError(
          'INVALID_ARGUMENT',
          `Cannot create '${path}': '${dir}' is a file, not a directory.`,
          {
            hint: 'Choose a path whose parent folders are directories.',
          },
        );
    }
  }
}
