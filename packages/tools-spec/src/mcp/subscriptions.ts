import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ToolDeps } from '../deps.js';
import { ToolError } from '../errors.js';
import { notebookFiles } from '../internal/documents.js';
import type { FileEntry } from '../internal/notebooks.js';
import { setRawHandler, stringParam } from './raw-handler.js';
import { parseResourceUri } from './resource-uris.js';
import { resourceError } from './resources.js';

/** How often subscribed files are checked for changes (`last_modified`), in ms. */
export const SUBSCRIPTION_POLL_MS = 2000;

interface Watched {
  /** Subscribed URIs of this path (views and cells of one notebook change together). */
  uris: Set<string>;
  /** The last `last_modified` seen (null: the file did not exist). */
  lastModified: string | null;
  /** Stops a live watch (collaboration), when the path has one instead of polling. */
  unwatch?: () => void;
}

/**
 * `resources/subscribe` for one MCP session: `notifications/resources/updated` when a subscribed file
 * changes — from a live source when the deps have one (`watchNotebook`, e.g. real-time collaboration),
 * otherwise by polling `last_modified` every `SUBSCRIPTION_POLL_MS` (one directory listing per parent
 * directory). A file that disappears (or comes back) is a change too.
 */
export class ResourceSubscriptions {
  readonly #watched = new Map<string, Watched>();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(
    private readonly server: Server,
    private readonly deps: ToolDeps,
    private readonly pollMs = SUBSCRIPTION_POLL_MS,
  ) {
    setRawHandler(server, 'resources/subscribe', async (params) => {
      await this.subscribe(stringParam(params, 'uri', 'resources/subscribe'));
      return {};
    });
    setRawHandler(server, 'resources/unsubscribe', (params) => {
      this.unsubscribe(stringParam(params, 'uri', 'resources/unsubscribe'));
      return {};
    });
  }

  /** Subscribed URIs (for tests and logs). */
  get uris(): string[] {
    return [...this.#watched.values()].flatMap((w) => [...w.uris]);
  }

  async subscribe(uri: string): Promise<void> {
    const { path } = parseResourceUri(uri, this.deps.settings.root);
    const existing = this.#watched.get(path);
    if (existing) {
      existing.uris.add(uri);
      return;
    }
    let lastModified: string | null;
    try {
      lastModified = (await this.#stat([path])).get(path) ?? null;
    } catch (err) {
      throw resourceError(err, uri, this.deps);
    }
    if (lastModified === null) throw resourceError(notFound(path), uri, this.deps);
    const w: Watched = { uris: new Set([uri]), lastModified };
    const unwatch = this.deps.watchNotebook?.(path, () => this.#notify(w));
    if (unwatch) w.unwatch = unwatch;
    this.#watched.set(path, w);
    this.#schedule();
  }

  unsubscribe(uri: string): void {
    for (const [path, w] of this.#watched) {
      if (!w.uris.delete(uri) || w.uris.size) continue;
      w.unwatch?.();
      this.#watched.delete(path);
    }
    if (!this.#watched.size) this.#stop();
  }

  close(): void {
    for (const w of this.#watched.values()) w.unwatch?.();
    this.#watched.clear();
    this.#stop();
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#poll(), this.pollMs);
    this.#timer.unref();
  }

  #stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    if (this.#polling || !this.server.transport) return;
    this.#polling = true;
    try {
      const polled = [...this.#watched].filter(([, w]) => !w.unwatch);
      if (!polled.length) return;
      const seen = await this.#stat(polled.map(([p]) => p));
      for (const [path, w] of polled) {
        const now = seen.get(path) ?? null;
        if (now === w.lastModified) continue;
        w.lastModified = now;
        this.#notify(w);
      }
    } catch (err) {
      // Jupyter unreachable for a moment: try again at the next tick.
      this.deps.logger.debug(`resource subscriptions: ${(err as Error).message}`);
    } finally {
      this.#polling = false;
    }
  }

  #notify(w: Watched): void {
    for (const uri of w.uris) void this.server.sendResourceUpdated({ uri }).catch(() => {});
  }

  /** `last_modified` of each path, one listing per parent directory (absent: not in the map). */
  async #stat(paths: string[]): Promise<Map<string, string>> {
    const files = notebookFiles(this.deps, await this.deps.jupyter.connection());
    const out = new Map<string, string>();
    const dirs = new Set(paths.map(parentOf));
    for (const dir of dirs) {
      let entries: FileEntry[];
      try {
        entries = await files.list(dir);
      } catch (err) {
        if ((err as { code?: string }).code === 'NOT_FOUND') continue;
        throw err;
      }
      for (const e of entries) if (e.last_modified) out.set(e.path, e.last_modified);
    }
    return out;
  }
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function notFound(path: string): ToolError {
  return new ToolError('NOT_FOUND', `'${path}' does not exist under the Jupyter root.`, {
    hint: 'resources/list shows the files.',
  });
}
