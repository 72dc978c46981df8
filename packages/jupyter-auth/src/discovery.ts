import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JupyterAuthError } from './errors.js';

/**
 * Read a token from a file (what `--token-file` / `JUPYTER_TOKEN_FILE` point at). Surrounding
 * whitespace, including the trailing newline editors and `echo` add, is stripped: a token with a
 * newline never matches. Throws `TOKEN_FILE_UNREADABLE` naming the path (never the contents).
 */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (code ?? 'unknown error');
    throw new JupyterAuthError(
      'TOKEN_FILE_UNREADABLE',
      `Cannot read the token file ${path}: ${why}. Check the path given as the token file, or pass the token directly.`,
      { cause: err },
    );
  }
  const token = text.trim();
  if (!token)
    throw new JupyterAuthError(
      'TOKEN_FILE_UNREADABLE',
      `The token file ${path} is empty. Write the server's token into it, or pass the token directly.`,
    );
  return token;
}

/** A running local Jupyter Server, as described by its `jpserver-<pid>.json` runtime file. */
export interface DiscoveredServer {
  /** Server URL including its base URL, e.g. `http://localhost:8888/`. */
  url: string;
  /** `base_url`, e.g. `/` or `/user/alice/`. */
  baseUrl: string;
  /** The server's token ('' when it has none). A secret: never log it. */
  token: string;
  pid: number;
  port: number | undefined;
  hostname: string | undefined;
  secure: boolean;
  /** True when the server has a password. */
  password: boolean;
  rootDir: string | undefined;
  /** jupyter_server version, e.g. `2.21.1`. */
  version: string | undefined;
  /** The runtime file this came from. */
  file: string;
}

export interface DiscoverOptions {
  /** Whether a pid is alive (default: `process.kill(pid, 0)`, EPERM counting as alive). */
  isAlive?: (pid: number) => boolean;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * List the running Jupyter Servers that wrote `jpserver-*.json` (or Notebook 6's `nbserver-*.json`)
 * into `runtimeDir` — the caller's Jupyter runtime dir (`jupyter --runtime-dir`). Files of dead
 * processes and unparsable files are skipped. Newest first. A missing dir gives `[]`.
 */
export async function discoverServers(
  runtimeDir: string,
  options: DiscoverOptions = {},
): Promise<DiscoveredServer[]> {
  const alive = options.isAlive ?? pidAlive;
  let names: string[];
  try {
    names = await readdir(runtimeDir);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new JupyterAuthError(
      'DISCOVERY_FAILED',
      `Cannot list the Jupyter runtime dir ${runtimeDir}: ${code ?? String(err)}. Check its permissions.`,
      { cause: err },
    );
  }
  const found: { server: DiscoveredServer; mtime: number }[] = [];
  for (const name of names) {
    if (!/^(?:jp|nb)server-\d+\.json$/.test(name)) continue;
    const file = join(runtimeDir, name);
    let info: Record<string, unknown>;
    let mtime = 0;
    try {
      info = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      mtime = (await stat(file)).mtimeMs;
    } catch {
      continue; // being written, or not ours
    }
    const pid = typeof info.pid === 'number' ? info.pid : Number(/-(\d+)\.json$/.exec(name)?.[1]);
    const url = typeof info.url === 'string' ? info.url : undefined;
    if (!url || !Number.isInteger(pid) || pid <= 0 || !alive(pid)) continue;
    const str = (k: string) => (typeof info[k] === 'string' ? (info[k] as string) : undefined);
    found.push({
      mtime,
      server: {
        url,
        baseUrl: str('base_url') ?? '/',
        token: str('token') ?? '',
        pid,
        port: typeof info.port === 'number' ? info.port : undefined,
        hostname: str('hostname'),
        secure: info.secure === true,
        password: info.password === true,
        rootDir: str('root_dir') ?? str('notebook_dir'),
        version: str('version'),
        file,
      },
    });
  }
  return found.sort((a, b) => b.mtime - a.mtime).map((f) => f.server);
}
