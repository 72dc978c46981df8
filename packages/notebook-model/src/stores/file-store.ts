import { constants, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { NotebookError } from '../errors.js';
import { currentVersion, ioError, isNotFound, sameVersion, writeAtomic } from '../internal/local-files.js';
import { LocalRoot } from '../local-root.js';
import { type Notebook, parseNotebook, serializeNotebook } from '../notebook.js';
import type {
  ListResult,
  NotebookStore,
  NotebookVersion,
  ReadResult,
  SaveOptions,
  StoreEntry,
} from './types.js';

export interface FileStoreOptions {
  /** Directory all paths are confined to. */
  root: string;
  /** Allow symlinks inside the root that lead out of it (default false: `PATH_OUTSIDE_ROOT`). */
  followSymlinks?: boolean;
}

/**
 * Notebooks on the local disk under `root`. Saves write a temp file in the same directory, fsync it and
 * rename it over the target, so a failed save leaves the old file intact. A change since read is
 * detected by content hash (reported with the file's mtime).
 */
export class FileStore implements NotebookStore {
  readonly root: string;
  readonly followSymlinks: boolean;
  /** The confinement rules (shared with `FileDocuments`). */
  readonly localRoot: LocalRoot;
  private readonly seen = new Map<string, NotebookVersion>();

  constructor(options: FileStoreOptions) {
    if (!options || typeof options.root !== 'string' || options.root === '') {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        'FileStore needs { root }: the directory notebooks live in.',
      );
    }
    this.root = nodePath.resolve(options.root);
    this.followSymlinks = options.followSymlinks === true;
    this.localRoot = new LocalRoot(this.root, { followSymlinks: this.followSymlinks });
  }

  /** Resolve a store path to an absolute path inside the root (symlinks leading out are refused). */
  async resolve(path: string): Promise<{ abs: string; rel: string; real: string }> {
    return this.localRoot.resolve(path);
  }

  async read(path: string): Promise<ReadResult> {
    const { abs, rel } = await this.resolve(path);
    let cur: Awaited<ReturnType<typeof currentVersion>>;
    try {
      cur = await currentVersion(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EISDIR') {
        throw new NotebookError('INVALID_PATH', `'${rel}' is a directory, not a notebook.`, { path: rel });
      }
      throw ioError('read', rel, err);
    }
    if (!cur)
      throw new NotebookError('NOT_FOUND', `No notebook at '${rel}' (under ${this.root}).`, { path: rel });
    let notebook: Notebook;
    try {
      notebook = parseNotebook(cur.bytes.toString('utf8'));
    } catch (err) {
      if (err instanceof NotebookError) {
        throw new NotebookError(err.code, `${rel}: ${err.message}`, {
          path: rel,
          cause: err,
          ...(err.cellIndex === undefined ? {} : { cellIndex: err.cellIndex }),
          ...(err.key === undefined ? {} : { key: err.key }),
        });
      }
      throw err;
    }
    this.seen.set(rel, cur.version);
    return { notebook, version: cur.version, path: rel };
  }

  async exists(path: string): Promise<boolean> {
    const { abs } = await this.resolve(path);
    try {
      await fs.access(abs, constants.F_OK);
      return true;
    } catch {
      return false;
    }
  }

  async save(path: string, notebook: Notebook, options: SaveOptions = {}): Promise<NotebookVersion> {
    // Writes go to the real file: renaming over a symlink would replace the link.
    const { real: abs, rel } = await this.resolve(path);
    const text = serializeNotebook(notebook); // validates first: nothing is written for a bad model
    const cur = await currentVersion(abs).catch((err) => {
      throw ioError('read', rel, err);
    });
    if (!cur && !options.force && options.expectedVersion) {
      throw new NotebookError(
        'CONFLICT',
        `'${rel}' was deleted or moved since it was read. Save with force to write it again, or create it anew.`,
        { path: rel },
      );
    }
    if (cur && !options.force) {
      const expected = options.expectedVersion ?? this.seen.get(rel);
      if (!expected) {
        throw new NotebookError(
          'CONFLICT',
          `Refusing to overwrite '${rel}': it exists and was not read through this store. Read it first (and re-apply your change), or save with force.`,
          { path: rel },
        );
      }
      if (!sameVersion(expected, cur.version)) {
        throw new NotebookError(
          'CONFLICT',
          `'${rel}' changed on disk since it was read (modified ${cur.version.lastModified}, expected ${expected.lastModified}). ` +
            'Read it again and re-apply the change, or save with force to overwrite the other change.',
          { path: rel },
        );
      }
    }
    const version = await writeAtomic(abs, rel, text, cur?.mode);
    this.seen.set(rel, version);
    return version;
  }

  async create(
    path: string,
    notebook: Notebook,
    options: { overwrite?: boolean } = {},
  ): Promise<NotebookVersion> {
    const { real: abs, rel } = await this.resolve(path);
    const text = serializeNotebook(notebook);
    if (!options.overwrite && (await this.exists(rel))) {
      throw new NotebookError(
        'ALREADY_EXISTS',
        `'${rel}' already exists. Choose another name or pass overwrite.`,
        { path: rel },
      );
    }
    try {
      await fs.mkdir(nodePath.dirname(abs), { recursive: true });
    } catch (err) {
      throw ioError('create the directory of', rel, err);
    }
    const version = await writeAtomic(abs, rel, text, undefined);
    this.seen.set(rel, version);
    return version;
  }

  async rename(from: string, to: string): Promise<void> {
    const a = await this.resolve(from);
    const b = await this.resolve(to);
    if (!(await this.exists(a.rel)))
      throw new NotebookError('NOT_FOUND', `No file at '${a.rel}' to rename.`, { path: a.rel });
    if (await this.exists(b.rel)) {
      throw new NotebookError('ALREADY_EXISTS', `Cannot rename to '${b.rel}': it already exists.`, {
        path: b.rel,
      });
    }
    try {
      await fs.mkdir(nodePath.dirname(b.abs), { recursive: true });
      await fs.rename(a.abs, b.abs);
    } catch (err) {
      throw ioError('rename', a.rel, err);
    }
    const v = this.seen.get(a.rel);
    this.seen.delete(a.rel);
    if (v) this.seen.set(b.rel, v);
  }

  async delete(path: string): Promise<void> {
    const { abs, rel } = await this.resolve(path);
    if (rel === '')
      throw new NotebookError('INVALID_PATH', 'Refusing to delete the store root.', { path: rel });
    try {
      await fs.rm(abs, { recursive: false });
    } catch (err) {
      if (isNotFound(err))
        throw new NotebookError('NOT_FOUND', `No file at '${rel}' to delete.`, { path: rel });
      if (
        (err as NodeJS.ErrnoException).code === 'ERR_FS_EISDIR' ||
        (err as NodeJS.ErrnoException).code === 'EISDIR'
      ) {
        try {
          await fs.rmdir(abs);
        } catch (e2) {
          throw ioError('delete the directory', rel, e2);
        }
      } else throw ioError('delete', rel, err);
    }
    this.seen.delete(rel);
  }

  async list(dirPath: string, options: { offset?: number; limit?: number } = {}): Promise<ListResult> {
    const { abs, rel } = await this.resolve(dirPath);
    let dirents: import('node:fs').Dirent[];
    try {
      dirents = await fs.readdir(abs, { withFileTypes: true });
    } catch (err) {
      if (isNotFound(err)) throw new NotebookError('NOT_FOUND', `No directory at '${rel}'.`, { path: rel });
      throw ioError('list', rel, err);
    }
    const all: StoreEntry[] = [];
    for (const d of dirents) {
      if (d.name.startsWith('.')) continue;
      const p = rel ? `${rel}/${d.name}` : d.name;
      let isDir = d.isDirectory();
      let st: import('node:fs').Stats | undefined;
      try {
        st = await fs.stat(nodePath.join(abs, d.name));
        isDir = st.isDirectory();
      } catch {
        // Broken symlink: list it as a file without details.
      }
      const type = isDir ? 'directory' : d.name.endsWith('.ipynb') ? 'notebook' : 'file';
      const entry: StoreEntry = { name: d.name, path: p, type };
      if (st) {
        entry.lastModified = st.mtime.toISOString();
        if (!isDir) entry.size = st.size;
      }
      all.push(entry);
    }
    return paginate(all, options);
  }
}

/** Sort (directories first, then by name) and slice a listing. */
export function paginate(all: StoreEntry[], options: { offset?: number; limit?: number }): ListResult {
  const offset = options.offset ?? 0;
  const limit = options.limit ?? 100;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) {
    throw new NotebookError(
      'INVALID_ARGUMENT',
      `offset must be an integer ≥ 0 and limit an integer ≥ 1 (got ${offset}, ${limit}).`,
    );
  }
  all.sort((a, b) =>
    a.type === 'directory' && b.type !== 'directory'
      ? -1
      : b.type === 'directory' && a.type !== 'directory'
        ? 1
        : a.name < b.name
          ? -1
          : a.name > b.name
            ? 1
            : 0,
  );
  const entries = all.slice(offset, offset + limit);
  const result: ListResult = { entries, total: all.length, offset };
  if (offset + entries.length < all.length) result.nextOffset = offset + entries.length;
  return result;
}
