import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { Logger } from '@jupyter-mcp/jupyter-auth';
import { AppCoreError } from './errors.js';
import { killTreeSync, terminateTree } from './processes.js';
import { startWatchdog } from './watchdog.js';

/** What to run to get `jupyter`, and how it was found. */
export interface JupyterCommand {
  command: string;
  source: 'option' | 'venv' | 'path';
}

export const INSTALL_INSTRUCTIONS =
  'Install Jupyter Server and a Python kernel into your project: `python -m venv .venv && .venv/bin/pip install jupyter_server ipykernel` ' +
  '(or `pip install jupyterlab`), or pass --jupyter-command /path/to/jupyter, or connect to a running server with --url.';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Find the `jupyter` executable: `--jupyter-command`, then a `.venv` in `cwd`/`root` or any parent,
 * then `PATH`. Undefined when there is none.
 */
export function findJupyterCommand(options: {
  jupyterCommand?: string;
  cwd?: string;
  root?: string;
  /** The process environment (apps pass their own environment): PATH is searched. */
  env: Record<string, string | undefined>;
}): JupyterCommand | undefined {
  if (options.jupyterCommand) return { command: options.jupyterCommand, source: 'option' };
  const seen = new Set<string>();
  for (const start of [options.cwd ?? process.cwd(), options.root]) {
    if (!start) continue;
    let dir = resolve(start);
    for (;;) {
      if (!seen.has(dir)) {
        seen.add(dir);
        for (const venv of ['.venv', 'venv']) {
          const p = join(dir, venv, process.platform === 'win32' ? 'Scripts/jupyter.exe' : 'bin/jupyter');
          if (isExecutable(p)) return { command: p, source: 'venv' };
        }
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  const path = options.env.PATH ?? '';
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, 'jupyter');
    if (isExecutable(p)) return { command: p, source: 'path' };
  }
  return undefined;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export interface ManagedServerOptions {
  /** Directory the server serves (notebook paths are relative to it). */
  root: string;
  jupyterCommand?: string;
  /** Where to look for a `.venv` (default: process.cwd()). */
  cwd?: string;
  /** The environment the server inherits (apps pass their own environment). */
  env: Record<string, string | undefined>;
  logger: Logger;
  startupTimeoutMs?: number;
  /** Extra `--Class.trait=value` arguments. */
  extraArgs?: string[];
}

export interface ManagedServerInfo {
  url: string;
  token: string;
  port: number;
  pid: number;
  root: string;
  command: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The embedded Jupyter Server: started on a free loopback port with a random token, rooted at `root`;
 * `stop()` stops it and every kernel it started. A process `exit` hook kills it as a last resort.
 */
export class ManagedJupyterServer {
  readonly #options: ManagedServerOptions;
  #child: ChildProcess | undefined;
  #info: ManagedServerInfo | undefined;
  #starting: Promise<ManagedServerInfo> | undefined;
  #log = '';
  /** Bumped by stop(): a start in flight notices it and gives up instead of leaving a server behind. */
  #generation = 0;
  readonly #onExit = () => {
    if (this.#child?.pid) killTreeSync(this.#child.pid);
  };

  constructor(options: ManagedServerOptions) {
    this.#options = options;
  }

  get info(): ManagedServerInfo | undefined {
    return this.#info;
  }

  get running(): boolean {
    return this.#info !== undefined && this.#child !== undefined && this.#child.exitCode === null;
  }

  /** The last ~20 kB the server printed (its token never appears: Jupyter prints it, we redact). */
  logTail(): string {
    return this.#log.slice(-20_000);
  }

  /** Start the server (once; concurrent calls share the start). */
  start(): Promise<ManagedServerInfo> {
    if (this.running && this.#info) return Promise.resolve(this.#info);
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #start(): Promise<ManagedServerInfo> {
    const o = this.#options;
    const env = o.env;
    const found = findJupyterCommand({ jupyterCommand: o.jupyterCommand, cwd: o.cwd, root: o.root, env });
    if (!found)
      throw new AppCoreError(
        'JUPYTER_NOT_FOUND',
        `No Jupyter found to start an embedded server: looked for .venv/bin/jupyter and jupyter on PATH. ${INSTALL_INSTRUCTIONS}`,
      );
    if (!existsSync(o.root) || !statSync(o.root).isDirectory())
      throw new AppCoreError(
        'JUPYTER_START_FAILED',
        `The root directory ${o.root} does not exist or is not a directory. Pass an existing directory with --root.`,
      );
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return await this.#launch(found);
      } catch (err) {
        lastError = err;
        if (!/already in use|Address already/i.test(this.#log)) break;
      }
    }
    throw lastError;
  }

  async #launch(found: JupyterCommand): Promise<ManagedServerInfo> {
    const o = this.#options;
    const generation = this.#generation;
    const token = randomBytes(24).toString('hex');
    const port = await freeLoopbackPort();
    if (generation !== this.#generation)
      throw new AppCoreError(
        'JUPYTER_START_FAILED',
        'The embedded Jupyter Server was stopped while it was starting.',
      );
    const args = [
      'server',
      '--no-browser',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--ServerApp.root_dir=${o.root}`,
      ...(o.extraArgs ?? []),
    ];
    if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--allow-root');
    const baseEnv = o.env;
    const binDir = dirname(found.command);
    const env: Record<string, string | undefined> = {
      ...baseEnv,
      // Kernels started by a venv's Jupyter should find that venv's python first.
      PATH: found.source === 'path' ? baseEnv.PATH : `${binDir}${delimiter}${baseEnv.PATH ?? ''}`,
      JUPYTER_PLATFORM_DIRS: baseEnv.JUPYTER_PLATFORM_DIRS ?? '1',
      PYTHONUNBUFFERED: '1',
      // The token goes through the environment, not argv: process listings show argv to every user.
      JUPYTER_TOKEN: token,
    };
    this.#log = '';
    o.logger.info(`starting an embedded Jupyter Server (${found.command}, root ${o.root}, port ${port})`);
    const child = spawn(found.command, args, {
      cwd: o.root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: a Ctrl-C in the client's terminal reaches us, and we stop Jupyter in order.
      detached: true,
    });
    this.#child = child;
    process.on('exit', this.#onExit);
    if (child.pid) startWatchdog(process.pid, child.pid);
    const onData = (b: Buffer) => {
      this.#log += b.toString('utf8').split(token).join('[REDACTED]');
      if (this.#log.length > 200_000) this.#log = this.#log.slice(-100_000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    let exited = false;
    let spawnError: Error | undefined;
    child.on('error', (err) => {
      spawnError = err;
      exited = true;
    });
    child.on('exit', (code, sig) => {
      exited = true;
      if (this.#info) o.logger.warn(`the embedded Jupyter Server exited (${sig ?? `code ${code}`})`);
      this.#info = undefined;
    });
    const url = `http://127.0.0.1:${port}/`;
    const deadline = Date.now() + (o.startupTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (this.#child !== child) {
        throw new AppCoreError(
          'JUPYTER_START_FAILED',
          'The embedded Jupyter Server was stopped while it was starting.',
        );
      }
      if (exited) {
        process.off('exit', this.#onExit);
        this.#child = undefined;
        const tail = this.#log.trim().split('\n').slice(-6).join('\n');
        const notInstalled = /jupyter-server.*not found|No module named|command .*server.* not found/i.test(
          this.#log,
        );
        throw new AppCoreError(
          'JUPYTER_START_FAILED',
          `The embedded Jupyter Server (${found.command}) exited during start-up${spawnError ? `: ${spawnError.message}` : ''}.` +
            (notInstalled ? ` Jupyter Server is not installed there. ${INSTALL_INSTRUCTIONS}` : '') +
            (tail ? `\n${tail}` : ''),
        );
      }
      try {
        const res = await fetch(`${url}api/status`, {
          headers: { Authorization: `token ${token}` },
          signal: AbortSignal.timeout(2000),
        });
        await res.arrayBuffer();
        if (res.ok) {
          this.#info = { url, token, port, pid: child.pid!, root: o.root, command: found.command };
          o.logger.info(`embedded Jupyter Server ready at ${url} (pid ${child.pid})`);
          return this.#info;
        }
      } catch {
        // not up yet
      }
      await sleep(100);
    }
    await this.stop();
    throw new AppCoreError(
      'JUPYTER_START_FAILED',
      `The embedded Jupyter Server did not answer within ${Math.round((o.startupTimeoutMs ?? 60_000) / 1000)} s. Its last output:\n${this.#log.trim().split('\n').slice(-6).join('\n')}`,
    );
  }

  /** Stop the server and every kernel it runs (SIGTERM, then SIGKILL after a grace period). Idempotent. */
  async stop(graceMs = 5000): Promise<void> {
    this.#generation++;
    const child = this.#child;
    this.#child = undefined;
    this.#info = undefined;
    if (!child?.pid) return;
    this.#options.logger.info(`stopping the embedded Jupyter Server (pid ${child.pid})`);
    await terminateTree(child.pid, graceMs);
    process.off('exit', this.#onExit);
  }
}
