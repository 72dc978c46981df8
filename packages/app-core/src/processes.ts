import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Parent-pid table of every process (Linux /proc, else `ps`). */
function parentTable(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  const add = (pid: number, ppid: number) => {
    const l = children.get(ppid) ?? [];
    l.push(pid);
    children.set(ppid, l);
  };
  if (existsSync('/proc/self/stat')) {
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        add(pid, Number(rest[1]));
      } catch {
        // gone
      }
    }
    return children;
  }
  const r = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of (r.stdout ?? '').split('\n')) {
    const [a, b] = line.trim().split(/\s+/);
    if (a && b) add(Number(a), Number(b));
  }
  return children;
}

/** Every live descendant of `pid` (kernels run in their own sessions, so process groups miss them). */
export function descendantsOf(pid: number): number[] {
  const table = parentTable();
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    for (const c of table.get(p) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM `pid` (Jupyter then shuts its kernels down), wait up to `graceMs`, SIGKILL what is left of
 *  the whole tree (kernels included). */
export async function terminateTree(pid: number, graceMs = 5000): Promise<void> {
  const tree = [pid, ...descendantsOf(pid)];
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && tree.some(processAlive)) await sleep(50);
  for (const p of new Set([...tree, ...descendantsOf(pid)])) if (processAlive(p)) signal(p, 'SIGKILL');
}

/** Synchronous last resort (process `exit` handler): SIGKILL the tree. */
export function killTreeSync(pid: number): void {
  for (const p of [pid, ...descendantsOf(pid)]) signal(p, 'SIGKILL');
}
