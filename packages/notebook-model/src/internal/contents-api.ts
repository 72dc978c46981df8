/** The Contents API calls the notebook stores and documents share (paths, error mapping, text I/O). */
import { type JupyterConnection, JupyterHttpError } from '@jupyter-mcp/jupyter-auth';
import { NotebookError } from '../errors.js';
import type { NotebookVersion } from '../stores/types.js';

export type ContentsConnection = Pick<JupyterConnection, 'json' | 'request'>;
type CallOptions = Parameters<JupyterConnection['json']>[2];

export interface ContentsModel {
  name: string;
  path: string;
  type: 'directory' | 'notebook' | 'file';
  last_modified: string;
  size?: number | null;
  content?: unknown;
  format?: string | null;
  hash?: string | null;
  hash_algorithm?: string | null;
}

/** Normalise a Contents API path; `..` segments are refused (the server root is the store root). */
export function normalizeContentsPath(path: string): string {
  if (typeof path !== 'string' || path.includes('\0')) {
    throw new NotebookError('INVALID_PATH', `Invalid path ${JSON.stringify(path)}.`, { path: String(path) });
  }
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..' || p.includes('\\'))) {
    throw new NotebookError(
      'PATH_OUTSIDE_ROOT',
      `Path '${path}' is outside the Jupyter Server root: use a path relative to the server root without '..' segments.`,
      { path },
    );
  }
  return parts.join('/');
}

export function contentsUrl(path: string): string {
  return `api/contents/${path.split('/').map(encodeURIComponent).join('/')}`.replace(/\/$/, '');
}

/** One Contents API call; 404 → `NOT_FOUND`, 409 → `ALREADY_EXISTS`, other errors unchanged. */
export async function contentsCall<T>(
  connection: ContentsConnection,
  method: string,
  path: string,
  what: string,
  opts: CallOptions = {},
): Promise<T> {
  try {
    return await connection.json<T>(method, contentsUrl(path), opts);
  } catch (err) {
    if (err instanceof JupyterHttpError && err.status === 404) {
      throw new NotebookError(
        'NOT_FOUND',
        `No file or directory at '${path}' on the Jupyter Server (${what}).`,
        {
          path,
          cause: err,
        },
      );
    }
    if (err instanceof JupyterHttpError && err.status === 409) {
      throw new NotebookError(
        'ALREADY_EXISTS',
        `Cannot ${what}: the server reports a conflict (${err.serverMessage}).`,
        {
          path,
          cause: err,
        },
      );
    }
    throw err;
  }
}

/** The model without content (`undefined` when nothing is there). `hash`: ask for the content hash. */
export async function statContents(
  connection: ContentsConnection,
  path: string,
  options: { hash?: boolean; signal?: AbortSignal } = {},
): Promise<ContentsModel | undefined> {
  try {
    return await contentsCall<ContentsModel>(connection, 'GET', path, 'stat', {
      query: options.hash ? { content: '0', hash: '1' } : { content: '0' },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if (err instanceof NotebookError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  }
}

/** The version a model describes (`hash` as `<algorithm>:<hex>` when the server sent one). */
export function versionOf(model: ContentsModel): NotebookVersion {
  const v: NotebookVersion = { lastModified: model.last_modified };
  if (typeof model.hash === 'string' && model.hash)
    v.hash = `${model.hash_algorithm || 'sha256'}:${model.hash}`;
  return v;
}

/** The file's exact text (`type=file&format=text`), or the parsed notebook from servers that cannot. */
export async function readContentsText(
  connection: ContentsConnection,
  path: string,
  options: { hash?: boolean; signal?: AbortSignal } = {},
): Promise<ContentsModel> {
  const extra = {
    ...(options.hash ? { hash: '1' } : {}),
  };
  const signal = options.signal ? { signal: options.signal } : {};
  let model: ContentsModel;
  try {
    model = await contentsCall<ContentsModel>(connection, 'GET', path, 'read', {
      query: { type: 'file', format: 'text', content: '1', ...extra },
      ...signal,
    });
  } catch (err) {
    if (!(err instanceof JupyterHttpError && err.status === 400)) throw err;
    const st = await statContents(connection, path, signal);
    if (st?.type === 'directory') {
      throw new NotebookError('INVALID_PATH', `'${path}' is a directory, not a notebook.`, { path });
    }
    // Contents managers that cannot serve a notebook as text: fall back to the parsed notebook.
    try {
      model = await contentsCall<ContentsModel>(connection, 'GET', path, 'read', {
        query: { type: 'notebook', content: '1', ...extra },
        ...signal,
      });
    } catch (err2) {
      if (!(err2 instanceof JupyterHttpError && err2.status === 400)) throw err2;
      throw new NotebookError(
        'INVALID_NOTEBOOK',
        `The Jupyter Server cannot read '${path}' as a notebook: ${err2.serverMessage || (err as Error).message}. Fix the file (is it UTF-8 JSON?) or restore it from a checkpoint.`,
        { path, cause: err2 },
      );
    }
  }
  if (model.type === 'directory') {
    throw new NotebookError('INVALID_PATH', `'${path}' is a directory, not a notebook.`, { path });
  }
  return model;
}

/** PUT notebook JSON text as a notebook model; the server writes it with nbformat (same bytes). */
export async function putNotebookText(
  connection: ContentsConnection,
  path: string,
  text: string,
  what: string,
): Promise<ContentsModel> {
  // Embed the notebook JSON itself (not a string): the server's json.loads keeps floats as floats
  // and nbformat writes exactly these bytes.
  const body = `{"type": "notebook", "format": "json", "content": ${text}}`;
  return contentsCall<ContentsModel>(connection, 'PUT', path, what, { body });
}

/** Re-throw a parse error with the path in its message (and details). */
export function withPath(err: unknown, path: string): unknown {
  if (err instanceof NotebookError && err.path === undefined) {
    return new NotebookError(err.code, `${path}: ${err.message}`, {
      path,
      cause: err,
      ...(err.cellIndex === undefined ? {} : { cellIndex: err.cellIndex }),
      ...(err.key === undefined ? {} : { key: err.key }),
    });
  }
  return err;
}
