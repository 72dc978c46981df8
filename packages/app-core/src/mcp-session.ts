import {
  closeTools,
  JobRegistry,
  registerServerFeatures,
  type ServerFeatures,
  type ToolDefinition,
  type ToolDeps,
  ToolTaskStore,
} from '@jupyter-mcp/tools-spec';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ErrorCode,
  type LoggingLevel,
  McpError,
  SetLevelRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AppLogger } from './logger.js';
import type { JupyterRuntime } from './runtime.js';

export const SERVER_INSTRUCTIONS =
  'Tools to work in Jupyter: read and edit notebooks (paths relative to the Jupyter root; a cell is its 0-based index ' +
  'or its cell_id from read_notebook), run code in kernels ' +
  '(execute_code keeps a kernel per session; execute_cell runs a notebook cell and saves its outputs), manage kernels, ' +
  'run whole notebooks with parameters like papermill (execute_notebook; background: true and get_job for long runs). ' +
  'When a tool reports that Jupyter is not reachable, call diagnose_connection and relay its fix to the user.';

const MCP_LEVELS: LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/**
 * The SDK server of one session, remembering the protocol version it negotiated (read from the
 * `initialize` result it sends): the transports apply version-dependent JSON-RPC rules (batches).
 */
class SessionServer extends Server {
  negotiatedVersion: string | undefined;

  /**
   * Every handler the SDK registers (initialize, ping, logging/setLevel, tasks/*) parses its params with
   * the SDK's zod schema; a mismatch would answer -32603 with the validator's dump. Parse here instead
   * and answer -32602 with one line naming the parameter.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's signature is generic over request schemas
  override setRequestHandler(schema: any, handler: any): void {
    const method = String(schema.shape?.method?.value ?? '');
    const loose = z.looseObject({ method: z.literal(method), params: z.unknown().optional() });
    Protocol.prototype.setRequestHandler.call(this, loose, (request: unknown, extra: unknown) => {
      const parsed = schema.safeParse(request);
      if (!parsed.success) throw invalidParams(method, parsed.error);
      return handler(parsed.data, extra);
    });
  }

  override async connect(transport: Transport): Promise<void> {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
      const result = (message as { result?: { protocolVersion?: unknown; serverInfo?: unknown } }).result;
      if (result && typeof result.protocolVersion === 'string' && result.serverInfo)
        this.negotiatedVersion = result.protocolVersion;
      return send(message, options);
    };
    return super.connect(transport);
  }
}

/** -32602 with the first problem of a failed params parse, in one line. */
function invalidParams(method: string, error: { issues?: Array<{ path: PropertyKey[]; message: string }> }) {
  const issue = error.issues?.[0];
  const where = issue?.path.filter((p) => typeof p !== 'symbol').join('.') || 'params';
  const why = (issue?.message ?? 'invalid').replace(/^Invalid input:?\s*/i, '').split('\n')[0];
  const err = new McpError(ErrorCode.InvalidParams, '');
  err.message = `Invalid params for ${method}: "${where}" ${why || 'is invalid'}.`;
  return err;
}

/** `serverInfo.title`: what a client shows for this server. */
export const SERVER_TITLE = 'Jupyter';

export interface McpSession {
  /** The SDK's low-level server of this session (the app connects it to a transport). */
  server: Server;
  /** Tools, resources, prompts and completion of this session. */
  tools: ServerFeatures;
  /** The protocol version negotiated by `initialize` (undefined before it). */
  protocolVersion(): string | undefined;
  /** Stop this session's kernels and detach its log sink (the transport is closed by the app). */
  close(): Promise<void>;
}

/** Tool dependencies for a runtime (one per process; shared by every MCP session). */
export function toolDeps(
  runtime: JupyterRuntime,
  logger: AppLogger,
  app: { name: string; version: string },
): ToolDeps {
  return {
    jupyter: runtime.access,
    settings: runtime.settings,
    logger,
    diagnoser: runtime.diagnoser,
    server: runtime.server,
    discovery: runtime.discovery,
    sessions: runtime.sessions,
    redact: (t) => logger.redactor.redact(t),
    app,
    // Notebook jobs live as long as the process (stateless HTTP sets this to undefined: no background runs).
    jobs: new JobRegistry({ logger }),
  };
}

/**
 * One MCP session: an SDK `Server` with the tool catalogue registered and its own state (default
 * kernel, kernels it started), plus MCP log messages once the client sets a level. stdio makes one;
 * Streamable HTTP makes one per session.
 */
export function createMcpSession(options: {
  deps: ToolDeps;
  logger: AppLogger;
  app: { name: string; version: string };
  sessionId?: string;
  /** The tool definitions to offer (default: the whole catalogue); an app may wrap handlers (policy,
   *  metrics) before passing them. */
  tools?: readonly ToolDefinition[];
  /** Which log records this session's client may receive as MCP log messages (default: all). With
   *  several sessions in one process (HTTP), the app keeps other sessions' records out. */
  logFilter?: () => boolean;
  /** The session lives for one request (stateless HTTP): no MCP tasks, no resource subscriptions —
   *  both need a session that outlives a request — and the capabilities say so. */
  stateless?: boolean;
}): McpSession {
  const { logger } = options;
  const taskStore = options.stateless ? undefined : new ToolTaskStore();
  const server = new SessionServer(
    { name: options.app.name, title: SERVER_TITLE, version: options.app.version },
    { capabilities: { logging: {} }, instructions: SERVER_INSTRUCTIONS, ...(taskStore ? { taskStore } : {}) },
  );
  const tools = registerServerFeatures(server, options.deps, {
    sessionId: options.sessionId,
    ...(options.tools ? { tools: options.tools } : {}),
    ...(taskStore ? { taskStore } : {}),
    subscriptions: !options.stateless,
  });

  // MCP log messages only after the client asked for them (logging/setLevel).
  let clientLevel: LoggingLevel | undefined;
  server.setRequestHandler(SetLevelRequestSchema, async (req: { params: { level: LoggingLevel } }) => {
    clientLevel = req.params.level;
    return {};
  });
  const removeSink = logger.addSink((level, msg, fields) => {
    if (!clientLevel || !server.transport) return;
    if (options.logFilter && !options.logFilter()) return;
    const mcpLevel: LoggingLevel = level === 'warn' ? 'warning' : level;
    if (MCP_LEVELS.indexOf(mcpLevel) < MCP_LEVELS.indexOf(clientLevel)) return;
    void server
      .sendLoggingMessage({
        level: mcpLevel,
        logger: 'jupyter-mcp',
        data: fields ? { message: msg, ...fields } : msg,
      })
      .catch(() => {});
  });

  let closed: Promise<void> | undefined;
  return {
    server,
    tools,
    protocolVersion: () => server.negotiatedVersion,
    close() {
      closed ??= (async () => {
        removeSink();
        await tools.close();
      })();
      return closed;
    },
  };
}

/** Close the kernel websockets held for these deps (process shutdown). */
export async function closeToolDeps(deps: ToolDeps): Promise<void> {
  // Running notebook jobs are cancelled first: they save what ran and shut down their kernels.
  await deps.jobs?.close();
  return closeTools(deps);
}
