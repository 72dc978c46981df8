import type { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import {
  ContentsDocuments,
  DEFAULT_MAX_NOTEBOOK_SIZE,
  type NotebookDocuments,
  PathQueue,
} from '@jupyter-mcp/notebook-model';
import type { ToolDeps } from '../deps.js';
import { NotebookFiles } from './notebooks.js';

/** What a `NotebookDocuments` backend is built with (see `ToolDeps.notebookDocuments`). */
export interface DocumentsContext {
  /** The process's one per-path queue: every backend object of these deps shares it. */
  queue: PathQueue;
  /** Largest notebook read, in bytes (`--max-notebook-size`). */
  maxNotebookSize: number;
}

interface Shared {
  queue: PathQueue;
  byConnection: Map<JupyterConnection, NotebookDocuments>;
}
const sharedByDeps = new WeakMap<ToolDeps, Shared>();

function shared(deps: ToolDeps): Shared {
  let s = sharedByDeps.get(deps);
  if (!s) {
    s = { queue: new PathQueue(), byConnection: new Map() };
    sharedByDeps.set(deps, s);
  }
  return s;
}

/**
 * The notebook access object of a connection: one per connection and `ToolDeps` (so every MCP session
 * and background job of the process uses it), all sharing one per-path queue. The app may choose the
 * backend (`deps.notebookDocuments`); the default is the Contents API.
 */
export function documentsFor(deps: ToolDeps, conn: JupyterConnection): NotebookDocuments {
  const s = shared(deps);
  let docs = s.byConnection.get(conn);
  if (!docs) {
    for (const [old, d] of s.byConnection) {
      // A new connection (re-checked or restarted server): the old object finishes what it queued.
      s.byConnection.delete(old);
      void d.close().catch(() => {});
    }
    const ctx: DocumentsContext = {
      queue: s.queue,
      maxNotebookSize: deps.settings.maxNotebookSize ?? DEFAULT_MAX_NOTEBOOK_SIZE,
    };
    docs = deps.notebookDocuments
      ? deps.notebookDocuments(conn, ctx)
      : new ContentsDocuments({ connection: conn, queue: ctx.queue, maxNotebookSize: ctx.maxNotebookSize });
    s.byConnection.set(conn, docs);
  }
  return docs;
}

/** Notebook access for a tool call. */
export function notebookFiles(deps: ToolDeps, conn: JupyterConnection): NotebookFiles {
  return new NotebookFiles(conn, documentsFor(deps, conn));
}

/** Let queued notebook writes finish, then close the access objects (process shutdown). */
export async function closeDocuments(deps: ToolDeps): Promise<void> {
  const s = sharedByDeps.get(deps);
  if (!s) return;
  const all = [...s.byConnection.values()];
  s.byConnection.clear();
  await Promise.all(all.map((d) => d.close().catch(() => {})));
}
