import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import {
  type AppConfig,
  type AppLogger,
  closeToolDeps,
  configSecrets,
  createJupyterRuntime,
  createLifecycle,
  createLogger,
  createMcpSession,
  type DiagnoseFn,
  type JupyterRuntime,
  jupyterRuntimeDir,
  type McpSession,
  type ShutdownReason,
  toolDeps,
} from '@jupyter-mcp/app-core';
import { ALL_TOOLS, type ToolDeps, unknownToolNames } from '@jupyter-mcp/tools-spec';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { HttpAppError } from './errors.js';
import { Metrics } from './metrics.js';
import { tokenNotice } from './notice.js';
import type { HttpSettings } from './options.js';
import { applyHttpPolicy, callSession, recordVisibleTo } from './policy.js';
import { readBody, rpcMessages, sendJson, sendRpcError } from './respond.js';
import {
  type AuthDecision,
  bearerToken,
  type HostPolicy,
  hostAllowed,
  hostForUrl,
  isLoopbackHost,
  originAllowed,
  resolveAuth,
  tokenMatches,
} from './security.js';
import { HttpSessions, type SessionEntry } from './sessions.js';

export interface HttpServerOptions {
  config: AppConfig;
  http: HttpSettings;
  logger: AppLogger;
  app: { name: string; version: string };
  /** The doctor (the CLI passes `doctorDiagnose()`); `/readyz` and tool findings use it. */
  diagnose?: DiagnoseFn;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Where the one-time start-up notice goes (how to pass the generated token). Default stderr. */
  notice?: (text: string) => void;
  /** Logger of the per-request and per-tool-call lines. It must have no MCP sinks: those lines name
   *  sessions and must not reach other clients. Default: a JSON logger on stderr at `logger.level`. */
  accessLogger?: AppLogger;
}

export interface HttpServerHandle {
  /** The MCP endpoint, e.g. `http://127.0.0.1:8765/mcp`. */
  readonly url: string;
  readonly port: number;
  /** The generated token's file (0600), when no token was configured. */
  readonly tokenFile: string | undefined;
  readonly metrics: Metrics;
  /** Open MCP sessions. */
  sessionCount(): number;
  /** Graceful shutdown: stop accepting, let calls finish (up to the shutdown timeout), interrupt the
   *  rest, close sessions (their kernels), the embedded Jupyter Server, then the listener. */
  close(): Promise<void>;
}

const CORS_ALLOW_HEADERS =
  'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id';

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function routeOf(path: string): string {
  return ['/mcp', '/healthz', '/readyz', '/metrics'].includes(path) ? path : 'other';
}

