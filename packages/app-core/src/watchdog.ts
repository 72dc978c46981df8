import { spawn } from 'node:child_process';

// Runs in a separate, tiny node process: when the jupyter-mcp process disappears without cleaning up
// (SIGKILL, crash), stop the Jupyter Server it started and every process under it (kernels run in
// their own sessions, so the tree is walked). Exits as soon as the server is gone.
const WATCHDOG = `
const [owner, target] = process.argv.slice(1).map(Number);
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
function tree(root) {
  const kids = new Map();
  const add = (p, pp) => { if (!kids.has(pp)) kids.set(pp, []); kids.get(pp).push(p); };
  try {
    for (const e of fs.readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(e)) continue;
      try { const s = fs.readFileSync('/proc/' + e + '/stat', 'utf8'); add(Number(e), Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1])); } catch {}
    }
  } catch {
    try { for (const l of execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' }).split('\\n')) { const [a, b] = l.trim().split(/\\s+/); if (a && b) add(Number(a), Number(b)); } } catch {}
  }
  const out = [root]; for (let i = 0; i < out.length; i++) out.push(...(kids.get(out[i]) || []));
  return out;
}
const timer = setInterval(() => {
  if (!alive(target)) process.exit(0);
  if (alive(owner)) return;
  clearInterval(timer);
  const all = tree(target);
  try { process.kill(target, 'SIGTERM'); } catch {}
  const deadline = Date.now() + 5000;
  const wait = setInterval(() => {
    if (all.some(alive) && Date.now() < deadline) return;
    for (const p of new Set([...all, ...tree(target)])) { try { process.kill(p, 'SIGKILL'); } catch {} }
    process.exit(0);
  }, 100);
}, 500);
`;

/**
 * Start a detached watchdog that stops `targetPid` (the embedded Jupyter Server) and its whole tree
 * if `ownerPid` (this process) dies without doing it — e.g. when the MCP client SIGKILLs us.
 * Best effort: failures to spawn are ignored.
 */
export function startWatchdog(ownerPid: number, targetPid: number): void {
  try {
    const child = spawn(process.execPath, ['-e', WATCHDOG, String(ownerPid), String(targetPid)], {
      detached: true,
      stdio: 'ignore',
    });
    child.on('error', () => {});
    child.unref();
  } catch {
    // no watchdog: the exit hooks still cover every orderly exit
  }
}
