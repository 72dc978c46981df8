import { toApiPath } from '../internal/paths.js';
import { ErrorCode, rpcError } from './rpc-error.js';

/** The URI scheme of files under the Jupyter root: `jupyter:///analysis/report.ipynb`. */
export const RESOURCE_SCHEME = 'jupyter:';

/** The resource templates (their names are what prompts and completion refer to). */
export const RESOURCE_TEMPLATES = [
  {
    name: 'notebook',
    uriTemplate: 'jupyter:///{+path}',
    title: 'Notebook or file',
    description:
      'A notebook as nbformat JSON (the markdown view when it is over the resource limit), or a file, under the Jupyter root.',
  },
  {
    name: 'notebook-markdown',
    uriTemplate: 'jupyter:///{+path}?view=markdown',
    title: 'Notebook as markdown',
    description: 'A notebook rendered as markdown: cell sources and their outputs as text.',
    mimeType: 'text/markdown',
  },
  {
    name: 'cell',
    uriTemplate: 'jupyter:///{+path}?cell={cell}',
    title: 'Notebook cell',
    description: 'One cell (by id, or by 0-based index) with its outputs, as markdown.',
    mimeType: 'text/markdown',
  },
  {
    name: 'cells',
    uriTemplate: 'jupyter:///{+path}?cells={range}',
    title: 'Notebook cells',
    description:
      'A range of cells, first-last inclusive (e.g. 0-19), as markdown: how to read a large notebook.',
    mimeType: 'text/markdown',
  },
] as const;

/** What a resource URI asks for. */
export interface ResourceRequest {
  /** Contents API path (inside the root). */
  path: string;
  view: 'raw' | 'markdown';
  cell?: string;
  cells?: [number, number];
}

/** `jupyter:///a%20b/c.ipynb` for the Contents API path `a b/c.ipynb` (plus a query when given). */
export function resourceUri(path: string, query = ''): string {
  const encoded = path
    .split('/')
    .filter(Boolean)
    .map((s) => encodeURIComponent(s))
    .join('/');
  return `jupyter:///${encoded}${query ? `?${query}` : ''}`;
}

/**
 * Parse a resource URI (refusing what is not ours, and paths outside the root as tools do). Errors are
 * JSON-RPC -32602 with what is wrong and the accepted forms.
 */
export function parseResourceUri(uri: string, root: string | undefined): ResourceRequest {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalid(`"${clip(uri)}" is not a URI.`);
  }
  if (url.protocol !== RESOURCE_SCHEME || url.host !== '')
    throw invalid(`"${clip(uri)}" is not a resource of this server.`);
  let raw: string;
  try {
    raw = decodeURIComponent(url.pathname);
  } catch {
    throw invalid(`"${clip(uri)}" has a badly encoded path.`);
  }
  let path: string;
  try {
    path = toApiPath(raw.replace(/^\/+/, ''), root);
  } catch (err) {
    throw invalid((err as Error).message);
  }
  if (!path) throw invalid('The URI names the root directory, not a file; resources/list lists the files.');
  const req: ResourceRequest = { path, view: 'raw' };
  const view = url.searchParams.get('view');
  const cell = url.searchParams.get('cell');
  const cells = url.searchParams.get('cells');
  if (view !== null && view !== 'markdown')
    throw invalid(`Unknown view "${clip(view)}": the only view is "markdown".`);
  if (view === 'markdown') req.view = 'markdown';
  if (cell !== null) {
    if (!cell) throw invalid('"cell" is empty: pass a cell id or a 0-based index.');
    req.view = 'markdown';
    req.cell = cell;
  }
  if (cells !== null) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(cells);
    if (!m || Number(m[2] ?? m[1]) < Number(m[1]))
      throw invalid(`"cells=${clip(cells)}" is not a range: pass first-last, e.g. cells=0-19.`);
    req.view = 'markdown';
    req.cells = [Number(m[1]), Number(m[2] ?? m[1])];
  }
  return req;
}

function invalid(message: string) {
  return rpcError(
    ErrorCode.InvalidParams,
    `Invalid resource URI: ${message} Resources are jupyter:///<path>, optionally with ?view=markdown, ?cell=<id or index> or ?cells=<first>-<last>.`,
  );
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/** The MIME type of a file path (by extension; the server's guess wins when it has one). */
export function mimeTypeOf(path: string, serverGuess?: string): string {
  if (path.endsWith('.ipynb')) return 'application/x-ipynb+json';
  if (serverGuess) return serverGuess;
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return MIME_BY_EXTENSION[ext] ?? 'application/octet-stream';
}

const MIME_BY_EXTENSION: Record<string, string> = {
  py: 'text/x-python',
  r: 'text/x-r',
  jl: 'text/x-julia',
  md: 'text/markdown',
  txt: 'text/plain',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  toml: 'application/toml',
  html: 'text/html',
  sql: 'application/sql',
  sh: 'text/x-shellscript',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  parquet: 'application/vnd.apache.parquet',
};
