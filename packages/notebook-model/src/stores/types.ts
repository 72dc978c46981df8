import type { Notebook } from '../notebook.js';

/** What a store knows about the revision it read or wrote. */
export interface NotebookVersion {
  /** ISO 8601 modification time (Contents API `last_modified`; file mtime). */
  lastModified: string;
  /** Content hash (`sha256:<hex>`) when known (FileStore; Jupyter Server ≥ 2.11 on request). */
  hash?: string;
  /** File size in bytes when known. */
  size?: number;
}

export interface ReadResult {
  notebook: Notebook;
  version: NotebookVersion;
  /** Normalised store path. */
  path: string;
}

export interface SaveOptions {
  /** The version the caller read. Default: the version this store last read or wrote for the path. */
  expectedVersion?: NotebookVersion;
  /** Overwrite even when the notebook changed since it was read. */
  force?: boolean;
}

export interface StoreEntry {
  name: string;
  path: string;
  type: 'directory' | 'notebook' | 'file';
  lastModified?: string;
  size?: number;
}

export interface ListResult {
  entries: StoreEntry[];
  /** Entries in the directory in total. */
  total: number;
  offset: number;
  /** Offset of the next page, absent on the last page. */
  nextOffset?: number;
}

/**
 * Where notebooks live. `save` refuses (`CONFLICT`) to overwrite a notebook changed since it was read,
 * unless `force`. Paths are relative to the store root (`a/b.ipynb`); escaping the root fails with
 * `PATH_OUTSIDE_ROOT`.
 */
export interface NotebookStore {
  read(path: string): Promise<ReadResult>;
  save(path: string, notebook: Notebook, options?: SaveOptions): Promise<NotebookVersion>;
  /** Create a new notebook file; `ALREADY_EXISTS` unless `overwrite`. */
  create(path: string, notebook: Notebook, options?: { overwrite?: boolean }): Promise<NotebookVersion>;
  /** Rename/move; `ALREADY_EXISTS` when the target exists, `NOT_FOUND` when the source does not. */
  rename(from: string, to: string): Promise<void>;
  delete(path: string): Promise<void>;
  /** Directory listing sorted by name (directories first), paginated. */
  list(dirPath: string, options?: { offset?: number; limit?: number }): Promise<ListResult>;
  exists(path: string): Promise<boolean>;
}

/** A file read as it is (ContentsStore.readFile). */
export interface FileContent {
  path: string;
  /** UTF-8 text, or base64 bytes (`format`). */
  content: string;
  format: 'text' | 'base64';
  /** The server's guess (e.g. `text/csv`), when it has one. */
  mimetype?: string;
  lastModified: string;
}
