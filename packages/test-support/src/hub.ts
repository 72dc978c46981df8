import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, randomToken } from './jupyter.js';
import { assertVenv, chpPath, tmpRoot, venvBin } from './paths.js';
import { killTree } from './processes.js';
import { trackProcess, untrackProcess } from './registry.js';

export interface StartHubOptions {
  /** Hub users (DummyAuthenticator, all allowed). Default `['alice', 'bob']`. */
  users?: string[];
  /** Users with the Hub's admin role. Default none. */
  admins?: string[];
  /** Password every user logs in with (DummyAuthenticator). Default: a random one. */
  password?: string;
  /** Allow named servers (`/user/<name>/<server>/`). Default true. */
  namedServers?: boolean;
  /** The Hub's base_url, e.g. `/jhub/`. Default `/`. */
  baseUrl?: string;
  /** Seconds a single-user server waits before it starts (to observe a spawn in progress). Default 0. */
  spawnDelayS?: number;
  /** Extra environment of the single-user servers (e.g. `JUPYTERHUB_ALLOW_TOKEN_IN_URL`). */
  singleuserEnv?: Record<string, string>;
  /** Extra `jupyterhub_config.py` lines, appended last. */
  extraConfig?: string;
  startupTimeoutMs?: number;
}

export interface HubServerState {
  /** `''` for the default server. */
  name: string;
  ready: boolean;
  /** `spawn`, `stop` or null. */
  pending: string | null;
  /** Path of the server (`/user/alice/`). */
  url: string;
}

export interface HubTokenOptions {
  /** Scopes of the token (each must be within the user's own permissions). Default: the user's. */
  scopes?: string[];
  /** Seconds until it expires. Default: never. */
  expiresIn?: number;
  note?: string;
}

