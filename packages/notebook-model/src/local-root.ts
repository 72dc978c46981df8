import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { NotebookError } from './errors.js';
import { ioError, isNotFound } from './internal/local-files.js';

export interface LocalRootOptions {
  /** Accept symlinks inside the root that lead out of it (default false). */
  followSymlinks?: boolean;
}

/** A path checked against the root. */
export interface ResolvedPath {
  /** Absolute path as given (symlinks not followed). */
  abs: string;
  /** Relative to the root, `/`-separated (`''` for the root itself): the path to use with Jupyter. */
  rel: string;
  /** Absolute real path: every existing symlink followed (for a new file: its parent's real path). */
  real: string;
}

const MAX_LINKS = 40;

function inside(root: string, p: string): string | undefined {
  const r = nodePath.relative(root, p);
  if (r === '') return '';
  if (r.startsWith(`..${nodePath.sep}`) || r === '..' || nodePath.isAbsolute(r)) return undefined;
  return r;
}

/**
 * The real path of `abs`: symlinks followed, including a dangling final link (its target is where a
 * write would land); for parts that do not exist yet, the real path of the deepest existing ancestor.
 */
export async function realPathOf(abs: string, links = 0): Promise<string> {
  try {
    return await fs.realpath(abs);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  let st: import('node:fs').Stats | undefined;
  try {
    st = await fs.lstat(abs);
  } catch (err) {
    if (!isNotFound(err) && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
  }
  const parent = nodePath.dirname(abs);
  if (st?.isSymbolicLink()) {
    if (links >= MAX_LINKS) throw Object.assign(new Error(`too many symlinks at ${abs}`), { code: 'ELOOP' });
    const dir = await realPathOf(parent, links);
    return realPathOf(nodePath.resolve(dir, await fs.readlink(abs)), links + 1);
  }
  if (parent === abs) return abs;
  return nodePath.join(await realPathOf(parent, links), nodePath.basename(abs));
}

/**
 * The local root: the directory on this machine that notebook paths are confined to. A path is inside
 * when its real path is (every symlink followed; for a new file, its parent's real path), unless
 * `followSymlinks`, which accepts links inside the root that lead out of it.
 */
export class LocalRoot {
  /** Absolute root directory. */
  readonly path: string;
  readonly followSymlinks: boolean;
  #real: Promise<string> | undefined;

  constructor(root: string, options: LocalRootOptions = {}) {
    if (typeof root !== 'string' || root === '') {
      throw new NotebookError('INVALID_ARGUMENT', 'A local root needs a directory path.');
    }
    this.path = nodePath.resolve(root);
    this.followSymlinks = options.followSymlinks === true;
  }

  /** The root's own real path. */
  realRoot(): Promise<string> {
    this.#real ??= fs.realpath(this.path).catch((err: unknown) => {
      this.#real = undefined;
      throw ioError('open the root directory', this.path, err);
    });
    return this.#real;
  }

  /**
   * Check a path (relative to the root, or absolute) and resolve it. Throws `PATH_OUTSIDE_ROOT` when it
   * leaves the root (by `..`, an absolute path elsewhere, or a symlink leading out), `INVALID_PATH` for
   * a malformed one.
   */
  async resolve(path: string): Promise<ResolvedPath> {
    if (typeof path !== 'string' || path.includes('\0')) {
      throw new NotebookError('INVALID_PATH', `Invalid path ${JSON.stringify(path)}.`, {
        path: String(path),
      });
    }
    const outside = (how: string) =>
      new NotebookError(
        'PATH_OUTSIDE_ROOT',
        `Path '${path}' is outside the notebook root ${this.path} (${how}). Use a path inside the root${this.followSymlinks ? '' : ', without links that lead out of it'}.`,
        { path },
      );
    const abs = nodePath.resolve(this.path, path);
    const realRoot = await this.realRoot();
    let real: string;
    try {
      real = await realPathOf(abs);
    } catch (err) {
      throw ioError('resolve', path, err);
    }
    let rel = inside(this.path, abs);
    if (rel === undefined) {
      // An absolute path may name the root through another spelling (a symlinked /tmp, say).
      rel = inside(realRoot, abs) ?? inside(realRoot, real);
      if (rel === undefined)
        throw outside(nodePath.isAbsolute(path) ? 'an absolute path elsewhere' : "'..' leads out");
      if (!this.followSymlinks && inside(realRoot, real) === undefined) throw outside('a symlink leads out');
      return { abs, rel: rel.split(nodePath.sep).join('/'), real };
    }
    if (!this.followSymlinks && inside(realRoot, real) === undefined) throw outside('a symlink leads out');
    return { abs, rel: rel.split(nodePath.sep).join('/'), real };
  }
}
