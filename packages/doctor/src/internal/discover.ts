import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiscoveredServer } from '../types.js';

/** A discovered server plus its token (kept inside the doctor to compare; never reported). */
export interface LocalServer extends DiscoveredServer {
  token: string;
}

function pidAlive(pid: number): boolean | null {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    const code = (err as { code?: string }).code;
    return code === 'EPERM' ? true : code === 'ESRCH' ? false : null;
  }
}

/**
 * Read `jpserver-*.json` (and Notebook 6 `nbserver-*.json`) from Jupyter runtime dirs. Missing dirs and
 * unreadable files are skipped; servers whose process is gone are dropped.
 */
export async function readRuntimeDirs(dirs: readonly string[]): Promise<LocalServer[]> {
  const out: LocalServer[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (!/^(?:jp|nb)server-\d+\.json$/.test(name)) continue;
      const file = join(dir, name);
      let info: Record<string, unknown>;
      try {
        info = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      } catch {
        continue;
      }
      const str = (k: string) => (typeof info[k] === 'string' ? (info[k] as string) : null);
      const url = str('url');
      if (!url) continue;
      const pid = typeof info.pid === 'number' ? info.pid : null;
      const alive = pid ? pidAlive(pid) : null;
      if (alive === false) continue;
      let port = typeof info.port === 'number' ? info.port : Number(new URL(url).port || 0);
      if (!Number.isFinite(port)) port = 0;
      out.push({
        url: url.replace(/([?&]token=)[^&]*/i, '$1[REDACTED]'),
        baseUrl: str('base_url') ?? '/',
        port,
        pid,
        version: str('version'),
        rootDir: str('root_dir') ?? str('notebook_dir'),
        file,
        hasToken: !!str('token'),
        hasPassword: info.password === true,
        alive,
        token: str('token') ?? '',
      });
    }
  }
  return out;
}