export interface HubHandle {
  /** Public URL (configurable-http-proxy): `http://127.0.0.1:<port><baseUrl>`, ends with `/`. */
  readonly url: string;
  readonly port: number;
  /** The Hub's own port (behind the proxy). */
  readonly hubPort: number;
  readonly users: readonly string[];
  /** The password of every user (DummyAuthenticator). */
  readonly password: string;
  /** Token of the harness's own admin service (never hand it to the code under test). */
  readonly adminToken: string;
  /** Pid of the `jupyterhub` process (the proxy and single-user servers are its children). */
  readonly pid: number;
  /** Absolute URL of a user's server: `<url>user/<name>/[<server>/]`. */
  serverUrl(user: string, server?: string): string;
  /** A new API token of `user` (through the admin API). */
  createToken(user: string, options?: HubTokenOptions): Promise<string>;
  /**
   * Start a user's (named) server. `wait` (default true): resolve once the Hub reports it ready; false:
   * return as soon as the Hub accepted the request (the spawn may still be running).
   */
  startServer(user: string, options?: { server?: string; wait?: boolean }): Promise<string>;
  /** Stop a user's (named) server and wait until the Hub reports it stopped. */
  stopServer(user: string, options?: { server?: string }): Promise<void>;
  /** The Hub's view of a user's servers (admin API). */
  servers(user: string): Promise<HubServerState[]>;
  /** `fetch` against the Hub API with the admin token: `hubApi('users/alice')`. */
  hubApi(path: string, init?: RequestInit): Promise<Response>;
  /** Hub + proxy + single-user servers output so far (last ~2 MB). */
  logs(): string;
  /** Stop the Hub, the proxy, every single-user server and their kernels (idempotent). */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function normaliseBase(base: string | undefined): string {
  let b = base ?? '/';
  if (!b.startsWith('/')) b = `/${b}`;
  if (!b.endsWith('/')) b = `${b}/`;
  return b;
}

const py = (v: unknown) => JSON.stringify(v);

/** The generated `jupyterhub_config.py` (secrets come from the environment, not the file). */
function hubConfig(o: {
  work: string;
  port: number;
  hubPort: number;
  apiPort: number;
  baseUrl: string;
  users: string[];
  admins: string[];
  namedServers: boolean;
  spawnDelayS: number;
  singleuserEnv: Record<string, string>;
  extraConfig: string;
}): string {
  const singleuser = join(venvBin, 'jupyterhub-singleuser');
  const cmd =
    o.spawnDelayS > 0
      ? ['/bin/sh', '-c', `sleep ${o.spawnDelayS}; exec "$0" "$@"`, singleuser]
      : [singleuser];
  return `import os
c = get_config()  # noqa
c.JupyterHub.ip = '127.0.0.1'
c.JupyterHub.port = ${o.port}
c.JupyterHub.base_url = ${py(o.baseUrl)}
c.JupyterHub.hub_ip = '127.0.0.1'
c.JupyterHub.hub_port = ${o.hubPort}
c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:${o.apiPort}'
c.ConfigurableHTTPProxy.command = [${py(chpPath)}]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = ${py(`sqlite:///${join(o.work, 'jupyterhub.sqlite')}`)}
c.JupyterHub.cookie_secret_file = ${py(join(o.work, 'jupyterhub_cookie_secret'))}
c.JupyterHub.pid_file = ${py(join(o.work, 'jupyterhub.pid'))}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.authenticator_class = 'dummy'
c.DummyAuthenticator.password = os.environ['HARNESS_USER_PASSWORD']
c.Authenticator.allowed_users = set(${py(o.users)})
c.Authenticator.admin_users = set(${py(o.admins)})
c.JupyterHub.allow_named_servers = ${o.namedServers ? 'True' : 'False'}
c.JupyterHub.named_server_limit_per_user = 0
c.JupyterHub.spawner_class = 'simple'
c.SimpleLocalProcessSpawner.home_dir_template = ${py(join(o.work, 'home', '{username}'))}
c.Spawner.cmd = ${py(cmd)}
c.Spawner.args = ['--allow-root']
c.Spawner.ip = '127.0.0.1'
c.LocalProcessSpawner.interrupt_timeout = 2
c.LocalProcessSpawner.term_timeout = 2
c.Spawner.start_timeout = ${Math.max(60, o.spawnDelayS + 60)}
c.Spawner.http_timeout = ${Math.max(60, o.spawnDelayS + 60)}
c.Spawner.environment = ${py({
    JUPYTER_CONFIG_DIR: join(o.work, 'singleuser-config'),
    JUPYTER_PLATFORM_DIRS: '1',
    PYTHONUNBUFFERED: '1',
    ...o.singleuserEnv,
  })}
c.JupyterHub.services = [{'name': 'harness', 'api_token': os.environ['HARNESS_ADMIN_TOKEN']}]
c.JupyterHub.load_roles = [{'name': 'harness-admin', 'scopes': ['admin:users', 'admin:servers', 'tokens', 'read:users', 'read:servers', 'access:servers'], 'services': ['harness']}]
c.JupyterHub.last_activity_interval = 3600
${o.extraConfig}
`;
}

/** Single-user servers load no JupyterLab / collaboration extension (a bare jupyter_server, fast). */
function writeSingleuserConfig(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const off = Object.fromEntries(
    ['jupyterlab', 'notebook_shim', 'jupyter_lsp', 'jupyter_server_ydoc', 'jupyter_server_fileid'].map(
      (n) => [n, false],
    ),
  );
  writeFileSync(
    join(dir, 'jupyter_server_config.json'),
    `${JSON.stringify({ ServerApp: { jpserver_extensions: off } }, null, 1)}\n`,
  );
}

/**
 * Start a real JupyterHub (the `.venv`'s) on 127.0.0.1 free ports: configurable-http-proxy from npm in
 * front, the dummy authenticator, `SimpleLocalProcessSpawner` (single-user servers as this Unix user,
 * with `--allow-root`), named servers, and an admin service the harness uses to make tokens and start or
 * stop servers. Resolves once `GET <url>hub/api` answers through the proxy. Always `stop()` it.
 */
export async function startHub(options: StartHubOptions = {}): Promise<HubHandle> {
  assertVenv();
  const work = mkdtempSync(join(tmpRoot, 'hub-'));
  writeSingleuserConfig(join(work, 'singleuser-config'));
  const users = options.users ?? ['alice', 'bob'];
  const baseUrl = normaliseBase(options.baseUrl);
  const password = options.password ?? randomToken().slice(0, 16);
  const adminToken = randomToken();
  let log = '';
  let child: ChildProcess | undefined;
  let stopped = false;
  let port = 0;
  let hubPort = 0;

  const launch = async (): Promise<void> => {
    [port, hubPort] = [await freePort(), await freePort()];
    const apiPort = await freePort();
    writeFileSync(
      join(work, 'jupyterhub_config.py'),
      hubConfig({
        work,
        port,
        hubPort,
        apiPort,
        baseUrl,
        users,
        admins: options.admins ?? [],
        namedServers: options.namedServers ?? true,
        spawnDelayS: options.spawnDelayS ?? 0,
        singleuserEnv: options.singleuserEnv ?? {},
        extraConfig: options.extraConfig ?? '',
      }),
    );
    log = '';
    const proc = spawn(join(venvBin, 'jupyterhub'), ['-f', join(work, 'jupyterhub_config.py')], {
      cwd: work,
      env: {
        ...process.env,
        PATH: `${venvBin}:${process.env.PATH ?? ''}`,
        HARNESS_ADMIN_TOKEN: adminToken,
        HARNESS_USER_PASSWORD: password,
        CONFIGPROXY_AUTH_TOKEN: randomToken(),
        PYTHONUNBUFFERED: '1',
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
    const hubApi = `http://127.0.0.1:${port}${baseUrl}hub/api`;
    const deadline = Date.now() + (options.startupTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (exited) throw new Error(`jupyterhub exited during start-up.\n--- log ---\n${log.slice(-4000)}`);
      try {
        const res = await fetch(hubApi, { signal: AbortSignal.timeout(2000) });
        const text = await res.text();
        if (res.ok && text.includes('"version"')) return;
      } catch {
        // not up yet
      }
      await sleep(100);
    }
    throw new Error(`jupyterhub did not answer ${hubApi} in time.\n--- log ---\n${log.slice(-4000)}`);
  };

