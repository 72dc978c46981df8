import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpRoot } from './paths.js';
import { isAlive, killTreeNow } from './processes.js';

/** Vitest global setup: after all tests, kill any Jupyter server a crashed worker left behind. */
export default function setup(): () => void {
  return () => {
    const dir = join(tmpRoot, 'jupyter-pids');
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const pid = Number(readFileSync(join(dir, e), 'utf8'));
      if (Number.isInteger(pid) && isAlive(pid)) killTreeNow(pid);
      rmSync(join(dir, e), { force: true });
    }
  };
}
