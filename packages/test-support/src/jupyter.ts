import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { assertVenv, jupyterPath, pythonPath, tmpRoot, venvBin } from './paths.js';
import { killTree } from './processes.js';
import { trackProcess, untrackProcess } from './registry.js';

export interface StartJupyterOptions {
  /** Token to require. Default: a random one. `''` or `null`: no token (password-only or open server). */
  token?: string | null;
  /** Plain password; the harness hashes it with jupyter_server's `passwd()`. */
  password?: string;
  /** Server base_url, e.g. `/user/alice/`. Default `/`. */
  baseUrl?: string;
  disableCheckXsrf?: boolean;
  allowOrigin?: string;
  allowOriginPat?: string;
  allowRemoteAccess?: boolean;
  localHostnames?: string[];
  /** IOPub limits of the kernel websocket relay (bytes/s, msgs/s). */
  iopubDataRateLimit?: number;
  iopubMsgRateLimit?: number;
  /** Shorthand: lift both IOPub limits so our own output bounds are what a test measures. */
  liftIopubLimits?: boolean;
  /** Root dir served by the Contents API. Default: a fresh temp dir. */
  rootDir?: string;
  /** Any other traitlets, as `Class.trait` → value (`--Class.trait=value`). */
  traitlets?: Record<string, string | number | boolean>;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** Fixed port (default: a free one). */
  port?: number;
  /**
   * Server extensions installed in the venv that this server loads. Default: none of them, so a plain
   * `startJupyter()` behaves like a bare jupyter_server. `lab`: the JupyterLab UI (with notebook_shim,
   * jupyter_lsp); `collaboration`: JupyterLab plus jupyter-collaboration (jupyter_server_ydoc,
   * jupyter_server_fileid), i.e. the real-time rooms JupyterLab tabs join.
   */
  extensions?: { lab?: boolean; collaboration?: boolean };
  startupTimeoutMs?: number;
}

