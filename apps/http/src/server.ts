import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  type AppConfig,
  type AppLogger,
  closeToolDeps,
  createLifecycle,
  type DiagnoseFn,
  jupyterRuntimeDir,
  type ShutdownReason,
} from '@jupyter-mcp/app-core';
import { createServerContext, type ServerContext } from './context.js';
import { HttpAppError } from './errors.js';
import type { Metrics } from './metrics.js';
import { tokenNotice } from './notice.js';
import type { HttpSettings } from './options.js';
import { type Exchange, runStages, type Stage } from './pipeline.js';
import { requestStages } from './request-stages.js';
import { sendRpcError } from './respond.js';
import { hostForUrl } from './security.js';

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

/**
 * Start the Streamable HTTP MCP server (resolves once listening). Throws `HttpAppError`
 * (`AUTH_REQUIRED`, `INVALID_SETTINGS`, `LISTEN_FAILED`) before anything runs when the settings are
 * unsafe or the port is taken. Each request runs through the stages of `requestStages()`.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const ctx = createServerContext(options);
  const server = createServer(requestHandler(ctx, requestStages(ctx.http.stateless)));
  // Long tool calls stream over SSE: no request timeout; headers must still arrive promptly.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  await listen(server, ctx.http).catch(async (err) => {
    await ctx.sessions.closeAll();
    throw err;
  });
  ctx.port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(ctx.http.host)}:${ctx.port}/mcp`;
  const tokenFile = writeTokenFile(ctx, url, options);
  ctx.logger.info('listening', {
    event: 'listening',
    url,
    auth: ctx.auth.mode === 'none' ? 'none' : ctx.auth.generated ? 'generated-token' : 'token',
    stateless: ctx.http.stateless,
    jupyter: ctx.config.url ? 'external' : 'embedded',
    tools: ctx.tools.length,
  });
  // Check (or start) Jupyter in the background, as stdio does.
  void ctx.runtime.startupCheck();
  let closing: Promise<void> | undefined;
  return {
    url,
    port: ctx.port,
    tokenFile,
    metrics: ctx.metrics,
    sessionCount: () => ctx.sessions.size,
    close: () => {
      closing ??= shutdown(ctx, server, tokenFile);
      return closing;
    },
  };
}

/** The `request` listener: a fresh exchange through the stages; an unexpected throw is a 500. */
function requestHandler(ctx: ServerContext, stages: readonly Stage[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    let path = '/';
    try {
      path = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      // keep '/'
    }
    const x: Exchange = { req, res, path, log: { event: 'request', method: req.method, path } };
    runStages(stages, x, ctx).catch((err: unknown) => {
      ctx.logger.error(`request failed: ${(err as Error)?.stack ?? String(err)}`);
      if (!res.headersSent) sendRpcError(res, 500, -32603, 'Internal server error.');
      else res.end();
    });
  };
}

function listen(server: Server, http: HttpSettings): Promise<void> {
  return new Promise<void>((resolve, reject) => {
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
  });
}

/** The host to print in our URL: a wildcard bind is reached through loopback. */
function urlHost(host: string): string {
  if (host === '::' || host === '[::]') return '[::1]';
  if (host === '0.0.0.0') return '127.0.0.1';
  return hostForUrl(host);
}

/** A generated token goes to a 0600 file in the Jupyter runtime dir (never printed); the notice says
 *  how to pass it. */
function writeTokenFile(ctx: ServerContext, url: string, options: HttpServerOptions): string | undefined {
  if (ctx.auth.mode !== 'token' || !ctx.auth.generated) return undefined;
  const dir = jupyterRuntimeDir(options.env ?? process.env);
  const file = join(dir, `jupyter-mcp-http-${ctx.port}.token`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${ctx.auth.token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  (options.notice ?? ((t: string) => void process.stderr.write(t)))(tokenNotice(url, file));
  return file;
}

/** Stop accepting, let running calls finish (up to the shutdown timeout), interrupt the rest, close
 *  every session (its kernels), the embedded Jupyter Server, then the remaining connections. */
async function shutdown(ctx: ServerContext, server: Server, tokenFile: string | undefined): Promise<void> {
  const { calls, logger, http } = ctx;
  ctx.stopping = true;
  server.close();
  server.closeIdleConnections();
  if (calls.count > 0) {
    logger.info(`waiting up to ${http.shutdownTimeoutMs / 1000} s for ${calls.count} running tool call(s)`);
    if (!(await calls.waitIdle(http.shutdownTimeoutMs)))
      logger.warn(`interrupting ${calls.count} tool call(s) still running`);
  }
  // Closing a session's transport aborts its calls (execution tools interrupt the kernel), then
  // its kernels are stopped.
  for (const abort of ctx.statelessRequests) abort();
  await ctx.sessions.closeAll();
  await calls.waitIdle(5000);
  await closeToolDeps(ctx.deps).catch(() => {});
  await ctx.runtime
    .close()
    .catch((err: unknown) => logger.warn(`stopping Jupyter: ${(err as Error).message}`));
  server.closeAllConnections();
  if (tokenFile) rmSync(tokenFile, { force: true });
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
