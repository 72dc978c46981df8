import type { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolDeps, ToolSettings } from './deps.js';
import { closeDocuments } from './internal/documents.js';
import { closeKernelClients } from './internal/kernel-clients.js';
import { installCompletionHandler } from './mcp/completion.js';
import { installPromptHandlers, selectPrompts } from './mcp/prompts.js';
import { installResourceHandlers } from './mcp/resources.js';
import { runTool } from './mcp/run-tool.js';
import { ResourceSubscriptions } from './mcp/subscriptions.js';
import type { ToolTaskStore } from './mcp/tasks.js';
import { installToolHandlers } from './mcp/tool-calls.js';
import { ALL_PROMPTS } from './prompts/index.js';
import type { PromptDefinition } from './prompts/prompt.js';
import { SessionState } from './session.js';
import type { ToolDefinition } from './tool.js';
import { ALL_TOOLS } from './tools/index.js';
import { deleteKernel } from './tools/kernel-common.js';

export { kernelClientFor } from './internal/kernel-clients.js';

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
  /** The tasks of this session (undefined when tasks are not offered). */
  readonly tasks: ToolTaskStore | undefined;
  /** Stop the kernels this session started, cancel its tasks and forget its state (on disconnect). */
  close(): Promise<void>;
}

export interface RegisterOptions {
  sessionId?: string;
  /** The tool definitions to offer (default: the whole catalogue), before the settings' selection. */
  tools?: readonly ToolDefinition[];
  /** The session's task store, also given to the SDK server (`new Server(info, { taskStore })`), which
   *  answers tasks/get, tasks/result, tasks/list and tasks/cancel from it. Omitted: no tasks are offered
   *  (stateless HTTP). */
  taskStore?: ToolTaskStore;
}

/**
 * Register the tool catalogue on an MCP server for one MCP session (`tools/list`, `tools/call`, and
 * the `tasks/*` methods when tasks are on). Call once per server, before `connect` (stdio: once; HTTP:
 * once per session). Returns the session so the app can close it on disconnect.
 */
export function registerTools(
  server: McpServer | Server,
  deps: ToolDeps,
  options: RegisterOptions = {},
): ToolSession {
  const low = server instanceof McpServer ? server.server : server;
  const state = new SessionState(options.sessionId);
  const all = options.tools ?? ALL_TOOLS;
  const selected = selectTools(deps.settings, all);
  deps.sessions?.add(state.id);
  const tasks = options.taskStore;
  installToolHandlers(low, {
    tools: selected,
    catalogue: all,
    tasks,
    redact: deps.redact,
    run: (def, args, extra) => runTool(def, args, deps, state, extra),
  });

  return {
    id: state.id,
    state,
    tools: selected.map((t) => t.name),
    tasks,
    async close() {
      if (state.closed) return;
      state.closed = true;
      tasks?.close();
      deps.sessions?.delete(state.id);
      await stopStartedKernels(deps, state);
    },
  };
}

async function stopStartedKernels(deps: ToolDeps, state: SessionState): Promise<void> {
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
}

export interface ServerFeatureOptions extends RegisterOptions {
  /** Offer `resources/subscribe` (needs a session that outlives a request: not for stateless HTTP). */
  subscriptions?: boolean;
  /** The prompts to offer before the tool-based selection (default: all). */
  prompts?: readonly PromptDefinition[];
}

export interface ServerFeatures extends ToolSession {
  /** Names of the prompts offered (those whose tools are all offered). */
  readonly prompts: string[];
  readonly subscriptions: ResourceSubscriptions | undefined;
}

/**
 * Everything jupyter-mcp offers an MCP session: the tools (`registerTools`), notebooks and files as
 * resources (templates, paged list, read, optional subscriptions), prompts for notebook workflows
 * (offered only with the tools they need) and completion of their arguments. Capabilities advertise
 * exactly this: no `listChanged` (the lists of a session never change). Call before `connect`.
 */
export function registerServerFeatures(
  server: McpServer | Server,
  deps: ToolDeps,
  options: ServerFeatureOptions = {},
): ServerFeatures {
  const low = server instanceof McpServer ? server.server : server;
  const tools = registerTools(low, deps, options);
  const prompts = selectPrompts(options.prompts ?? ALL_PROMPTS, tools.tools);
  low.registerCapabilities({
    resources: options.subscriptions ? { subscribe: true } : {},
    prompts: {},
    completions: {},
  });
  installResourceHandlers(low, deps);
  const subscriptions = options.subscriptions ? new ResourceSubscriptions(low, deps) : undefined;
  installPromptHandlers(low, deps, prompts);
  installCompletionHandler(low, deps, prompts);
  return {
    ...tools,
    prompts: prompts.map((p) => p.name),
    subscriptions,
    close() {
      subscriptions?.close();
      return tools.close();
    },
  };
}

/** Close the websockets of every kernel client created for these deps (process shutdown). */
export async function closeTools(deps: ToolDeps): Promise<void> {
  // Queued notebook writes finish first.
  await closeDocuments(deps);
  await closeKernelClients(deps);
}
