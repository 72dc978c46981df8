/** Local-disk primitives shared by `FileStore` and `FileDocuments`: hashing, versions, atomic writes. */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { NotebookError } from '../errors.js';
import type { NotebookVersion } from '../stores/types.js';

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export function ioError(action: string, path: string, err: unknown): NotebookError {
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

export interface LocalVersion {
  version: NotebookVersion;
  bytes: Buffer;
  /** Permission bits, kept on save. */
  mode: number;
}

/** The file's bytes and version (content hash), or undefined when there is no file. */
export async function currentVersion(abs: string): Promise<LocalVersion | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(abs);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const st = await fs.stat(abs);
  return {
    version: { lastModified: st.mtime.toISOString(), hash: sha256(bytes), size: bytes.length },
    bytes,
    mode: st.mode & 0o7777,
  };
}

/** Two versions of one file are the same revision (hash when both have one, else mtime and size). */
export function sameVersion(expected: NotebookVersion, current: NotebookVersion): boolean {
  if (expected.hash && current.hash) return expected.hash === current.hash;
  if (expected.lastModified !== current.lastModified) return false;
  return expected.size === undefined || current.size === undefined || expected.size === current.size;
}

/**
 * Write `text` to a temp file in the same directory, fsync it and rename it over `abs`, so a failed save
 * leaves the old file intact and readers never see half a file.
 */
export async function writeAtomic(
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
  return { lastModified: st.mtime.toISOString(), hash: sha256(bytes), size: bytes.length };
}
