import type { Notebook } from '../notebook.js';
import type { NotebookVersion } from '../stores/types.js';

/**
 * Where a `NotebookDocuments` keeps notebooks: the Jupyter Server's Contents API, files on the local
 * disk, or the live shared document of a real-time collaboration room.
 */
export type DocumentsMode = 'contents' | 'file' | 'collaboration';

/** A notebook as read: a private copy the caller may change freely. */
export interface NotebookSnapshot {
  notebook: Notebook;
  /** Size of the notebook file in bytes (UTF-8). */
  size: number;
  /** The revision read (`CONFLICT` checks); absent for backends without one (collaboration). */
  version?: NotebookVersion;
  /** The normalised path. */
  path: string;
}

/** What `update` resolves with once the change is saved. */
export interface UpdateResult<T> {
  /** What the change function returned. */
  value: T;
  /** The notebook as saved (the change's private copy: nobody else holds it). */
  notebook: Notebook;
  /** The revision written, when the backend has versions. */
  version?: NotebookVersion;
  /** Size in bytes of the saved notebook. */
  size: number;
}

export interface WriteOptions {
  /** Replace an existing notebook. Default false: `ALREADY_EXISTS` when something is at the path. */
  overwrite?: boolean;
  /**
   * Replace only if the notebook is still at this revision (`CONFLICT` when it changed or was
   * deleted). Implies overwrite. Use it to save a notebook held across several steps (a notebook run).
   */
  ifVersion?: NotebookVersion;
  signal?: AbortSignal;
}

export interface WriteResult {
  version?: NotebookVersion;
  size: number;
}

/** `change` gets the notebook and returns anything; it must not await (one step, no interleaving). */
export type NotebookChange<T> = (notebook: Notebook) => T;

/**
 * The one way to read and write notebooks. Every writer of a process goes through one object per
 * Jupyter connection (sharing a `PathQueue` across connections), so all changes to one notebook path
 * happen one after another: N parallel `update` calls give N changes on disk, each reply telling the
 * truth. Reads run alongside other reads, never alongside a write of the same path.
 *
 * Errors are `NotebookError`s: `NOT_FOUND`, `INVALID_JSON` / `INVALID_NOTEBOOK` /
 * `UNSUPPORTED_NBFORMAT` (unreadable notebook), `NOTEBOOK_TOO_LARGE` (over `maxNotebookSize`, refused
 * before parsing), `INVALID_NOTEBOOK` (the change would make it invalid: nothing written), `CONFLICT`
 * (changed by someone else between this read and this write), `ALREADY_EXISTS`, `PATH_OUTSIDE_ROOT`,
 * `CANCELLED` (the signal fired before anything was written); anything the change throws is passed on
 * unchanged and nothing is written.
 */
export interface NotebookDocuments {
  readonly mode: DocumentsMode;
  /** Read a notebook (a private copy). */
  read(path: string, options?: { signal?: AbortSignal }): Promise<NotebookSnapshot>;
  /**
   * Read → change → validate → save as one step, queued behind every other write of this path. The
   * change gets a private copy and may throw to abort (nothing is written). Resolves once the change is
   * saved.
   */
  update<T>(
    path: string,
    change: NotebookChange<T>,
    options?: { signal?: AbortSignal },
  ): Promise<UpdateResult<T>>;
  /** Create or replace a whole notebook (validated first), in the same per-path queue. */
  write(path: string, notebook: Notebook, options?: WriteOptions): Promise<WriteResult>;
  /** Let queued operations finish, then refuse new ones. */
  close(): Promise<void>;
}
