import { homedir } from 'node:os';
import { join } from 'node:path';
import { JupyterAuthError, JupyterConnection, JupyterHttpError } from '@jupyter-mcp/jupyter-auth';
import {
  type ConnectionDiagnoser,
  type DiagnosisReport,
  type Finding,
  type JupyterAccess,
  type JupyterDescription,
  JupyterUnavailableError,
  type ManagedServerControl,
  type ServerDiscovery,
  type SessionRegistry,
  ToolError,
  type ToolSettings,
} from '@jupyter-mcp/tools-spec';
import { type AppConfig, configSecrets, connectionOptionsFrom } from './config.js';
import { listRunningServers } from './discovery.js';
import { ConfigError } from './errors.js';
import { findDiagnosis, findingFromError } from './findings.js';
import type { AppLogger } from './logger.js';
import { INSTALL_INSTRUCTIONS, ManagedJupyterServer } from './managed-server.js';

/** Doctor entry point as the runtime uses it (the app passes the real doctor). */
export type DiagnoseFn = (target: {
  url: string;
  token?: string;
  password?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Start a kernel to probe its channels (the diagnose_connection tool does; start-up checks do not). */
  kernelProbe?: boolean;
}) => Promise<DiagnosisReport>;

export interface JupyterRuntimeOptions {
  config: AppConfig;
  logger: AppLogger;
  /** The doctor; without it, findings come from the error alone. */
  diagnose?: DiagnoseFn;
  /** The process environment (apps pass their own environment). */
  env: Record<string, string | undefined>;
  cwd?: string;
}

/** Process-level Jupyter plumbing shared by every MCP session of one app process. */
export interface JupyterRuntime {
  access: JupyterAccess;
  server: ManagedServerControl;
  diagnoser: ConnectionDiagnoser;
  discovery: ServerDiscovery;
  sessions: SessionRegistry;
  settings: ToolSettings;
  /** The embedded server, when no URL was configured. */
  managed: ManagedJupyterServer | undefined;
  /** Check the connection once (start the embedded server if needed); logs the finding on failure. */
  startupCheck(): Promise<boolean>;
  /** Stop the embedded server (and its kernels). */
  close(): Promise<void>;
}