export interface JupyterServerHandle {
  /** `http://127.0.0.1:<port><baseUrl>` — always ends with `/`. */
  readonly url: string;
  readonly baseUrl: string;
  readonly port: number;
  /** The token the server requires ('' when none). */
  readonly token: string;
  readonly password: string | undefined;
  readonly runtimeDir: string;
  readonly rootDir: string;
  readonly configDir: string;
  readonly dataDir: string;
  readonly pid: number;
  /** Server stdout+stderr so far (last ~2 MB). */
  logs(): string;
  /** Stop the server and every kernel it started (idempotent). */
  stop(): Promise<void>;
  /** Stop and start again on the same port and dirs (cookie secret kept); optionally with a new token. */
  restart(opts?: { token?: string | null }): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Hash a password the way jupyter_server does (argon2 or sha1, whatever `passwd()` picks). */
export function hashPassword(password: string): string {
  assertVenv();
  return execFileSync(
    pythonPath,
    ['-c', 'import sys; from jupyter_server.auth import passwd; print(passwd(sys.argv[1]))', password],
    {
      encoding: 'utf8',
    },
  ).trim();
}

export function randomToken(): string {
  return randomBytes(24).toString('hex');
}

function normaliseBase(base: string | undefined): string {
  let b = base ?? '/';
  if (!b.startsWith('/')) b = `/${b}`;
  if (!b.endsWith('/')) b = `${b}/`;
  return b;
}

/** Extensions the venv enables (in its `etc/jupyter/jupyter_server_config.d`) and when a test wants them. */
const EXTENSIONS: Record<string, 'lab' | 'collaboration'> = {
  jupyterlab: 'lab',
  notebook_shim: 'lab',
  jupyter_lsp: 'lab',
  jupyter_server_ydoc: 'collaboration',
  jupyter_server_fileid: 'collaboration',
};

/** The user config dir wins over the venv's: switch off what the test did not ask for. */
function writeExtensionConfig(configDir: string, ext: { lab?: boolean; collaboration?: boolean }): void {
  const lab = Boolean(ext.lab || ext.collaboration);
  const collaboration = Boolean(ext.collaboration);
  const enabled: Record<string, boolean> = {};
  for (const [name, group] of Object.entries(EXTENSIONS))
    enabled[name] = group === 'lab' ? lab : collaboration;
  writeFileSync(
    join(configDir, 'jupyter_server_config.json'),
    `${JSON.stringify({ ServerApp: { jpserver_extensions: enabled } }, null, 1)}\n`,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Start a real `jupyter server` on 127.0.0.1 with temp config/data/runtime dirs. Resolves once
 * `GET <base>/api` answers. Always call `stop()` (or `await using`); the harness also kills leftovers
 * when the worker exits and in the global teardown.
 */
export async function startJupyter(options: StartJupyterOptions = {}): Promise<JupyterServerHandle> {
  assertVenv();
  const work = mkdtempSync(join(tmpRoot, 'jupyter-'));
  const configDir = join(work, 'config');
  const dataDir = join(work, 'data');
  const runtimeDir = join(work, 'runtime');
  const ipythonDir = join(work, 'ipython');
  const rootDir = options.rootDir ?? join(work, 'root');
  for (const d of [configDir, dataDir, runtimeDir, ipythonDir, rootDir]) mkdirSync(d, { recursive: true });
  writeExtensionConfig(configDir, options.extensions ?? {});
  const baseUrl = normaliseBase(options.baseUrl);
  const password = options.password;
  const hashed = password !== undefined ? hashPassword(password) : undefined;
  let token = options.token === undefined ? randomToken() : (options.token ?? '');
  let port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  let log = '';
  let stopped = false;

  const args = (): string[] => {
    const a = [
      'server',
      '--allow-root',
      '--no-browser',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--ServerApp.root_dir=${rootDir}`,
      `--ServerApp.base_url=${baseUrl}`,
      `--IdentityProvider.token=${token}`,
      '--ServerApp.shutdown_no_activity_timeout=0',
    ];
    if (hashed !== undefined) a.push(`--PasswordIdentityProvider.hashed_password=${hashed}`);
    if (options.disableCheckXsrf) a.push('--ServerApp.disable_check_xsrf=True');
    if (options.allowOrigin !== undefined) a.push(`--ServerApp.allow_origin=${options.allowOrigin}`);
    if (options.allowOriginPat !== undefined)
      a.push(`--ServerApp.allow_origin_pat=${options.allowOriginPat}`);
    if (options.allowRemoteAccess) a.push('--ServerApp.allow_remote_access=True');
    if (options.localHostnames)
      a.push(`--ServerApp.local_hostnames=${JSON.stringify(options.localHostnames)}`);
    const data = options.liftIopubLimits ? 1e12 : options.iopubDataRateLimit;
    const msgs = options.liftIopubLimits ? 1e9 : options.iopubMsgRateLimit;
    if (data !== undefined) a.push(`--ZMQChannelsWebsocketConnection.iopub_data_rate_limit=${data}`);
    if (msgs !== undefined) a.push(`--ZMQChannelsWebsocketConnection.iopub_msg_rate_limit=${msgs}`);
    for (const [k, v] of Object.entries(options.traitlets ?? {}))
      a.push(`--${k}=${v === true ? 'True' : v === false ? 'False' : v}`);
    return a;
  };

  const launch = async (): Promise<void> => {
    log = '';
    const proc = spawn(jupyterPath, args(), {
      cwd: rootDir,
      env: {
        ...process.env,
        PATH: `${venvBin}:${process.env.PATH ?? ''}`,
        JUPYTER_CONFIG_DIR: configDir,
        JUPYTER_DATA_DIR: dataDir,
        JUPYTER_RUNTIME_DIR: runtimeDir,
        IPYTHONDIR: ipythonDir,
        JUPYTER_PLATFORM_DIRS: '1',
        PYTHONUNBUFFERED: '1',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    trackProcess(proc.pid!);
    const onData = (b: Buffer) => {
      log += b.toString('utf8');
      if (log.length > 2_000_000) log = log.slice(-1_500_000);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    let exited = false;
    proc.on('exit', () => {
      exited = true;
    });
    const apiUrl = `http://127.0.0.1:${port}${baseUrl}api`;
    const deadline = Date.now() + (options.startupTimeoutMs ?? 45_000);
    while (Date.now() < deadline) {
      if (exited)
        throw new Error(
          `jupyter server exited during start-up (port ${port}).\n--- log ---\n${log.slice(-4000)}`,
        );
      try {
        const res = await fetch(apiUrl, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          await res.text();
          return;
        }
        await res.text();
      } catch {
        // not up yet
      }
      await sleep(50);
    }
    await stopProcess();
    throw new Error(
      `jupyter server did not answer ${apiUrl} within the start-up timeout.\n--- log ---\n${log.slice(-4000)}`,
    );
  };

  const stopProcess = async (): Promise<void> => {
    const proc = child;
    if (!proc?.pid) return;
    child = undefined;
    await killTree(proc.pid);
    untrackProcess(proc.pid);
  };

  // A free port can be taken between freePort() and bind: retry a couple of times.
  for (let attempt = 0; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      await stopProcess();
      if (attempt < 2 && options.port === undefined && /already in use|Address already/.test(log)) {
        port = await freePort();
        continue;
      }
      throw err;
    }
  }

  const handle: JupyterServerHandle = {
    get url() {
      return `http://127.0.0.1:${port}${baseUrl}`;
    },
    baseUrl,
    get port() {
      return port;
    },
    get token() {
      return token;
    },
    password,
    runtimeDir,
    rootDir,
    configDir,
    dataDir,
    get pid() {
      return child?.pid ?? -1;
    },
    logs: () => log,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcess();
      if (options.rootDir === undefined) rmSync(work, { recursive: true, force: true });
    },
    async restart(opts) {
      await stopProcess();
      if (opts && 'token' in opts) token = opts.token ?? '';
      await launch();
    },
    [Symbol.asyncDispose]() {
      return handle.stop();
    },
  };
  return handle;
}
