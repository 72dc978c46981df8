import type { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import {
  ContentsStore,
  type Notebook,
  type NotebookChange,
  type NotebookDocuments,
  NotebookError,
  type NotebookVersion,
  type UpdateResult,
  type WriteOptions,
  type WriteResult,
} from '@jupyter-mcp/notebook-model';
import { ToolError } from '../errors.js';

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
  /** The version read (absent for backends without versions). */
  version: NotebookVersion | undefined;
  /** Size of the notebook file in bytes. */
  size: number;
}

/**
 * Notebook and file access for tools: every notebook read and write goes through the process's
 * `NotebookDocuments` (one writer per notebook path), with tool-facing errors (what failed, why, what
 * to do). Directory listings use the Contents API.
 */
export class NotebookFiles {
  readonly #store: ContentsStore;
  readonly documents: NotebookDocuments;
  constructor(connection: JupyterConnection, documents: NotebookDocuments) {
    this.#store = new ContentsStore({ connection });
    this.documents = documents;
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
  async read(path: string, signal?: AbortSignal): Promise<LoadedNotebook> {
    try {
      const r = await this.documents.read(path, signal ? { signal } : {});
      return { notebook: r.notebook, version: r.version, size: r.size };
    } catch (err) {
      throw notebookError(err, path);
    }
  }

  /** Read → change → validate → save as one step, queued behind every other write of the path. */
  async update<T>(path: string, change: NotebookChange<T>, signal?: AbortSignal): Promise<UpdateResult<T>> {
    try {
      return await this.documents.update(path, change, signal ? { signal } : {});
    } catch (err) {
      throw notebookError(err, path);
    }
  }

  /** Create or replace a whole notebook (validated first), in the same queue. */
  async write(path: string, notebook: Notebook, options: WriteOptions = {}): Promise<WriteResult> {
    try {
      return await this.documents.write(path, notebook, options);
    } catch (err) {
      throw notebookError(err, path);
    }
  }
}

/** Tool-facing errors for the notebook access layer's failures (others pass through). */
function notebookError(err: unknown, path: string): unknown {
  if (!(err instanceof NotebookError)) return err;
  switch (err.code) {
    case 'NOT_FOUND':
      return new ToolError('NOT_FOUND', `The notebook '${path}' does not exist on the Jupyter Server.`, {
        hint: 'Check the path (list_files shows the files), or create it with create_notebook.',
        cause: err,
      });
    case 'INVALID_JSON':
    case 'UNSUPPORTED_NBFORMAT':
    case 'INVALID_NOTEBOOK':
      if (err.message.startsWith('Not saved'))
        return new ToolError('INVALID_NOTEBOOK', err.message, {
          hint: 'Fix the cell or key named above and try again (read_notebook shows the notebook).',
          cause: err,
        });
      return new ToolError('INVALID_NOTEBOOK', `'${path}' is not a valid notebook: ${err.message}`, {
        hint: 'The file was left untouched. Fix it in an editor, or replace it with write_notebook (overwrite: true).',
        cause: err,
      });
    case 'CONFLICT':
      return new ToolError(
        'CONFLICT',
        `'${path}' changed on the Jupyter Server while this tool was working (someone else saved it).`,
        { hint: 'Nothing was written. Read the notebook again and redo the change.', cause: err },
      );
    case 'ALREADY_EXISTS':
      return new ToolError('ALREADY_EXISTS', `'${path}' already exists.`, {
        hint: 'Pass overwrite: true to replace it, or choose another path.',
        cause: err,
      });
    default:
      return err;
  }
}
