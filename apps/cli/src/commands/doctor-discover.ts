import type { DiscoveredServer } from '@jupyter-mcp/doctor';
import { discoverServers } from '@jupyter-mcp/jupyter-auth';

/** Running local Jupyter Servers for `doctor --discover`, without their tokens. */
export async function listLocalServers(runtimeDirs: readonly string[]): Promise<DiscoveredServer[]> {
  const out: DiscoveredServer[] = [];
  for (const dir of runtimeDirs) {
    let found: Awaited<ReturnType<typeof discoverServers>> = [];
    try {
      found = await discoverServers(dir);
    } catch {
      // an unreadable runtime dir lists nothing
    }
    for (const s of found)
      out.push({
        url: s.url.replace(/([?&]token=)[^&#]*/gi, '$1[REDACTED]'),
        baseUrl: s.baseUrl,
        port: s.port ?? Number(new URL(s.url).port || 0),
        pid: s.pid,
        version: s.version ?? null,
        rootDir: s.rootDir ?? null,
        file: s.file,
        hasToken: s.token !== '',
        hasPassword: s.password,
        alive: true,
      });
  }
  return out;
}