  const stopProcess = async (): Promise<void> => {
    const proc = child;
    if (!proc?.pid) return;
    child = undefined;
    // SIGTERM lets the Hub stop its servers and the proxy; whatever is left of the tree is killed.
    await killTree(proc.pid, 15_000);
    untrackProcess(proc.pid);
  };

  for (let attempt = 0; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      await stopProcess();
      if (attempt < 2 && /already in use|EADDRINUSE/.test(log)) continue;
      rmSync(work, { recursive: true, force: true });
      throw err;
    }
  }

  const url = () => `http://127.0.0.1:${port}${baseUrl}`;
  const hubApi = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `token ${adminToken}`);
    return fetch(`${url()}hub/api/${path.replace(/^\/+/, '')}`, {
      ...init,
      headers,
      signal: init.signal ?? AbortSignal.timeout(60_000),
    });
  };
  const expectOk = async (res: Response, what: string): Promise<string> => {
    const text = await res.text();
    if (!res.ok) throw new Error(`${what}: the Hub answered ${res.status} ${text.slice(0, 300)}`);
    return text;
  };
  const serverPath = (user: string, server = '') =>
    `users/${encodeURIComponent(user)}/server${server ? `s/${encodeURIComponent(server)}` : ''}`;

  const handle: HubHandle = {
    get url() {
      return url();
    },
    get port() {
      return port;
    },
    get hubPort() {
      return hubPort;
    },
    users,
    password,
    adminToken,
    get pid() {
      return child?.pid ?? -1;
    },
    serverUrl: (user, server) =>
      `${url()}user/${encodeURIComponent(user)}/${server ? `${encodeURIComponent(server)}/` : ''}`,
    async createToken(user, opts = {}) {
      const body: Record<string, unknown> = { note: opts.note ?? 'test-support' };
      if (opts.scopes) body.scopes = opts.scopes;
      if (opts.expiresIn !== undefined) body.expires_in = opts.expiresIn;
      const res = await hubApi(`users/${encodeURIComponent(user)}/tokens`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      return (JSON.parse(await expectOk(res, `token for ${user}`)) as { token: string }).token;
    },
    async startServer(user, opts = {}) {
      const res = await hubApi(serverPath(user, opts.server), { method: 'POST', body: '{}' });
      await expectOk(res, `start ${user}/${opts.server ?? ''}`);
      if (opts.wait !== false) {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const s = (await handle.servers(user)).find((x) => x.name === (opts.server ?? ''));
          if (s?.ready) break;
          if (!s?.pending && res.status !== 202 && !s)
            throw new Error(`server ${user}/${opts.server ?? ''} did not start.\n${log.slice(-3000)}`);
          if (Date.now() > deadline)
            throw new Error(`server ${user}/${opts.server ?? ''} not ready in time.\n${log.slice(-3000)}`);
          await sleep(200);
        }
      }
      return handle.serverUrl(user, opts.server);
    },
    async stopServer(user, opts = {}) {
      const res = await hubApi(serverPath(user, opts.server), { method: 'DELETE' });
      if (res.status !== 400) await expectOk(res, `stop ${user}/${opts.server ?? ''}`);
      else await res.text();
      const deadline = Date.now() + 60_000;
      while ((await handle.servers(user)).some((x) => x.name === (opts.server ?? ''))) {
        if (Date.now() > deadline)
          throw new Error(`server ${user}/${opts.server ?? ''} did not stop in time.`);
        await sleep(200);
      }
    },
    async servers(user) {
      const res = await hubApi(`users/${encodeURIComponent(user)}`);
      const model = JSON.parse(await expectOk(res, `user ${user}`)) as {
        servers?: Record<string, { name: string; ready: boolean; pending: string | null; url: string }>;
      };
      return Object.values(model.servers ?? {}).map(({ name, ready, pending, url: u }) => ({
        name,
        ready,
        pending,
        url: u,
      }));
    },
    hubApi,
    logs: () => log,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopProcess();
      rmSync(work, { recursive: true, force: true });
    },
    [Symbol.asyncDispose]() {
      return handle.stop();
    },
  };
  return handle;
}
