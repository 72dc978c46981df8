/** Pieces every `NotebookDocuments` backend shares: size guard, validation on save, change calls. */
import { NotebookError } from '../errors.js';
import { withPath } from '../internal/contents-api.js';
import { type Notebook, parseNotebook, serializeNotebook } from '../notebook.js';
import type { NotebookChange } from './types.js';

/** Default `maxNotebookSize`: 100 MiB. */
export const DEFAULT_MAX_NOTEBOOK_SIZE = 100 * 1024 * 1024;

/** `1,536 bytes`, `12.3 MB` (MB = 1024² bytes, as the size options count). */
export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${n.toLocaleString('en-US')} bytes`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** `NOTEBOOK_TOO_LARGE` unless `size` ≤ `max`: checked before a notebook is fetched or parsed. */
export function checkNotebookSize(path: string, size: number | null | undefined, max: number): void {
  if (typeof size !== 'number' || size <= max) return;
  throw new NotebookError(
    'NOTEBOOK_TOO_LARGE',
    `'${path}' is ${formatBytes(size)}, more than the ${formatBytes(max)} limit for notebooks (maxNotebookSize); it was not read. ` +
      'Raise the limit to work with it, or make it smaller (clear large outputs in Jupyter, or split it).',
    { path },
  );
}

/** Parse a notebook's text, naming the path in errors. */
export function parseAt(path: string, text: string): Notebook {
  try {
    return parseNotebook(text);
  } catch (err) {
    throw withPath(err, path);
  }
}

/** Run a change on a private copy; a change that returns a promise is a programming error. */
export function applyChange<T>(path: string, notebook: Notebook, change: NotebookChange<T>): T {
  const value = change(notebook);
  if (value instanceof Promise) {
    void value.catch(() => {});
    throw new NotebookError(
      'INVALID_ARGUMENT',
      `The change to '${path}' returned a promise: a change must be synchronous (read what you need first). Nothing was written.`,
      { path },
    );
  }
  return value;
}

/** Validate and serialize what is about to be saved; `INVALID_NOTEBOOK` names the path and the key. */
export function serializeForSave(path: string, notebook: Notebook): string {
  try {
    return serializeNotebook(notebook);
  } catch (err) {
    if (err instanceof NotebookError) {
      throw new NotebookError(
        err.code,
        `Not saved: '${path}' would not be a valid notebook: ${err.message} Nothing was written.`,
        {
          path,
          cause: err,
          ...(err.cellIndex === undefined ? {} : { cellIndex: err.cellIndex }),
          ...(err.key === undefined ? {} : { key: err.key }),
        },
      );
    }
    throw err;
  }
}

/** `CANCELLED` when the signal fired (checked right before the write). */
export function throwIfCancelled(path: string, signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw new NotebookError(
    'CANCELLED',
    `The change to '${path}' was cancelled before it was saved. Nothing was written.`,
    {
      path,
    },
  );
}

export function conflict(path: string, what: string): NotebookError {
  return new NotebookError(
    'CONFLICT',
    `'${path}' ${what} since it was read, so this change was not saved (it would overwrite the other change). Read it again and redo the change.`,
    { path },
  );
}

/** Operations of one backend object, so `close()` can wait for them. */
export class Inflight {
  readonly #ops = new Set<Promise<unknown>>();
  #closed = false;

  track<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (this.#closed)
      return Promise.reject(
        new NotebookError(
          'STORE_ERROR',
          `Cannot ${what}: the notebook access layer was closed (the server is shutting down).`,
        ),
      );
    const p = op();
    this.#ops.add(p);
    const forget = () => this.#ops.delete(p);
    p.then(forget, forget);
    return p;
  }

  async close(): Promise<void> {
    this.#closed = true;
    while (this.#ops.size) await Promise.allSettled([...this.#ops]);
  }
}
