// Benchmark of `jupyter-mcp http`: SESSIONS concurrent MCP sessions × CALLS execute_code calls, each
// session on its own kernel (its default kernel); calls/s, p50/p99 latency, server RSS. Beside it, the
// per-call latency of one session over HTTP and over stdio, measured in the same run against the same
// Jupyter Server. Run: pnpm --filter @jupyter-mcp/http bench [sessions] [calls]  (about 1–2 minutes;
// uses the built CLI, so run `node_modules/.bin/turbo run build` first).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, repoRoot, startJupyter } from '@jupyter-mcp/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const SESSIONS = Number(process.argv[2] ?? 20);
const CALLS = Number(process.argv[3] ?? 50);
const SEQUENTIAL = 100;
const TOKEN = 'bench-bearer-token-0123456789abcdef';
const MAIN = join(repoRoot, 'apps/cli/dist/main.js');

const log = (s = '') => process.stdout.write(`${s}\n`);
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const row = (cells: string[], widths = [46, 12, 12, 12, 14]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('');

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

async function execute(client: Client, code: string): Promise<number> {
  const t0 = performance.now();
  const r = (await client.callTool({ name: 'execute_code', arguments: { code } }, undefined, {
    timeout: 300_000,
  })) as { isError?: boolean; content: Array<{ text?: string }> };
  if (r.isError) throw new Error(`execute_code failed: ${r.content[0]?.text}`);
  return performance.now() - t0;
}

async function httpClient(url: string): Promise<Client> {
  const c = new Client({ name: 'bench', version: '0' });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
    }),
  );
  return c;
}

async function sequential(client: Client): Promise<number[]> {
  for (let i = 0; i < 5; i++) await execute(client, `w = ${i}`);
  const out: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) out.push(await execute(client, `v = ${i} * 2`));
  return out;
}

async function main() {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run node_modules/.bin/turbo run build first.`);
  const jupyter = await startJupyter();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    JUPYTER_TOKEN: jupyter.token,
  };
  let server: ChildProcess | undefined;
  let stdio: Client | undefined;
  try {
    const port = await freePort();
    server = spawn(
      process.execPath,
      [
        MAIN,
        'http',
        '--url',
        jupyter.url,
        '--port',
        String(port),
        '--log-level',
        'warn',
        '--max-concurrent-calls',
        '4',
      ],
      { env: { ...env, JUPYTER_MCP_AUTH_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const url = `http://127.0.0.1:${port}/mcp`;
    for (let i = 0; ; i++) {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
      if (r?.status === 200) break;
      if (i > 600) throw new Error('jupyter-mcp http did not get ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    const rssIdle = rssMb(server.pid!);

    // Per-call latency, one session, sequential: HTTP and stdio against the same Jupyter.
    const one = await httpClient(url);
    const httpSeq = await sequential(one);
    await one.close();
    stdio = new Client({ name: 'bench', version: '0' });
    await stdio.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [MAIN, 'stdio', '--url', jupyter.url, '--log-level', 'warn'],
        env,
        stderr: 'inherit',
      }),
    );
    const stdioSeq = await sequential(stdio);
    await stdio.close();
    stdio = undefined;

    // SESSIONS concurrent sessions, each on its own (default) kernel, CALLS calls each.
    const clients = await Promise.all(Array.from({ length: SESSIONS }, () => httpClient(url)));
    await Promise.all(clients.map((c, i) => execute(c, `session = ${i}`))); // start the kernels
    let rssPeak = rssMb(server.pid!);
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, rssMb(server!.pid!));
    }, 50);
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      clients.map(async (c, s) => {
        for (let i = 0; i < CALLS; i++) latencies.push(await execute(c, `x = ${s} * ${i}`));
      }),
    );
    const wall = performance.now() - t0;
    clearInterval(sampler);
    const rssAfter = rssMb(server.pid!);
    await Promise.all(clients.map((c) => c.close()));

    log(
      `jupyter-mcp http bench — ${SESSIONS} sessions × ${CALLS} execute_code calls, one kernel per session`,
    );
    log(`node ${process.version}, ${new Date().toISOString()}`);
    log();
    log(row(['per-call latency, one session, sequential', 'p50', 'p90', 'p99', 'calls']));
    log(
      row([
        '  stdio (baseline, same run)',
        ms(pct(stdioSeq, 50)),
        ms(pct(stdioSeq, 90)),
        ms(pct(stdioSeq, 99)),
        String(stdioSeq.length),
      ]),
    );
    log(
      row([
        '  http (Streamable HTTP, SSE responses)',
        ms(pct(httpSeq, 50)),
        ms(pct(httpSeq, 90)),
        ms(pct(httpSeq, 99)),
        String(httpSeq.length),
      ]),
    );
    log();
    log(row([`${SESSIONS} concurrent sessions`, 'p50', 'p90', 'p99', 'calls/s']));
    log(
      row([
        '  http',
        ms(pct(latencies, 50)),
        ms(pct(latencies, 90)),
        ms(pct(latencies, 99)),
        (latencies.length / (wall / 1000)).toFixed(1),
      ]),
    );
    log();
    log(
      `server RSS: ${rssIdle.toFixed(0)} MB idle, ${rssPeak.toFixed(0)} MB peak under load, ${rssAfter.toFixed(0)} MB after (sessions still open)`,
    );
  } finally {
    await stdio?.close().catch(() => {});
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await jupyter.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
