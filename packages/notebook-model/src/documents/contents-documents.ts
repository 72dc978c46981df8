import { NotebookError } from '../errors.js';
import {
  type ContentsConnection,
  type ContentsModel,
  contentsCall,
  normalizeContentsPath,
  putNotebookText,
  readContentsText,
  statContents,
  versionOf,
  withPath,
} from '../internal/contents-api.js';
import { sameVersion } from '../internal/local-files.js';
import { type Notebook, notebookFromData } from '../notebook.js';
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

export interface ContentsDocumentsOptions {
  /** An authenticated connection to the Jupyter Server. */
  connection: ContentsConnection;
  /** The process's per-path queue (default: a queue of this object's own). */
  queue?: PathQueue;
  /** Largest notebook read, in bytes (default 100 MiB): bigger ones fail with `NOTEBOOK_TOO_LARGE`. */
  maxNotebookSize?: number;
  /** Memory for the texts of recently saved notebooks, reused by the next update (default 32 MiB). */
  cacheBytes?: number;
}

interface Loaded extends NotebookSnapshot {
  version: NotebookVersion;
}

/**
 * Notebooks through the Jupyter Server's Contents API. Every update of a path is queued behind the
 * previous one; it reads the file (or reuses the text this object last saved, when `last_modified` and
 * size still match), applies the change, validates, checks the file again right before the PUT and
 * refuses with `CONFLICT` when someone else changed it in between. The PUT itself is not conditional
 * (the Contents API has no such request): a save landing between that last check and our PUT, or one
 * written within the same file-timestamp tick as ours, cannot be detected.
 */
export class ContentsDocuments implements NotebookDocuments {
  readonly mode = 'contents' as const;
  readonly #conn: ContentsConnection;
  readonly #queue: PathQueue;
  readonly #max: number;
  readonly #cacheBytes: number;
  readonly #cache = new Map<string, { version: NotebookVersion; text: string }>();
  #cached = 0;
  readonly #inflight = new Inflight();

