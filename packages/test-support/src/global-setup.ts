import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killTreeNow } from './processes.js';
import { registryDir } from './registry.js';

function isJupyter(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('jupyter');
  } catch {
    return false;
  }
}

/** Vitest global setup: after all tests, kill any Jupyter server that this vitest run's crashed workers
 *  left behind. Entries of other runs (another vitest at the same time) are left alone. */
export default function setup(): () => void {
  const self = process.pid;
  return () => {
    const dir = registryDir;
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const [pid, ...owners] = readFileSync(join(dir, e), 'utf8').trim().split(/\s+/).map(Number);
      if (pid === undefined || !owners.includes(self)) {
        // Another run's server: leave it, unless it is long dead.
        if (pid !== undefined && !isAlive(pid)) rmSync(join(dir, e), { force: true });
        continue;
      }
      if (isAlive(pid) && isJupyter(pid)) killTreeNow(pid);
      rmSync(join(dir, e), { force: true });
    }
  };
}
