import { hostname, networkInterfaces } from 'node:os';
import {
  type AppConfig,
  type AppLogger,
  configSecrets,
  createJupyterRuntime,
  createLogger,
  createMcpSession,
  type JupyterRuntime,
  type McpSession,
  toolDeps,
} from '@jupyter-mcp/app-core';
import { ALL_TOOLS, type ToolDefinition, type ToolDeps, unknownToolNames } from '@jupyter-mcp/tools-spec';
import { InflightCalls } from './calls.js';
import { Metrics } from './metrics.js';
import type { HttpSettings } from './options.js';
import { applyHttpPolicy, recordVisibleTo } from './policy.js';
import { createReadiness } from './readiness.js';
import { type AuthDecision, type HostPolicy, resolveAuth } from './security.js';
import type { HttpServerOptions } from './server.js';
import { HttpSessions } from './sessions.js';

/** What the stages of every request share: settings, the Jupyter runtime, sessions, counters. */
export interface ServerContext {
  readonly config: AppConfig;
  readonly http: HttpSettings;
  /** Process log (its records may reach MCP clients that asked for log messages). */
  readonly logger: AppLogger;
  /** Request and tool-call lines: stderr only, never sent to MCP clients. */
  readonly access: AppLogger;
  readonly auth: AuthDecision;
  readonly runtime: JupyterRuntime;
  readonly deps: ToolDeps;
  /** The tool catalogue as offered over HTTP (policy-wrapped). */
  readonly tools: readonly ToolDefinition[];
  readonly metrics: Metrics;
  readonly sessions: HttpSessions;
  /** Tool calls running in the whole server. */
  readonly calls: InflightCalls;
  /** Abort functions of the stateless requests in progress (shutdown interrupts them). */
  readonly statelessRequests: Set<() => void>;
  /** The port listened on (set once listening). */
  port: number;
  /** True once shutdown began: new MCP requests get 503. */
  stopping: boolean;
  /** What the Host and Origin checks accept. */
  hostPolicy(): HostPolicy & { allowedOrigins: readonly string[] };
  /** A new MCP session (its server, tool state and log sink). */
  newSession(id: string): McpSession;
  /** Does Jupyter answer with our credentials (`/readyz`)? */
  readiness(): Promise<boolean>;
}

/**
 * Build the shared state of one HTTP server. Throws `HttpAppError` when the auth settings are unsafe
 * (before anything starts).
 */
export function createServerContext(options: HttpServerOptions): ServerContext {
  const { config, http, logger } = options;
  const env = options.env ?? process.env;
  const auth = resolveAuth(http);
  const access =
    options.accessLogger ??
    createLogger({ level: logger.level, format: 'json', secrets: configSecrets(config) });
  if (auth.mode === 'token') {
    logger.addSecret(auth.token);
    access.addSecret(auth.token);
  }
  warnAboutConfig(config, logger);
  const runtime = createJupyterRuntime({ config, logger, diagnose: options.diagnose, env, cwd: options.cwd });
  const base: ToolDeps = toolDeps(runtime, logger, options.app);
  // Stateless: nothing outlives a request, so no background jobs (execute_notebook says so).
  const deps: ToolDeps = http.stateless ? { ...base, jobs: undefined } : base;
  const calls = new InflightCalls();
  const metrics: Metrics = new Metrics({
    activeSessions: (): number => sessions.size,
    inflightCalls: () => calls.count,
  });
  const tools = applyHttpPolicy(ALL_TOOLS, {
    stateless: http.stateless,
    allowServerControl: http.allowServerControl,
    metrics,
    logger: access,
    onCall: (delta) => calls.add(delta),
  });
  const newSession = sessionFactory(deps, logger, options.app, tools, http.stateless);
  const sessions: HttpSessions = new HttpSessions({
    newSession,
    idleTimeoutMs: http.sessionIdleTimeoutMs,
    keepAliveMs: http.sseKeepaliveMs,
    maxBodyBytes: http.maxBodyBytes,
    metrics,
    log: (msg, fields) => access.info(msg, fields),
    cancelJobs: (sessionId) => cancelSessionJobs(deps, sessionId),
  });
  const localNames = machineNames();
  const ctx: ServerContext = {
    config,
    http,
    logger,
    access,
    auth,
    runtime,
    deps,
    tools,
    metrics,
    sessions,
    calls,
    statelessRequests: new Set(),
    port: http.port,
    stopping: false,
    hostPolicy: () => ({
      bindHost: http.host,
      port: ctx.port,
      allowedHosts: http.allowedHosts,
      allowedOrigins: http.allowedOrigins,
      localNames,
    }),
    newSession,
    readiness: createReadiness(runtime, config.requestTimeoutMs + 5000),
  };
  return ctx;
}

function warnAboutConfig(config: AppConfig, logger: AppLogger): void {
  for (const n of unknownToolNames(config))
    logger.warn(`unknown tool name in --tools/--disabled-tools: ${n}`);
  for (const k of config.unknownFileKeys)
    logger.warn(`config file ${config.configFile}: unknown key "${k}" ignored`);
}

function sessionFactory(
  deps: ToolDeps,
  logger: AppLogger,
  app: { name: string; version: string },
  tools: readonly ToolDefinition[],
  stateless: boolean,
): (id: string) => McpSession {
  return (id) =>
    createMcpSession({
      deps,
      logger,
      app,
      sessionId: id,
      tools,
      // A client sees process-wide records and its own calls' records, never another session's.
      logFilter: () => recordVisibleTo(id),
      // No tasks or resource subscriptions where a session lives for one request.
      stateless,
    });
}

/** Cancel a session's running background jobs and wait (at most 6 s) for them to save and stop. */
async function cancelSessionJobs(deps: ToolDeps, sessionId: string): Promise<void> {
  const running = (deps.jobs?.list(sessionId) ?? []).filter((j) => j.status === 'running');
  if (!running.length) return;
  for (const j of running) j.cancel();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(running.map((j) => j.done)),
    new Promise<void>((r) => {
      timer = setTimeout(r, 6000);
    }),
  ]);
  clearTimeout(timer);
}

/** On a wildcard bind, the machine's names and addresses reach us too (e.g. a pod IP). */
function machineNames(): string[] {
  const names = [hostname()];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) names.push(a.family === 'IPv6' ? `[${a.address}]` : a.address);
  return names;
}
