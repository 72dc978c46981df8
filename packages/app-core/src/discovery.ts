import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningServerInfo } from '@jupyter-mcp/tools-spec';
import { processAlive } from './processes.js';

/** Jupyter Servers running on this machine, from `jpserver-*.json` in the runtime dir. Tokens are
 *  never returned (only whether one is needed). */
export async function listRunningServers(runtimeDir: string): Promise<RunningServerInfo[]> {
  let names: string[];
  try {
    names = await readdir(runtimeDir);
  } catch {
    return [];
  }
  const out: RunningServerInfo[] = [];
  for (const name of names) {
    if (!/^(jpserver|nbserver)-\d+\.json$/.test(name)) continue;
    try {
      const info = JSON.parse(await readFile(join(runtimeDir, name), 'utf8')) as Record<string, unknown>;
      const pid = typeof info.pid === 'number' ? info.pid : undefined;
      if (pid !== undefined && !processAlive(pid)) continue;
      const url = typeof info.url === 'string' ? info.url.replace(/([?&]token=)[^&#]*/g, '$1[REDACTED]') : '';
      out.push({
        url,
        root_dir:
          typeof info.root_dir === 'string'
            ? info.root_dir
            : typeof info.notebook_dir === 'string'
              ? info.notebook_dir
              : undefined,
        pid,
        version: typeof info.version === 'string' ? info.version : undefined,
        has_token: typeof info.token === 'string' && info.token.length > 0,
      });
    } catch {
      // unreadable or half-written file: skip
    }
  }
  return out;
}