/** Default Jupyter runtime dir (where jpserver-*.json files live). */
export function jupyterRuntimeDir(env: Record<string, string | undefined>): string {
  if (env.JUPYTER_RUNTIME_DIR) return env.JUPYTER_RUNTIME_DIR;
  const data =
    env.JUPYTER_DATA_DIR ??
    (process.platform === 'darwin'
      ? join(homedir(), 'Library', 'Jupyter')
      : process.platform === 'win32'
        ? join(env.APPDATA ?? homedir(), 'jupyter')
        : join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter'));
  return join(data, 'runtime');
}

/**
 * Build the Jupyter access layer from a config: an external server (`url`) or the embedded one.
 */
export function createJupyterRuntime(options: JupyterRuntimeOptions): JupyterRuntime {
  const { config, logger } = options;
  const env = options.env;
  for (const s of configSecrets(config)) logger.addSecret(s);
  const managed = config.url
    ? undefined
    : new ManagedJupyterServer({
        root: config.root,
        jupyterCommand: config.jupyterCommand,
        cwd: options.cwd,
        env,
        logger,
      });

  let external: JupyterConnection | undefined;
  if (config.url) {
    try {
      external = new JupyterConnection(connectionOptionsFrom(config, config.url, logger));
    } catch (err) {
      if (err instanceof JupyterAuthError && err.code !== 'INVALID_URL') throw new ConfigError(err.message);
      if (err instanceof JupyterAuthError) throw new ConfigError(`--url: ${err.message}`);
      throw err;
    }
  }
  let managedConn: { url: string; conn: JupyterConnection } | undefined;
  let state: 'ok' | 'unavailable' | 'unchecked' = 'unchecked';
  let finding: Finding | undefined;
  let checking: Promise<JupyterConnection> | undefined;

  const sessionIds = new Set<string>();
  const sessions: SessionRegistry = {
    add: (id) => void sessionIds.add(id),
    delete: (id) => void sessionIds.delete(id),
    ids: () => [...sessionIds],
  };

  const currentTarget = (): { url: string; conn: JupyterConnection } | undefined => {
    if (external) return { url: external.baseUrl, conn: external };
    return managedConn;
  };

  const diagnoser: ConnectionDiagnoser = {
    async diagnose(opts) {
      return runDiagnosis(opts?.signal, opts?.kernelProbe ?? true);
    },
  };

  async function runDiagnosis(
    signal: AbortSignal | undefined,
    kernelProbe: boolean,
  ): Promise<DiagnosisReport> {
    {
      if (managed && !managed.running) {
        try {
          await ensure();
        } catch (err) {
          const f = err instanceof JupyterUnavailableError ? err.finding : findingFromError(err);
          return { ok: false, findings: [f], text: `${f.summary}\n${f.fix ?? ''}` };
        }
      }
      const target = currentTarget();
      if (!target) return { ok: false, findings: [], text: 'No Jupyter Server is configured.' };
      if (!options.diagnose) {
        try {
          await target.conn.json('GET', 'api/status');
          return {
            ok: true,
            findings: [],
            text: `Jupyter at ${logger.redactor.redactUrl(target.url)} answers and accepts our credentials.`,
          };
        } catch (err) {
          const f = findingFromError(err);
          return { ok: false, findings: [f], text: `${f.summary}\n${f.explanation ?? ''}\n${f.fix ?? ''}` };
        }
      }
      const token = managed ? managed.info?.token : config.token;
      return options.diagnose({
        url: target.url,
        token,
        password: config.password,
        headers: config.headers,
        timeoutMs: config.requestTimeoutMs,
        signal,
        kernelProbe,
      });
    }
  }

  async function check(): Promise<JupyterConnection> {
    let conn: JupyterConnection;
    if (managed) {
      let info: Awaited<ReturnType<ManagedJupyterServer['start']>>;
      try {
        info = await managed.start();
      } catch (err) {
        const code = (err as { code?: string }).code;
        throw new JupyterUnavailableError({
          code: code === 'JUPYTER_NOT_FOUND' ? 'jupyter-not-installed' : 'embedded-server-failed',
          severity: 'error',
          summary: (err as Error).message.split('\n')[0]!,
          explanation: (err as Error).message,
          fix:
            code === 'JUPYTER_NOT_FOUND'
              ? INSTALL_INSTRUCTIONS
              : `${INSTALL_INSTRUCTIONS} Run with --log-level debug for details.`,
        });
      }
      logger.addSecret(info.token);
      if (!managedConn || managedConn.url !== info.url)
        managedConn = {
          url: info.url,
          conn: new JupyterConnection(
            connectionOptionsFrom({ ...config, token: info.token, auth: 'token-header' }, info.url, logger),
          ),
        };
      conn = managedConn.conn;
    } else {
      conn = external!;
    }
    try {
      await conn.json('GET', 'api/status');
    } catch (err) {
      let f: Finding;
      try {
        const report = await runDiagnosis(undefined, false);
        f = findDiagnosis(report) ?? findingFromError(err);
      } catch {
        f = findingFromError(err);
      }
      throw new JupyterUnavailableError(f);
    }
    return conn;
  }

  function ensure(): Promise<JupyterConnection> {
    checking ??= check()
      .then(
        (conn) => {
          if (state !== 'ok')
            logger.info(
              `connected to Jupyter at ${logger.redactor.redactUrl(conn.baseUrl)} (${conn.authMethod})`,
            );
          state = 'ok';
          finding = undefined;
          return conn;
        },
        (err: unknown) => {
          const f = err instanceof JupyterUnavailableError ? err.finding : findingFromError(err);
          const changed = finding?.code !== f.code || state !== 'unavailable';
          state = 'unavailable';
          finding = f;
          if (changed) logger.error(`Jupyter is not usable: ${f.summary}${f.fix ? ` — fix: ${f.fix}` : ''}`);
          throw err instanceof JupyterUnavailableError ? err : new JupyterUnavailableError(f);
        },
      )
      .finally(() => {
        checking = undefined;
      });
    return checking;
  }

  const access: JupyterAccess = {
    async connection() {
      if (state === 'ok') {
        const t = currentTarget();
        if (t && (!managed || managed.running)) return t.conn;
      }
      return ensure();
    },
    reportFailure(error) {
      const connLevel =
        (error instanceof JupyterHttpError && (error.status === 401 || error.status === 403)) ||
        (error instanceof JupyterAuthError &&
          ['CONNECTION_REFUSED', 'DNS_FAILED', 'TLS_ERROR', 'AUTH_FAILED', 'LOGIN_FAILED'].includes(
            error.code,
          ));
      if (connLevel) state = 'unchecked';
    },
    describe(): JupyterDescription {
      const t = currentTarget();
      return {
        url: t ? logger.redactor.redactUrl(t.url) : config.url ? safeUrl(config.url, logger) : undefined,
        mode: managed ? 'managed' : 'external',
        authMethod: t?.conn.authMethod,
        root: managed ? config.root : undefined,
        state,
        finding,
      };
    },
  };

  const server: ManagedServerControl = {
    enabled: managed !== undefined,
    status() {
      const i = managed?.info;
      return i ? { running: managed!.running, url: i.url, pid: i.pid, root: i.root } : { running: false };
    },
    async start() {
      if (!managed)
        throw new ToolError(
          'NOT_MANAGED',
          'jupyter-mcp is connected to an external Jupyter Server (--url); it does not manage one.',
          {
            hint: 'Start or stop that server yourself; start_jupyter_server only works when jupyter-mcp runs without --url.',
          },
        );
      await ensure();
      const i = managed.info!;
      return { url: i.url, pid: i.pid, root: i.root };
    },
    async stop(sessionId) {
      if (!managed)
        throw new ToolError(
          'NOT_MANAGED',
          'jupyter-mcp is connected to an external Jupyter Server (--url); it will not stop it.',
          {
            hint: 'Stop that server yourself if you mean to.',
          },
        );
      const others = [...sessionIds].filter((id) => id !== sessionId);
      if (others.length > 0)
        throw new ToolError(
          'IN_USE',
          `The embedded Jupyter Server is in use by ${others.length} other MCP session(s).`,
          {
            hint: 'Leave it running; it stops by itself when jupyter-mcp exits.',
          },
        );
      await managed.stop();
      managedConn = undefined;
      state = 'unchecked';
    },
  };

  const discovery: ServerDiscovery = {
    async list() {
      const mine = managed?.info?.pid;
      const list = await listRunningServers(jupyterRuntimeDir(env));
      return list.map((s) => ({ ...s, managed_by_us: mine !== undefined && s.pid === mine }));
    },
  };

  return {
    access,
    server,
    diagnoser,
    discovery,
    sessions,
    managed,
    settings: {
      executionTimeoutS: config.executionTimeoutS,
      outputLimit: config.outputLimit,
      imageLimitBytes: config.imageLimitBytes,
      resourceLimitBytes: config.resourceLimitBytes,
      tools: config.tools,
      disabledTools: config.disabledTools,
      readOnly: config.readOnly,
      // Absolute paths are accepted under the root we know: the embedded server's, or an explicit --root.
      root: managed || (config.sources.root && config.sources.root !== 'default') ? config.root : undefined,
    },
    async startupCheck() {
      try {
        await ensure();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await managed?.stop();
    },
  };
}

function safeUrl(url: string, logger: AppLogger): string {
  return logger.redactor.redactUrl(url);
}
