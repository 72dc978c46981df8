import { ContentsStore, type Notebook, serializeNotebook } from '@jupyter-mcp/notebook-model';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ToolDeps } from '../deps.js';
import { ToolError } from '../errors.js';
import { errorText, toToolError } from '../internal/convert.js';
import { notebookFiles } from '../internal/documents.js';
import type { FileEntry, NotebookFiles } from '../internal/notebooks.js';
import { cellMarkdown, notebookMarkdown } from '../render/notebook-markdown.js';
import { setRawHandler, stringParam } from './raw-handler.js';
import {
  mimeTypeOf,
  parseResourceUri,
  RESOURCE_TEMPLATES,
  type ResourceRequest,
  resourceUri,
} from './resource-uris.js';
import { ErrorCode, rpcError } from './rpc-error.js';

/** Default largest resource read (1 MiB): `--resource-limit`. */
export const DEFAULT_RESOURCE_LIMIT = 1024 * 1024;
/** Resources per `resources/list` page. */
export const RESOURCE_PAGE_SIZE = 100;
/** How deep `resources/list` descends under the root, and how many files it lists at most. */
const LIST_DEPTH = 6;
const LIST_MAX = 10_000;

type Content =
  | { uri: string; mimeType: string; text: string }
  | { uri: string; mimeType: string; blob: string };

/** Every file under the root (hidden ones left out, as Jupyter does), notebooks first, by path. */
export async function walkRoot(deps: ToolDeps, filter?: (e: FileEntry) => boolean): Promise<FileEntry[]> {
  const files = notebookFiles(deps, await deps.jupyter.connection());
  const out: FileEntry[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    for (const e of await files.list(dir)) {
      if (e.name.startsWith('.') || out.length >= LIST_MAX) continue;
      if (e.type === 'directory') {
        if (depth < LIST_DEPTH) await walk(e.path, depth + 1);
      } else if (!filter || filter(e)) out.push(e);
    }
  };
  await walk('', 1);
  return out.sort(
    (a, b) => Number(b.type === 'notebook') - Number(a.type === 'notebook') || a.path.localeCompare(b.path),
  );
}

/**
 * Notebooks and files under the Jupyter root as MCP resources: `resources/list` (paged),
 * `resources/templates/list`, `resources/read` — a notebook as nbformat JSON up to the resource limit,
 * its markdown view beyond it (and on request), one cell or a range of cells. The root confinement of
 * the tools applies (a URI outside the root is refused).
 */
export function installResourceHandlers(server: Server, deps: ToolDeps): void {
  setRawHandler(server, 'resources/list', async (params) => listPage(deps, params.cursor));
  setRawHandler(server, 'resources/templates/list', () => ({ resourceTemplates: RESOURCE_TEMPLATES }));
  setRawHandler(server, 'resources/read', async (params) => {
    const uri = stringParam(params, 'uri', 'resources/read');
    const req = parseResourceUri(uri, deps.settings.root);
    try {
      return { contents: [await readResource(deps, uri, req)] };
    } catch (err) {
      throw resourceError(err, uri, deps);
    }
  });
}

async function listPage(deps: ToolDeps, cursor: unknown): Promise<unknown> {
  let offset = 0;
  if (cursor !== undefined) {
    offset = typeof cursor === 'string' && /^o\d+$/.test(cursor) ? Number(cursor.slice(1)) : -1;
    if (offset < 0)
      throw rpcError(
        ErrorCode.InvalidParams,
        'Invalid params: unknown cursor (pass the nextCursor of the last page).',
      );
  }
  let all: FileEntry[];
  try {
    all = await walkRoot(deps);
  } catch (err) {
    throw resourceError(err, 'jupyter:///', deps);
  }
  const page = all.slice(offset, offset + RESOURCE_PAGE_SIZE);
  const next = offset + page.length < all.length ? `o${offset + page.length}` : undefined;
  return {
    resources: page.map((e) => ({
      uri: resourceUri(e.path),
      name: e.path,
      title: e.name,
      mimeType: mimeTypeOf(e.path),
      ...(e.size != null ? { size: e.size } : {}),
      ...(e.last_modified ? { annotations: { lastModified: e.last_modified } } : {}),
    })),
    ...(next ? { nextCursor: next } : {}),
  };
}

