import { createHash, randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { NotebookError } from '../errors.js';
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
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

function ioError(action: string, path: string, err: unknown): NotebookError {
  const code = (err as NodeJS.ErrnoException)?.code ?? 'unknown';
  return new NotebookError(
    'STORE_ERROR',
    `Could not ${action} '${path}': ${code} (${(err as Error)?.message ?? err}).`,
    {
      path,
      cause: err,
    },
  );
}

/**
 * Notebooks on the local disk under `root`. Saves write a temp file in the same directory, fsync it and
 * rename it over the target, so a failed save leaves the old file intact. A change since read is
 * detected by content hash (reported with the file's mtime).
 */
export class FileStore implements NotebookStore {
  readonly root: string;
  private realRoot: string | undefined;
  private readonly seen = new Map<string, NotebookVersion>();

  constructor(options: FileStoreOptions) {
    if (!options || typeof options.root !== 'string' || options.root === '') {
      throw new NotebookError(
        'INVALID_ARGUMENT',
        'FileStore needs { root }: the directory notebooks live in.',
      );
    }
    this.root = nodePath.resolve(options.root);
  }

  private async rootReal(): Promise<string> {
    if (this.realRoot === undefined) {
      try {
        this.realRoot = await fs.realpath(this.root);
      } catch (err) {
        throw ioError('open the store root', this.root, err);
      }
    }
    return this.realRoot;
  }

  /** Resolve a store path to an absolute path inside the root, following symlinks of existing parts. */
  async resolve(path: string): Promise<{ abs: string; rel: string }> {
    if (typeof path !== 'string' || path.includes('\0')) {
      throw new NotebookError('INVALID_PATH', `Invalid path ${JSON.stringify(path)}.`, {
        path: String(path),
      });
    }
    const outside = () =>
      new NotebookError(
        'PATH_OUTSIDE_ROOT',
        `Path '${path}' is outside the notebook root ${this.root}. Use a path relative to the root without '..' segments or links leading out of it.`,
        { path },
      );
    const abs = nodePath.resolve(this.root, path);
    const rel = nodePath.relative(this.root, abs);
    if (rel.startsWith('..') || nodePath.isAbsolute(rel)) throw outside();
    // Symlinks: the real path of the deepest existing ancestor must stay inside the real root.
    const realRoot = await this.rootReal();
    let probe = abs;
    let rest = '';
    for (;;) {
      try {
        const real = await fs.realpath(probe);
        const full = rest ? nodePath.join(real, rest) : real;
        const r = nodePath.relative(realRoot, full);
        if (r.startsWith('..') || nodePath.isAbsolute(r)) throw outside();
        break;
      } catch (err) {
        if (err instanceof NotebookError) throw err;
        if (!isNotFound(err)) throw ioError('resolve', path, err);
        const parent = nodePath.dirname(probe);
        if (parent === probe) break;
        rest = rest ? nodePath.join(nodePath.basename(probe), rest) : nodePath.basename(probe);
        probe = parent;
      }
    }
    return { abs, rel: rel.split(nodePath.sep).join('/') };
  }

  private async currentVersion(
    abs: string,
  ): Promise<{ version: NotebookVersion; bytes: Buffer; mode: number } | undefined> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(abs);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const st = await fs.stat(abs);
    return {
      version: { lastModified: st.mtime.toISOString(), hash: sha256(bytes) },
      bytes,
      mode: st.mode & 0o7777,
    };
  }

  async read(path: string): Promise<ReadResult> {
    const { abs, rel } = await this.resolve(path);
    let cur: Awaited<ReturnType<FileStore['currentVersion']>>;
    try {
      cur = await this.currentVersion(abs);
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
    const { abs, rel } = await this.resolve(path);
    const text = serializeNotebook(notebook); // validates first: nothing is written for a bad model
    const cur = await this.currentVersion(abs).catch((err) => {
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
      const same = expected.hash
        ? expected.hash === cur.version.hash
        : expected.lastModified === cur.version.lastModified;
      if (!same) {
        throw new NotebookError(
          'CONFLICT',
          `'${rel}' changed on disk since it was read (modified ${cur.version.lastModified}, expected ${expected.lastModified}). ` +
            'Read it again and re-apply the change, or save with force to overwrite the other change.',
          { path: rel },
        );
      }
    }
    const version = await this.writeAtomic(abs, rel, text, cur?.mode);
    this.seen.set(rel, version);
    return version;
  }

  async create(
    path: string,
    notebook: Notebook,
    options: { overwrite?: boolean } = {},
  ): Promise<NotebookVersion> {
    const { abs, rel } = await this.resolve(path);
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
    const version = await this.writeAtomic(abs, rel, text, undefined);
    this.seen.set(rel, version);
    return version;
  }

  private async writeAtomic(
    abs: string,
    rel: string,
    text: string,
    mode: number | undefined,
  ): Promise<NotebookVersion> {
    const bytes = Buffer.from(text, 'utf8');
    const dir = nodePath.dirname(abs);
    const tmp = nodePath.join(dir, `.${nodePath.basename(abs)}.${randomBytes(6).toString('hex')}.tmp`);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(tmp, 'wx', mode ?? 0o644);
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
      handle = undefined;
      if (mode !== undefined) await fs.chmod(tmp, mode);
      await fs.rename(tmp, abs);
    } catch (err) {
      await handle?.close().catch(() => {});
      await fs.rm(tmp, { force: true }).catch(() => {});
      throw ioError('save', rel, err);
    }
    try {
      const d = await fs.open(dir, 'r');
      await d.sync().catch(() => {});
      await d.close();
    } catch {
      // Directory fsync is best effort (not supported everywhere).
    }
    const st = await fs.stat(abs);
    return { lastModified: st.mtime.toISOString(), hash: sha256(bytes) };
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
