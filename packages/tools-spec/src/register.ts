import type { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { KernelClient } from '@jupyter-mcp/kernel-client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps, ToolSettings } from './deps.js';
import { JupyterUnavailableError } from './errors.js';
import { errorText, toToolError } from './internal/convert.js';
import { closeDocuments, notebookFiles } from './internal/documents.js';
import { boundText } from './render/text.js';
import { SessionState } from './session.js';
import type { ToolContext, ToolDefinition, ToolResult } from './tool.js';
import { ALL_TOOLS } from './tools/index.js';
import { deleteKernel } from './tools/kernel-common.js';

/** Shared across sessions of one `ToolDeps`: kernel clients per connection (handles are reused). */
interface Shared {
  clients: Map<JupyterConnection, KernelClient>;
}
const sharedByDeps = new WeakMap<ToolDeps, Shared>();

function shared(deps: ToolDeps): Shared {
  let s = sharedByDeps.get(deps);
  if (!s) {
    s = { clients: new Map() };
    sharedByDeps.set(deps, s);
  }
  return s;
}

/** Keep kernel output for notebooks generous; what reaches the model is bounded separately. */
const KERNEL_OUTPUT_LIMITS = { headChars: 500_000, tailChars: 500_000, maxOutputs: 2000 };

export function kernelClientFor(deps: ToolDeps, conn: JupyterConnection): KernelClient {
  const s = shared(deps);
  let c = s.clients.get(conn);
  if (!c) {
    for (const [old, client] of s.clients) {
      // A new connection (re-checked or restarted server): drop clients of the old one.
      s.clients.delete(old);
      void client.close().catch(() => {});
    }
    c = new KernelClient({ connection: conn, logger: deps.logger, outputLimits: KERNEL_OUTPUT_LIMITS });
    s.clients.set(conn, c);
  }
  return c;
}

/** The tools offered under these settings: allowlist, then denylist, then read-only. */
export function selectTools(
  settings: ToolSettings,
  all: readonly ToolDefinition[] = ALL_TOOLS,
): ToolDefinition[] {
  const allow = settings.tools?.length ? new Set(settings.tools) : undefined;
  const deny = new Set(settings.disabledTools ?? []);
  return all.filter(
    (t) =>
      (!allow || allow.has(t.name)) &&
      !deny.has(t.name) &&
      (!settings.readOnly || t.annotations.readOnlyHint),
  );
}

/** Names in the allow/deny lists that are no tool (the app warns about them). */
export function unknownToolNames(
  settings: ToolSettings,
  all: readonly ToolDefinition[] = ALL_TOOLS,
): string[] {
  const names = new Set(all.map((t) => t.name));
  return [...(settings.tools ?? []), ...(settings.disabledTools ?? [])].filter((n) => !names.has(n));
}

export interface ToolSession {
  readonly id: string;
  readonly state: SessionState;
  /** Names of the registered tools. */
  readonly tools: string[];
  /** Stop the kernels this session started and forget its state (on client disconnect). */
  close(): Promise<void>;
}

function redactResult(result: ToolResult, redact: ((t: string) => string) | undefined): ToolResult {
  if (!redact) return result;
  const content = result.content.map((c) => (c.type === 'text' ? { ...c, text: redact(c.text) } : c));
  let structuredContent = result.structuredContent;
  if (structuredContent) {
    const json = JSON.stringify(structuredContent);
    const red = redact(json);
    if (red !== json) {
      try {
        structuredContent = JSON.parse(red) as Record<string, unknown>;
      } catch {
        structuredContent = undefined;
      }
    }
  }
  return { ...result, content, ...(structuredContent ? { structuredContent } : {}) };
}

/**
 * Register the tool catalogue on an MCP server for one MCP session. Call once per `McpServer`
 * (stdio: once; HTTP: once per session). Returns the session so the app can close it on disconnect.
 */
export function registerTools(
  server: McpServer,
  deps: ToolDeps,
  options: { sessionId?: string; tools?: readonly ToolDefinition[] } = {},
): ToolSession {
  const state = new SessionState(options.sessionId);
  const selected = selectTools(deps.settings, options.tools ?? ALL_TOOLS);
  deps.sessions?.add(state.id);
  const limit = deps.settings.outputLimit;

  for (const def of selected) {
    server.registerTool(
      def.name,
      {
        title: def.title,
        description: def.description,
        inputSchema: def.inputSchema,
        outputSchema: def.outputSchema,
        annotations: { title: def.title, ...def.annotations },
      },
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's callback type is generic over each schema
      (async (args: any, extra: any) => {
        const progressToken = extra?._meta?.progressToken as string | number | undefined;
        let lastProgress = -1;
        const ctx: ToolContext = {
          deps,
          session: state,
          logger: deps.logger,
          signal: extra?.signal ?? new AbortController().signal,
          progress(progress, total, message) {
            if (progressToken === undefined) return;
            // Progress must increase.
            const p = Math.max(progress, lastProgress + 1e-6);
            lastProgress = p;
            void extra
              .sendNotification({
                method: 'notifications/progress',
                params: {
                  progressToken,
                  progress: p,
                  ...(total !== undefined ? { total } : {}),
                  ...(message ? { message } : {}),
                },
              })
              .catch(() => {});
          },
          connection: () => deps.jupyter.connection(),
          async kernels() {
            return kernelClientFor(deps, await deps.jupyter.connection());
          },
          async files() {
            return notebookFiles(deps, await deps.jupyter.connection());
          },
        };
        try {
          if (def.needsJupyter !== false) await deps.jupyter.connection();
          const result = await def.handler(args ?? {}, ctx);
          // Last line of defence: no text block over the limit.
          for (const c of result.content)
            if (c.type === 'text' && c.text.length > limit + 2000) c.text = boundText(c.text, limit).text;
          return redactResult(result, deps.redact);
        } catch (err) {
          const te = toToolError(err);
          if (te.code === 'JUPYTER_UNAVAILABLE' && !(err instanceof JupyterUnavailableError))
            deps.jupyter.reportFailure?.(te.cause ?? err);
          if (te.code === 'INTERNAL')
            deps.logger.error(`${def.name} failed: ${(err as Error)?.stack ?? String(err)}`);
          else deps.logger.debug(`${def.name}: ${te.code}: ${te.message}`);
          return redactResult(
            { content: [{ type: 'text', text: errorText(te) }], isError: true },
            deps.redact,
          );
        }
        // biome-ignore lint/suspicious/noExplicitAny: see above
      }) as any,
    );
  }

  cacheToolList(server);

  return {
    id: state.id,
    state,
    tools: selected.map((t) => t.name),
    async close() {
      if (state.closed) return;
      state.closed = true;
      deps.sessions?.delete(state.id);
      const ids = [...state.startedKernels.keys()];
      state.startedKernels.clear();
      if (!ids.length) return;
      let conn: JupyterConnection;
      try {
        conn = await deps.jupyter.connection();
      } catch {
        return;
      }
      await Promise.all(
        ids.map((id) =>
          deleteKernel(conn, id).catch((err: unknown) =>
            deps.logger.warn(`could not stop kernel ${id}: ${(err as Error).message}`),
          ),
        ),
      );
      deps.logger.info(`stopped ${ids.length} kernel(s) this session started`);
    },
  };
}

type Handler = (request: unknown, extra: unknown) => Promise<unknown>;

/**
 * The SDK converts every zod schema to JSON Schema on each tools/list (tens of ms for the catalogue).
 * The catalogue of a session never changes, so answer from a cache, computed once right after
 * registration while the client is still initializing. (Uses the SDK's handler table; skipped if absent.)
 */
function cacheToolList(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, Handler> })._requestHandlers;
  const original = handlers?.get('tools/list');
  if (!handlers || !original) return;
  let cached: Promise<unknown> | undefined;
  const memo: Handler = (request, extra) => {
    cached ??= original(request, extra).catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
    return cached;
  };
  handlers.set('tools/list', memo);
  setImmediate(() => {
    memo({ method: 'tools/list', params: {} }, {}).catch(() => {});
  });
}

/** Close the websockets of every kernel client created for these deps (process shutdown). */
export async function closeTools(deps: ToolDeps): Promise<void> {
  await closeDocuments(deps);
  const s = sharedByDeps.get(deps);
  if (!s) return;
  const clients = [...s.clients.values()];
  s.clients.clear();
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
}
