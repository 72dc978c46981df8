import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListToolsRequestSchema, RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';
import type { ToolDefinition, ToolResult } from '../tool.js';
import { type ArgumentCheck, checkArguments, closest, describeValue } from './arguments.js';
import { listedTool, toolList } from './catalog.js';
import { type HandlerExtra, isPlainObject, setRawHandler } from './raw-handler.js';
import { ErrorCode, rpcError } from './rpc-error.js';
import type { CallExtra } from './run-tool.js';
import type { ToolTaskStore } from './tasks.js';

export interface ToolHandlerOptions {
  /** The tools this session offers. */
  tools: readonly ToolDefinition[];
  /** Every tool of the catalogue (a call to one that is not offered says so). */
  catalogue: readonly ToolDefinition[];
  /** Run a call with validated arguments (never throws). */
  run(def: ToolDefinition, args: Record<string, unknown>, extra: CallExtra): Promise<ToolResult>;
  /** Tasks of this session; undefined: tasks are not offered (e.g. stateless HTTP). */
  tasks?: ToolTaskStore;
  /** Removes secrets from text before it leaves. */
  redact?: (text: string) => string;
}

/**
 * Answer `tools/list` and `tools/call` on a low-level SDK server, spec-exactly: an unknown tool or
 * `arguments` that is not an object is a JSON-RPC error -32602 with a one-line message; unknown or
 * invalid arguments are an `isError` result naming the argument and what is expected (the model can
 * correct itself); a task-augmented call to a long tool becomes a task (2025-11-25).
 */
export function installToolHandlers(server: Server, options: ToolHandlerOptions): void {
  server.registerCapabilities({
    tools: {},
    ...(options.tasks ? { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } : {}),
  });
  server.setRequestHandler(ListToolsRequestSchema, () => toolList(options.tools, { tasks: !!options.tasks }));
  const calls = new ToolCalls(server, options);
  setRawHandler(server, 'tools/call', (params, extra) => calls.call(params, extra));
  // Computed once now, while the client is still initializing, instead of on the first tools/list.
  setImmediate(() => {
    for (const d of options.tools) listedTool(d);
  });
}

/** `tools/call` of one session. */
class ToolCalls {
  readonly #byName: Map<string, ToolDefinition>;

  constructor(
    private readonly server: Server,
    private readonly options: ToolHandlerOptions,
  ) {
    this.#byName = new Map(options.tools.map((d) => [d.name, d]));
  }

  async call(params: Record<string, unknown>, extra: HandlerExtra): Promise<unknown> {
    const def = this.#toolNamed(params.name);
    const raw = params.arguments;
    if (raw !== undefined && !isPlainObject(raw))
      throw rpcError(
        ErrorCode.InvalidParams,
        `Invalid params: "arguments" must be an object of named arguments, not ${describeValue(raw)}.`,
      );
    const task = isPlainObject(params.task) && this.options.tasks ? params.task : undefined;
    if (task && !def.traits?.longRunning)
      throw rpcError(
        ErrorCode.MethodNotFound,
        `${def.name} does not run as a task (its execution.taskSupport is "forbidden"); call it without "task".`,
      );
    const check = checkArguments(def.name, def.inputSchema, listedTool(def).inputSchema, raw ?? {});
    const callExtra: CallExtra = {
      signal: extra.signal,
      progressToken: extra._meta?.progressToken,
      sendNotification: (n) => extra.sendNotification(n as never),
    };
    if (task) return this.#startTask(def, check, task, extra, callExtra);
    if (!check.ok) return this.#invalid(check.message);
    return this.options.run(def, check.value, callExtra);
  }

  #toolNamed(name: unknown): ToolDefinition {
    if (typeof name !== 'string' || !name)
      throw rpcError(
        ErrorCode.InvalidParams,
        'Invalid params: "name" must name a tool (tools/list shows them).',
      );
    const def = this.#byName.get(name);
    if (def) return def;
    if (this.options.catalogue.some((d) => d.name === name))
      throw rpcError(
        ErrorCode.InvalidParams,
        `Unknown tool: ${name} is not offered by this server (its --tools/--disabled-tools/--read-only settings leave it out).`,
      );
    const near = closest(name, [...this.#byName.keys()]);
    throw rpcError(
      ErrorCode.InvalidParams,
      `Unknown tool: ${clip(name)}.${near ? ` Did you mean ${near}?` : ''} tools/list shows the ${this.#byName.size} tools of this server.`,
    );
  }

  #invalid(message: string): ToolResult {
    const text = this.options.redact ? this.options.redact(message) : message;
    return { content: [{ type: 'text', text }], isError: true };
  }

  /** Accept a task: answer with CreateTaskResult at once, run the call in the background. */
  async #startTask(
    def: ToolDefinition,
    check: ArgumentCheck,
    params: Record<string, unknown>,
    extra: HandlerExtra,
    callExtra: CallExtra,
  ): Promise<unknown> {
    const store = this.options.tasks!;
    const requestStore = extra.taskStore;
    if (!requestStore) throw rpcError(ErrorCode.InternalError, 'Tasks are not available on this connection.');
    const task = await requestStore.createTask({
      ttl: typeof params.ttl === 'number' ? params.ttl : undefined,
    });
    const controller = store.track(task.taskId);
    const taskExtra: CallExtra = {
      ...callExtra,
      signal: controller.signal,
      sendNotification: (n) => this.#taskNotification(task.taskId, n),
    };
    void (async () => {
      const result = check.ok
        ? await this.options.run(def, check.value, taskExtra)
        : this.#invalid(check.message);
      await store.finish(task.taskId, result, requestStore, extra.sessionId);
    })();
    return {
      task,
      _meta: {
        'io.modelcontextprotocol/model-immediate-response': `${def.name} is running as task ${task.taskId}; its result comes when it finishes.`,
      },
    };
  }

  /** Progress outlives the request that created the task: it carries the task id instead (sent
   *  directly: the SDK's relatedTask option would queue it for tasks/result). */
  #taskNotification(taskId: string, n: { method: string; params: Record<string, unknown> }): Promise<void> {
    const meta = { ...(n.params._meta as object | undefined), [RELATED_TASK_META_KEY]: { taskId } };
    return this.server.notification({ method: n.method, params: { ...n.params, _meta: meta } } as never);
  }
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