async function readResource(deps: ToolDeps, uri: string, req: ResourceRequest): Promise<Content> {
  const conn = await deps.jupyter.connection();
  const limit = deps.settings.resourceLimitBytes ?? DEFAULT_RESOURCE_LIMIT;
  if (!req.path.endsWith('.ipynb')) {
    if (req.view !== 'raw')
      throw new ToolError('INVALID_ARGUMENT', `'${req.path}' is not a notebook.`, {
        hint: 'Views and cells are for notebooks (.ipynb); read the file itself without a query.',
      });
    await checkFileSize(notebookFiles(deps, conn), req.path, limit);
    return readFile(new ContentsStore({ connection: conn }), uri, req.path, limit);
  }
  const { notebook, size } = await notebookFiles(deps, conn).read(req.path);
  const more = (first: number, last: number) => resourceUri(req.path, `cells=${first}-${last}`);
  if (req.cell !== undefined) return markdown(uri, cellView(notebook, req.cell, req.path));
  if (req.cells)
    return markdown(uri, notebookMarkdown(notebook, { path: req.path, range: req.cells, limit, more }));
  if (req.view === 'raw' && size <= limit)
    return { uri, mimeType: 'application/x-ipynb+json', text: serializeNotebook(notebook) };
  const note =
    req.view === 'raw'
      ? `> This notebook is ${mb(size)}, over the resource limit of ${mb(limit)}: this is its markdown view (sources, outputs as text). Read ranges of cells with ${resourceUri(req.path, 'cells=<first>-<last>')}.\n\n`
      : '';
  return markdown(
    uri,
    note + notebookMarkdown(notebook, { path: req.path, limit: limit - note.length, more }),
  );
}

function cellView(nb: Notebook, ref: string, path: string): string {
  const index =
    /^\d+$/.test(ref) && !nb.cells.some((c) => c.id === ref)
      ? Number(ref)
      : nb.cells.findIndex((c) => c.id === ref);
  const cell = nb.cells[index];
  if (index < 0 || !cell)
    throw new ToolError('NOT_FOUND', `No cell '${ref}' in '${path}' (${nb.cells.length} cells).`, {
      hint: 'Use a cell id or a 0-based index from the notebook.',
    });
  return cellMarkdown(cell, index, nb.language ?? 'python', path);
}

/** Refuse a directory, or a file over the limit before reading it (its size from the listing). */
async function checkFileSize(files: NotebookFiles, path: string, limit: number): Promise<void> {
  const slash = path.lastIndexOf('/');
  const entry = (await files.list(slash < 0 ? '' : path.slice(0, slash))).find((e) => e.path === path);
  if (!entry)
    throw new ToolError('NOT_FOUND', `'${path}' does not exist under the Jupyter root.`, {
      hint: 'resources/list shows the files.',
    });
  if (entry.type === 'directory')
    throw new ToolError('INVALID_ARGUMENT', `'${path}' is a directory.`, {
      hint: 'resources/list lists the files under the root.',
    });
  if (entry.size != null && entry.size > limit) throw overLimit(path, entry.size, limit);
}

function overLimit(path: string, bytes: number, limit: number): ToolError {
  return new ToolError(
    'INVALID_ARGUMENT',
    `'${path}' is ${mb(bytes)}, over the resource limit of ${mb(limit)}.`,
    {
      hint: 'Read part of it with execute_code, or ask the operator to raise --resource-limit.',
    },
  );
}

async function readFile(store: ContentsStore, uri: string, path: string, limit: number): Promise<Content> {
  const f = await store.readFile(path);
  const bytes = f.format === 'base64' ? Math.floor((f.content.length * 3) / 4) : Buffer.byteLength(f.content);
  if (bytes > limit) throw overLimit(path, bytes, limit);
  const mimeType = mimeTypeOf(path, f.mimetype);
  return f.format === 'base64' ? { uri, mimeType, blob: f.content } : { uri, mimeType, text: f.content };
}

function markdown(uri: string, text: string): Content {
  return { uri, mimeType: 'text/markdown', text };
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** A failed read as a JSON-RPC error: -32002 not found, -32602 a bad request, -32603 otherwise. */
export function resourceError(err: unknown, uri: string, deps: ToolDeps) {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'number') return err;
  const te = toToolError(err);
  const text = (deps.redact ?? ((t: string) => t))(errorText(te)).replace(/\n/g, ' ');
  if (te.code === 'NOT_FOUND') return rpcError(-32002 as ErrorCode, `Resource not found: ${text}`, { uri });
  if (['PATH_OUTSIDE_ROOT', 'INVALID_ARGUMENT', 'INVALID_NOTEBOOK', 'NOTEBOOK_TOO_LARGE'].includes(te.code))
    return rpcError(ErrorCode.InvalidParams, text);
  if (te.code === 'INTERNAL') deps.logger.error(`resources: ${(err as Error)?.stack ?? String(err)}`);
  return rpcError(ErrorCode.InternalError, text);
}
