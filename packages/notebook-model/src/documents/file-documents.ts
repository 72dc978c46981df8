import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { NotebookError } from '../errors.js';
import { currentVersion, ioError, isNotFound, sameVersion, writeAtomic } from '../internal/local-files.js';
import type { ResolvedPath } from '../local-root.js';
import type { Notebook } from '../notebook.js';
import { FileStore } from '../stores/file-store.js';
import type { NotebookVersion } from '../stores/types.js';
import {
  applyChange,
  checkNotebookSize,
  conflict,
  DEFAULT_MAX_NOTEBOOK_SIZE,
  Inflight,
  parseAt,
  serializeForSave,
  throwIfCancelled,
} from './common.js';
import { PathQueue } from './path-queue.js';
import type {
  NotebookChange,
  NotebookDocuments,
  NotebookSnapshot,
  UpdateResult,
  WriteOptions,
  WriteResult,
} from './types.js';

export interface FileDocumentsOptions {
  /** Directory all paths are confined to (by real path). */
  root: string;
  /** Accept symlinks inside the root that lead out of it (default false: `PATH_OUTSIDE_ROOT`). */
  followSymlinks?: boolean;
  /** The process's per-path queue (default: a queue of this object's own). */
  queue?: PathQueue;
  /** Largest notebook read, in bytes (default 100 MiB): bigger ones fail with `NOTEBOOK_TOO_LARGE`. */
  maxNotebookSize?: number;
}

interface Current {
  notebook: Notebook;
  version: NotebookVersion;
  mode: number;
  size: number;
}

/**
 * Notebooks on the local disk under `root`, for setups where jupyter-mcp sees the notebooks' disk but
 * no Contents API serves it. Same queue semantics as `ContentsDocuments`; the file is hashed again right
 * before a temp file is renamed over it (`CONFLICT` when someone else changed it), so the window left
 * is the few microseconds between that check and the rename.
 */
export class FileDocuments implements NotebookDocuments {
  readonly mode = 'file' as const;
  readonly store: FileStore;
  readonly #queue: PathQueue;
  readonly #max: number;
  readonly #inflight = new Inflight();

  constructor(options: FileDocumentsOptions) {
    this.store = new FileStore({ root: options?.root, followSymlinks: options?.followSymlinks === true });
    this.#queue = options.queue ?? new PathQueue();
    this.#max = options.maxNotebookSize ?? DEFAULT_MAX_NOTEBOOK_SIZE;
  }

  read(path: string, options: { signal?: AbortSignal } = {}): Promise<NotebookSnapshot> {
    return this.#inflight.track(`read '${path}'`, async () => {
      const r = await this.store.localRoot.resolve(path);
      return this.#queue.shared(
        r.real,
        async () => {
          const cur = await this.#load(r);
          return { notebook: cur.notebook, size: cur.size, version: cur.version, path: r.rel };
        },
        options.signal,
      );
    });
  }

  update<T>(
    path: string,
    change: NotebookChange<T>,
    options: { signal?: AbortSignal } = {},
  ): Promise<UpdateResult<T>> {
    const { signal } = options;
    return this.#inflight.track(`change '${path}'`, async () => {
      const r = await this.store.localRoot.resolve(path);
      return this.#queue.exclusive(
        r.real,
        async () => {
          const cur = await this.#load(r);
          const value = applyChange(r.rel, cur.notebook, change);
          const text = serializeForSave(r.rel, cur.notebook);
          throwIfCancelled(r.rel, signal);
          await this.#checkUnchanged(r, cur.version);
          const version = await writeAtomic(r.real, r.rel, text, cur.mode);
          return { value, notebook: cur.notebook, version, size: version.size ?? Buffer.byteLength(text) };
        },
        signal,
      );
    });
  }

  write(path: string, notebook: Notebook, options: WriteOptions = {}): Promise<WriteResult> {
    const { signal, ifVersion } = options;
    return this.#inflight.track(`write '${path}'`, async () => {
      const r = await this.store.localRoot.resolve(path);
      if (r.rel === '')
        throw new NotebookError('INVALID_PATH', 'A notebook path is needed, not the root.', { path });
      return this.#queue.exclusive(
        r.real,
        async () => {
          const text = serializeForSave(r.rel, notebook);
          const cur = await this.#version(r);
          if (ifVersion) {
            if (!cur) throw conflict(r.rel, 'was deleted or moved');
            if (!sameVersion(ifVersion, cur.version)) throw conflict(r.rel, 'changed on disk');
          } else if (cur && !options.overwrite) {
            throw new NotebookError(
              'ALREADY_EXISTS',
              `'${r.rel}' already exists. Choose another name, or overwrite it.`,
              {
                path: r.rel,
              },
            );
          }
          if (!cur) {
            try {
              await fs.mkdir(nodePath.dirname(r.real), { recursive: true });
            } catch (err) {
              throw ioError('create the directory of', r.rel, err);
            }
          }
          throwIfCancelled(r.rel, signal);
          const version = await writeAtomic(r.real, r.rel, text, cur?.mode);
          return { version, size: version.size ?? Buffer.byteLength(text) };
        },
        signal,
      );
    });
  }

  close(): Promise<void> {
    return this.#inflight.close();
  }

  async #version(r: ResolvedPath) {
    try {
      return await currentVersion(r.real);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EISDIR')
        throw new NotebookError('INVALID_PATH', `'${r.rel}' is a directory, not a notebook.`, {
          path: r.rel,
        });
      throw ioError('read', r.rel, err);
    }
  }

  async #load(r: ResolvedPath): Promise<Current> {
    let size: number;
    try {
      const st = await fs.stat(r.real);
      if (st.isDirectory())
        throw new NotebookError('INVALID_PATH', `'${r.rel}' is a directory, not a notebook.`, {
          path: r.rel,
        });
      size = st.size;
    } catch (err) {
      if (err instanceof NotebookError) throw err;
      if (isNotFound(err))
        throw new NotebookError('NOT_FOUND', `No notebook at '${r.rel}'.`, { path: r.rel });
      throw ioError('read', r.rel, err);
    }
    checkNotebookSize(r.rel, size, this.#max);
    const cur = await this.#version(r);
    if (!cur) throw new NotebookError('NOT_FOUND', `No notebook at '${r.rel}'.`, { path: r.rel });
    checkNotebookSize(r.rel, cur.bytes.length, this.#max);
    const notebook = parseAt(r.rel, cur.bytes.toString('utf8'));
    return { notebook, version: cur.version, mode: cur.mode, size: cur.bytes.length };
  }

  async #checkUnchanged(r: ResolvedPath, base: NotebookVersion): Promise<void> {
    const now = await this.#version(r);
    if (!now) throw conflict(r.rel, 'was deleted or moved');
    if (!sameVersion(base, now.version)) throw conflict(r.rel, 'changed on disk');
  }
}