/**
 * Start the Streamable HTTP MCP server (resolves once listening). Throws `HttpAppError`
 * (`AUTH_REQUIRED`, `INVALID_SETTINGS`, `LISTEN_FAILED`) before anything runs when the settings are
 * unsafe or the port is taken.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const { config, http, logger } = options;
  const env = options.env ?? process.env;
  const notice = options.notice ?? ((t: string) => void process.stderr.write(t));
  const auth: AuthDecision = resolveAuth(http);
  const access =
    options.accessLogger ??
    createLogger({ level: logger.level, format: 'json', secrets: configSecrets(config) });
  if (auth.mode === 'token') {
    logger.addSecret(auth.token);
    access.addSecret(auth.token);
  }
  for (const n of unknownToolNames(config))
    logger.warn(`unknown tool name in --tools/--disabled-tools: ${n}`);
  for (const k of config.unknownFileKeys)
    logger.warn(`config file ${config.configFile}: unknown key "${k}" ignored`);

  const runtime: JupyterRuntime = createJupyterRuntime({
    config,
    logger,
    diagnose: options.diagnose,
    env,
    cwd: options.cwd,
  });
  const base: ToolDeps = toolDeps(runtime, logger, options.app);
  // Stateless: nothing outlives a request, so no background jobs (execute_notebook says so).
  const deps: ToolDeps = http.stateless ? { ...base, jobs: undefined } : base;
  let inflight = 0;
  let idleWaiters: Array<() => void> = [];
  const metrics: Metrics = new Metrics({
    activeSessions: (): number => sessions.size,
    inflightCalls: () => inflight,
  });
  const tools = applyHttpPolicy(ALL_TOOLS, {
    stateless: http.stateless,
    allowServerControl: http.allowServerControl,
    metrics,
    logger: access,
    onCall(delta) {
      inflight += delta;
      if (inflight === 0) {
        const w = idleWaiters;
        idleWaiters = [];
        for (const f of w) f();
      }
    },
  });
  const waitForCalls = (ms: number): Promise<boolean> =>
    inflight === 0
      ? Promise.resolve(true)
      : new Promise((resolve) => {
          const t = setTimeout(() => resolve(false), ms);
          idleWaiters.push(() => {
            clearTimeout(t);
            resolve(true);
          });
        });

  let stopping = false;
  let port = http.port;
  /** Abort functions of the stateless requests in progress (shutdown interrupts them). */
  const statelessRequests = new Set<() => void>();
  // On a wildcard bind, the machine's names and addresses reach us too (e.g. a pod IP).
  const localNames = [hostname()];
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) localNames.push(a.family === 'IPv6' ? `[${a.address}]` : a.address);
  const hostPolicy = (): HostPolicy & { allowedOrigins: readonly string[] } => ({
    bindHost: http.host,
    port,
    allowedHosts: http.allowedHosts,
    allowedOrigins: http.allowedOrigins,
    localNames,
  });

  // ---- sessions ----
  const newSession = (id: string): McpSession =>
    createMcpSession({
      deps,
      logger,
      app: options.app,
      sessionId: id,
      tools,
      // A client sees process-wide records and its own calls' records, never another session's.
      logFilter: () => recordVisibleTo(id),
      stateless: http.stateless,
    });

  const sessions: HttpSessions = new HttpSessions({
    newSession,
    idleTimeoutMs: http.sessionIdleTimeoutMs,
    keepAliveMs: http.sseKeepaliveMs,
    maxBodyBytes: http.maxBodyBytes,
    metrics,
    log: (msg, fields) => access.info(msg, fields),
    async cancelJobs(sessionId) {
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
    },
  });

  // ---- readiness (cached; coalesced) ----
  let ready: { at: number; ok: boolean } | undefined;
  let probing: Promise<boolean> | undefined;
  const readiness = (): Promise<boolean> => {
    if (ready && Date.now() - ready.at < 2000) return Promise.resolve(ready.ok);
    probing ??= Promise.race([
      runtime.startupCheck(),
      new Promise<boolean>((r) => setTimeout(() => r(false), config.requestTimeoutMs + 5000).unref()),
    ])
      .then((ok) => {
        ready = { at: Date.now(), ok };
        return ok;
      })
      .finally(() => {
        probing = undefined;
      });
    return probing;
  };

  // ---- request handling ----
  const authorized = (req: IncomingMessage): boolean =>
    auth.mode === 'none' || tokenMatches(bearerToken(header(req, 'authorization')), auth.token);

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin && http.allowedOrigins.includes(origin)
      ? {
          'access-control-allow-origin': origin,
          'access-control-expose-headers': 'mcp-session-id',
          vary: 'Origin',
        }
      : {};

  async function handleMcp(req: IncomingMessage, res: ServerResponse, log: Record<string, unknown>) {
    const method = req.method ?? 'GET';
    if (http.stateless) {
      if (method !== 'POST') {
        sendRpcError(
          res,
          405,
          -32000,
          'Method not allowed: this server runs with --stateless (POST only).',
          null,
          {
            allow: 'POST',
          },
        );
        return;
      }
      const parsed = await readJson(req, res);
      if (parsed === undefined) return;
      log.rpc = rpcMessages(parsed.body)
        .map((m) => m.method)
        .filter(Boolean);
      const statelessId = randomUUID();
      const mcp = newSession(statelessId);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        keepAliveMs: http.sseKeepaliveMs,
      });
      const abort = () => void transport.close().catch(() => {});
      statelessRequests.add(abort);
      res.on('close', () => {
        statelessRequests.delete(abort);
        // Kernels started here belong to the fleet (clients pass their kernel_id): not stopped.
        mcp.tools.state.startedKernels.clear();
        abort();
        void mcp.close().then(() => mcp.server.close().catch(() => {}));
      });
      await mcp.server.connect(transport);
      await callSession.run(statelessId, () => transport.handleRequest(req, res, parsed.body));
      return;
    }

    const sid = header(req, 'mcp-session-id');
    let entry: SessionEntry | undefined;
    if (sid) {
      entry = sessions.get(sid);
      log.session = entry ? sid : undefined;
      if (!entry) {
        sendRpcError(
          res,
          404,
          -32001,
          'Session not found: it expired, was closed or never existed. Start a new session (initialize without Mcp-Session-Id).',
        );
        return;
      }
    }
    if (method === 'GET' || method === 'DELETE') {
      if (!entry) {
        sendRpcError(res, 400, -32000, 'Bad Request: the Mcp-Session-Id header is required.');
        return;
      }
      const e = entry;
      e.lastActive = Date.now();
      if (method === 'DELETE') e.active++;
      res.on('close', () => {
        if (method === 'DELETE') e.active--;
        e.lastActive = Date.now();
      });
      await callSession.run(e.id, () => e.transport.handleRequest(req, res));
      return;
    }
    if (method !== 'POST') {
      sendRpcError(res, 405, -32000, 'Method not allowed.', null, { allow: 'GET, POST, DELETE' });
      return;
    }
    const parsed = await readJson(req, res);
    if (parsed === undefined) return;
    const msgs = rpcMessages(parsed.body);
    log.rpc = msgs.map((m) => m.method).filter(Boolean);
    if (!entry) {
      if (!msgs.some((m) => m.method === 'initialize')) {
        sendRpcError(
          res,
          400,
          -32000,
          'Bad Request: the Mcp-Session-Id header is required (send initialize first to open a session).',
        );
        return;
      }
      entry = await sessions.create();
    }
    const e = entry;
    const calls = msgs.filter((m) => m.method === 'tools/call').length;
    if (calls > 0 && e.calls + calls > http.maxConcurrentCalls) {
      const id =
        msgs.length === 1 && (typeof msgs[0]!.id === 'string' || typeof msgs[0]!.id === 'number')
          ? (msgs[0]!.id as string | number)
          : null;
      sendRpcError(
        res,
        429,
        -32000,
        `Too many concurrent tool calls in this session (at most ${http.maxConcurrentCalls}). Wait for a running call to finish, or open another session.`,
        id,
        { 'retry-after': '1' },
      );
      return;
    }
    e.calls += calls;
    e.active++;
    e.lastActive = Date.now();
    log.session = e.id;
    res.on('close', () => {
      e.calls -= calls;
      e.active--;
      e.lastActive = Date.now();
      if (!e.registered) void sessions.close(e, 'failed');
    });
    // Everything this request causes (tool calls, their log records) runs as this session.
    await callSession.run(e.id, () => e.transport.handleRequest(req, res, parsed.body));
  }

  async function readJson(req: IncomingMessage, res: ServerResponse): Promise<{ body: unknown } | undefined> {
    const r = await readBody(req, http.maxBodyBytes);
    if (!r.ok) {
      if (r.reason === 'too-large') {
        sendRpcError(
          res,
          413,
          -32000,
          `Request body too large (limit ${http.maxBodyBytes} bytes; the operator can raise --max-body).`,
          null,
          { connection: 'close' },
        );
        res.on('finish', () => req.destroy());
      } else if (!res.headersSent) res.destroy();
      return undefined;
    }
    try {
      return { body: JSON.parse(r.body.toString('utf8')) };
    } catch {
      sendRpcError(res, 400, -32700, 'Parse error: the request body is not valid JSON.');
      return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const t0 = performance.now();
    let path = '/';
    try {
      path = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      // keep '/'
    }
    const log: Record<string, unknown> = { event: 'request', method: req.method, path };
    res.on('close', () => {
      metrics.request(routeOf(path), res.statusCode);
      access.info('request', {
        ...log,
        status: res.statusCode,
        duration_ms: Math.round(performance.now() - t0),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });

    // Orchestrator probes: no auth, no Host check, nothing revealed.
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (path === '/readyz') {
      if (stopping) sendJson(res, 503, { status: 'stopping' });
      else if (await readiness()) sendJson(res, 200, { status: 'ready' });
      else sendJson(res, 503, { status: 'unavailable', jupyter: 'unreachable' });
      return;
    }
    const policy = hostPolicy();
    const host = header(req, 'host');
    if (!hostAllowed(host, policy)) {
      sendJson(res, 403, {
        error: 'forbidden_host',
        message:
          'Host header not allowed (DNS rebinding protection). The operator can add the name with --allowed-hosts.',
      });
      return;
    }
    const origin = header(req, 'origin');
    if (!originAllowed(origin, host, policy)) {
      sendJson(res, 403, {
        error: 'forbidden_origin',
        message: 'Origin not allowed. The operator can add it with --allowed-origins.',
      });
      return;
    }
    const cors = corsHeaders(origin && new URL(origin).origin);
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...(cors['access-control-allow-origin']
          ? {
              'access-control-allow-methods': 'GET, POST, DELETE',
              'access-control-allow-headers': CORS_ALLOW_HEADERS,
              'access-control-max-age': '600',
            }
          : {}),
      });
      res.end();
      return;
    }
    if (path === '/metrics') {
      if (!http.publicMetrics && !authorized(req)) {
        sendJson(
          res,
          401,
          { error: 'unauthorized', message: 'Send Authorization: Bearer <token>.' },
          {
            'www-authenticate': 'Bearer realm="jupyter-mcp"',
          },
        );
        return;
      }
      const text = metrics.render();
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(text);
      return;
    }
    if (path !== '/mcp') {
      sendJson(res, 404, { error: 'not_found', message: 'The MCP endpoint is /mcp.' });
      return;
    }
    if (!authorized(req)) {
      sendRpcError(
        res,
        401,
        -32001,
        'Unauthorized: send Authorization: Bearer <token> (see the server start-up notice).',
        null,
        {
          'www-authenticate': 'Bearer realm="jupyter-mcp"',
        },
      );
      return;
    }
    if (stopping) {
      sendRpcError(res, 503, -32000, 'The server is shutting down.', null, {
        connection: 'close',
        'retry-after': '5',
      });
      return;
    }
    await handleMcp(req, res, log);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error(`request failed: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) sendRpcError(res, 500, -32603, 'Internal server error.');
      else res.end();
    });
  });
  // Long tool calls stream over SSE: no request timeout; headers must still arrive promptly.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HttpAppError(
          'LISTEN_FAILED',
          `cannot listen on ${http.host}:${http.port} (${err.code ?? err.message}). ${err.code === 'EADDRINUSE' ? 'Another process uses the port: pick another with --port.' : 'Check --host.'}`,
          { cause: err },
        ),
      ),
    );
    server.listen(http.port, http.host.replace(/^\[|\]$/g, ''), () => resolve());
  }).catch(async (err) => {
    await sessions.closeAll();
    throw err;
  });
  port = (server.address() as AddressInfo).port;
  const urlHost =
    isLoopbackHost(http.host) || ['0.0.0.0', '::', '[::]'].includes(http.host)
      ? http.host === '::' || http.host === '[::]'
        ? '[::1]'
        : http.host === '0.0.0.0'
          ? '127.0.0.1'
          : hostForUrl(http.host)
      : hostForUrl(http.host);
  const url = `http://${urlHost}:${port}/mcp`;

  let tokenFile: string | undefined;
  if (auth.mode === 'token' && auth.generated) {
    const dir = jupyterRuntimeDir(env);
    tokenFile = join(dir, `jupyter-mcp-http-${port}.token`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(tokenFile, `${auth.token}\n`, { mode: 0o600 });
    chmodSync(tokenFile, 0o600);
    notice(tokenNotice(url, tokenFile));
  }
  logger.info('listening', {
    event: 'listening',
    url,
    auth: auth.mode === 'none' ? 'none' : auth.generated ? 'generated-token' : 'token',
    stateless: http.stateless,
    jupyter: config.url ? 'external' : 'embedded',
    tools: tools.length,
  });
  // Check (or start) Jupyter in the background, as stdio does.
  void runtime.startupCheck();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      stopping = true;
      server.close();
      server.closeIdleConnections();
      if (inflight > 0) {
        logger.info(`waiting up to ${http.shutdownTimeoutMs / 1000} s for ${inflight} running tool call(s)`);
        if (!(await waitForCalls(http.shutdownTimeoutMs)))
          logger.warn(`interrupting ${inflight} tool call(s) still running`);
      }
      // Closing a session's transport aborts its calls (execution tools interrupt the kernel), then
      // its kernels are stopped.
      for (const abort of statelessRequests) abort();
      await sessions.closeAll();
      await waitForCalls(5000);
      await closeToolDeps(deps).catch(() => {});
      await runtime
        .close()
        .catch((err: unknown) => logger.warn(`stopping Jupyter: ${(err as Error).message}`));
      server.closeAllConnections();
      if (tokenFile) rmSync(tokenFile, { force: true });
    })();
    return closing;
  };

  return {
    url,
    port,
    tokenFile,
    metrics,
    sessionCount: () => sessions.size,
    close,
  };
}

/**
 * Run the HTTP server until SIGINT/SIGTERM/SIGHUP, then shut down gracefully. Resolves with the reason.
 */
export async function runHttpServer(options: HttpServerOptions): Promise<ShutdownReason> {
  const handle = await startHttpServer(options);
  const lifecycle = createLifecycle({
    logger: options.logger,
    watchParent: false,
    cleanupTimeoutMs: options.http.shutdownTimeoutMs + 20_000,
    cleanup: () => handle.close(),
  });
  return lifecycle.done;
}
