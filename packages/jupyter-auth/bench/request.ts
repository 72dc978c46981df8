/**
 * What our HTTP layer costs over a bare fetch, on a real local Jupyter Server (measured in the same run):
 * - GET api/status: bare `fetch` with `Authorization: token` vs `JupyterConnection.json` (token-header)
 *   and vs password login (cookies);
 * - a contents PUT: bare fetch vs ours with a token vs ours with cookies + XSRF;
 * - connecting: `JupyterConnection.connect` (auto → one probe) and a password login vs one bare GET.
 * Prints p50 / p99 in ms. Run: pnpm --filter @jupyter-mcp/jupyter-auth bench
 */

import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { startJupyter } from '@jupyter-mcp/test-support';

const N = Number(process.env.BENCH_N ?? 300);
const PASSWORD = 'bench-password-1';

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(2).padStart(7)} ms   p99 ${q(0.99).toFixed(2).padStart(7)} ms`;
}

async function time(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const server = await startJupyter({ password: PASSWORD });
try {
  const auth = { Authorization: `token ${server.token}` };
  const ours = await JupyterConnection.connect({ url: server.url, token: server.token });
  const cookie = await JupyterConnection.connect({ url: server.url, password: PASSWORD, auth: 'password' });
  const body = JSON.stringify({ type: 'file', format: 'text', content: 'x' });
  const rows: [string, number[]][] = [
    [
      'GET api/status   bare fetch (baseline)',
      await time(N, async () => (await fetch(`${server.url}api/status`, { headers: auth })).text()),
    ],
    ['GET api/status   ours, token-header', await time(N, () => ours.json('GET', 'api/status'))],
    ['GET api/status   ours, password cookies', await time(N, () => cookie.json('GET', 'api/status'))],
    [
      'PUT contents     bare fetch (baseline)',
      await time(N, async () =>
        (await fetch(`${server.url}api/contents/b.txt`, { method: 'PUT', headers: auth, body })).text(),
      ),
    ],
    [
      'PUT contents     ours, token-header',
      await time(N, () => ours.json('PUT', 'api/contents/b.txt', { body })),
    ],
    [
      'PUT contents     ours, cookies + XSRF',
      await time(N, () => cookie.json('PUT', 'api/contents/b.txt', { body })),
    ],
    [
      'connect          one bare GET (baseline)',
      await time(30, async () => (await fetch(`${server.url}api/status`, { headers: auth })).text()),
    ],
    [
      'connect          ours, auto with a token',
      await time(30, () => JupyterConnection.connect({ url: server.url, token: server.token })),
    ],
    [
      'connect          ours, password login',
      await time(30, () =>
        JupyterConnection.connect({ url: server.url, password: PASSWORD, auth: 'password' }),
      ),
    ],
  ];
  process.stdout.write(`jupyter-auth request overhead (n=${N}; connect n=30)\n`);
  for (const [name, ms] of rows) process.stdout.write(`${name.padEnd(44)} ${stats(ms)}\n`);
} finally {
  await server.stop();
}
