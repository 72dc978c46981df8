import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpRoot } from './paths.js';
import { killTreeNow } from './processes.js';

/** Where every harness records the pids of the servers it starts (read by the global teardown). */
export const registryDir: string = join(tmpRoot, 'jupyter-pids');

const live = new Set<number>();
process.on('exit', () => {
  for (const pid of live) killTreeNow(pid);
});

/**
 * Record a server process this test process started: it is killed (with its whole tree) when the worker
 * exits, and by the global teardown if the worker crashed. Owners: this process and its parent (the
 * vitest main process when tests run in forked workers).
 */
export function trackProcess(pid: number): void {
  mkdirSync(registryDir, { recursive: true });
  live.add(pid);
  writeFileSync(join(registryDir, `${pid}`), `${pid} ${process.pid} ${process.ppid}\n`);
}

/** Forget a process once it has been stopped. */
export function untrackProcess(pid: number): void {
  live.delete(pid);
  try {
    unlinkSync(join(registryDir, `${pid}`));
  } catch {
    // fine
  }
}