  constructor(options: ContentsDocumentsOptions) {
    if (!options?.connection) {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        'ContentsDocuments needs { connection }: a JupyterConnection.',
      );
    }
    this.#conn = options.connection;
    this.#queue = options.queue ?? new PathQueue();
    this.#max = options.maxNotebookSize ?? DEFAULT_MAX_NOTEBOOK_SIZE;
    this.#cacheBytes = options.cacheBytes ?? 32 * 1024 * 1024;
  }

  read(path: string, options: { signal?: AbortSignal } = {}): Promise<NotebookSnapshot> {
    const p = normalizeContentsPath(path);
    return this.#inflight.track(`read '${p}'`, () =>
      this.#queue.shared(p, () => this.#load(p, options.signal, false), options.signal),
    );
  }

  update<T>(
    path: string,
    change: NotebookChange<T>,
    options: { signal?: AbortSignal } = {},
  ): Promise<UpdateResult<T>> {
    const p = normalizeContentsPath(path);
    const { signal } = options;
    return this.#inflight.track(`change '${p}'`, () =>
      this.#queue.exclusive(
        p,
        async () => {
          const cur = await this.#load(p, signal, true);
          const value = applyChange(p, cur.notebook, change);
          const text = serializeForSave(p, cur.notebook);
          throwIfCancelled(p, signal);
          await this.#checkUnchanged(p, cur.version);
          const version = await this.#put(p, text, `save '${p}'`);
          return { value, notebook: cur.notebook, version, size: Buffer.byteLength(text) };
        },
        signal,
      ),
    );
  }

  write(path: string, notebook: Notebook, options: WriteOptions = {}): Promise<WriteResult> {
    const p = normalizeContentsPath(path);
    if (p === '')
      throw new NotebookError('INVALID_PATH', 'A notebook path is needed, not the root.', { path: p });
    const { signal, ifVersion } = options;
    return this.#inflight.track(`write '${p}'`, () =>
      this.#queue.exclusive(
        p,
        async () => {
          const text = serializeForSave(p, notebook);
          const cur = await statContents(this.#conn, p, { hash: Boolean(ifVersion?.hash) });
          if (cur?.type === 'directory')
            throw new NotebookError('INVALID_PATH', `'${p}' is a directory, not a notebook.`, { path: p });
          if (ifVersion) {
            if (!cur) throw conflict(p, 'was deleted or moved');
            if (!sameVersion(ifVersion, versionOf(cur))) {
              this.#forget(p);
              throw conflict(p, `changed (last modified ${cur.last_modified})`);
            }
          } else if (cur && !options.overwrite) {
            throw new NotebookError(
              'ALREADY_EXISTS',
              `'${p}' already exists on the Jupyter Server. Choose another name, or overwrite it.`,
              { path: p },
            );
          }
          if (!cur) await this.#ensureParents(p);
          throwIfCancelled(p, signal);
          const version = await this.#put(p, text, `${cur ? 'save' : 'create'} '${p}'`);
          return { version, size: Buffer.byteLength(text) };
        },
        signal,
      ),
    );
  }

  close(): Promise<void> {
    return this.#inflight.close();
  }

  /** The notebook now (the saved text we hold when the file is still that revision). */
  async #load(p: string, signal: AbortSignal | undefined, useCache: boolean): Promise<Loaded> {
    const st = await statContents(this.#conn, p, signal ? { signal } : {});
    if (!st)
      throw new NotebookError('NOT_FOUND', `No notebook at '${p}' on the Jupyter Server.`, { path: p });
    if (st.type === 'directory')
      throw new NotebookError('INVALID_PATH', `'${p}' is a directory, not a notebook.`, { path: p });
    checkNotebookSize(p, st.size, this.#max);
    const hit = useCache ? this.#cache.get(p) : undefined;
    if (hit && sameVersion(hit.version, versionOf(st))) {
      return {
        notebook: parseAt(p, hit.text),
        size: Buffer.byteLength(hit.text),
        version: hit.version,
        path: p,
      };
    }
    this.#forget(p);
    let model: ContentsModel;
    try {
      model = await readContentsText(this.#conn, p, { hash: true, ...(signal ? { signal } : {}) });
    } catch (err) {
      throw withPath(err, p);
    }
    const version = versionOf(model);
    if (typeof model.content === 'string') {
      const size = Buffer.byteLength(model.content);
      checkNotebookSize(p, size, this.#max);
      version.size ??= size;
      return { notebook: parseAt(p, model.content), size, version, path: p };
    }
    let notebook: Notebook;
    try {
      notebook = notebookFromData(model.content);
    } catch (err) {
      throw withPath(err, p);
    }
    return { notebook, size: typeof st.size === 'number' ? st.size : 0, version, path: p };
  }

  /** `CONFLICT` unless the file is still at `base` (checked right before the write). */
  async #checkUnchanged(p: string, base: NotebookVersion): Promise<void> {
    const now = await statContents(this.#conn, p, { hash: Boolean(base.hash) });
    if (!now) {
      this.#forget(p);
      throw conflict(p, 'was deleted or moved on the Jupyter Server');
    }
    if (!sameVersion(base, versionOf(now))) {
      this.#forget(p);
      throw conflict(p, `changed on the Jupyter Server (last modified ${now.last_modified})`);
    }
  }

  async #put(p: string, text: string, what: string): Promise<NotebookVersion> {
    this.#forget(p);
    const model = await putNotebookText(this.#conn, p, text, what);
    const version = versionOf(model);
    const bytes = Buffer.byteLength(text);
    if (typeof model.size === 'number') version.size = model.size;
    this.#remember(p, version, text, bytes);
    return version;
  }

  #remember(p: string, version: NotebookVersion, text: string, bytes: number): void {
    if (bytes > this.#cacheBytes / 4) return;
    this.#cache.set(p, { version, text });
    this.#cached += bytes;
    for (const [k, v] of this.#cache) {
      if (this.#cached <= this.#cacheBytes) break;
      this.#forget(k, v);
    }
  }

  #forget(p: string, entry = this.#cache.get(p)): void {
    if (!entry) return;
    this.#cache.delete(p);
    this.#cached -= Buffer.byteLength(entry.text);
  }

  async #ensureParents(p: string): Promise<void> {
    const parts = p.split('/').slice(0, -1);
    let dir = '';
    for (const part of parts) {
      dir = dir ? `${dir}/${part}` : part;
      const st = await statContents(this.#conn, dir);
      if (!st) {
        await contentsCall(this.#conn, 'PUT', dir, `create the directory '${dir}'`, {
          body: { type: 'directory' },
        });
      } else if (st.type !== 'directory') {
        throw new NotebookError(
          'INVALID_PATH',
          `Cannot create '${p}': '${dir}' is a file, not a directory.`,
          {
            path: p,
          },
        );
      }
    }
  }
}
