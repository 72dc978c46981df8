import { discoverServers } from '@jupyter-mcp/jupyter-auth';
import type { DiscoveredServer } from '../types.js';

/** A discovered server plus its token (kept inside the doctor to compare; never reported). */
export interface LocalServer extends DiscoveredServer {
  token: string;
}

/**
 * The running local servers described in Jupyter runtime dirs (`jpserver-*.json`, via jupyter-auth's
 * `discoverServers`). Unreadable dirs are skipped: discovery only adds hints.
 */
export async function readRuntimeDirs(dirs: readonly string[]): Promise<LocalServer[]> {
  const out: LocalServer[] = [];
  for (const dir of dirs) {
    let found: Awaited<ReturnType<typeof discoverServers>>;
    try {
      found = await discoverServers(dir);
    } catch {
      continue;
    }
    for (const s of found) {
      let port = s.port ?? 0;
      if (!port) {
        try {
          port = Number(new URL(s.url).port || 0);
        } catch {
          port = 0;
        }
      }
      out.push({
        url: s.url.replace(/([?&]token=)[^&#]*/i, '$1[REDACTED]'),
        baseUrl: s.baseUrl,
        port,
        pid: s.pid,
        version: s.version ?? null,
        rootDir: s.rootDir ?? null,
        file: s.file,
        hasToken: s.token !== '',
        hasPassword: s.password,
        alive: true,
        token: s.token,
      });
    }
  }
  return out;
}

/** The running local servers for reports and `doctor --discover`: tokens dropped. */
export async function listLocalServers(dirs: readonly string[]): Promise<DiscoveredServer[]> {
  return (await readRuntimeDirs(dirs)).map(({ token: _token, ...server }) => server);
}
