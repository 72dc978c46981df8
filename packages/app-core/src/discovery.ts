import { discoverServers } from '@jupyter-mcp/jupyter-auth';
import type { RunningServerInfo } from '@jupyter-mcp/tools-spec';

/** Jupyter Servers running on this machine (jupyter-auth's discovery), without their tokens. */
export async function listRunningServers(runtimeDir: string): Promise<RunningServerInfo[]> {
  let found: Awaited<ReturnType<typeof discoverServers>>;
  try {
    found = await discoverServers(runtimeDir);
  } catch {
    return [];
  }
  return found.map((s) => ({
    url: s.url.replace(/([?&]token=)[^&#]*/g, '$1[REDACTED]'),
    ...(s.rootDir ? { root_dir: s.rootDir } : {}),
    pid: s.pid,
    ...(s.version ? { version: s.version } : {}),
    has_token: s.token.length > 0,
  }));
}
