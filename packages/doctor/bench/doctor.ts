/**
 * Doctor wall time against a healthy local server and a closed port, beside baselines measured in the
 * same run: one authenticated request (the floor for any diagnosis) and a bare kernel start + delete
 * (the floor for the kernel probe).
 *   pnpm --filter @jupyter-mcp/doctor bench
 */
import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { freePort, startJupyter } from '@jupyter-mcp/test-support';
import { runDoctor } from '../src/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function time(label: string, fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${label.padEnd(58)} median ${median.toFixed(0).padStart(5)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(5)} ms`,
  );
  return ms;
}

const server = await startJupyter();
try {
  const conn = new JupyterConnection({ url: server.url, token: server.token });
  console.log(`doctor bench: ${RUNS} runs each, jupyter_server at ${server.url}\n`);
  console.log('healthy local server');
  await time('  baseline: one authenticated GET /api/status', () => conn.request('GET', 'api/status'));
  await time('  baseline: kernel start + delete over REST', async () => {
    const k = await conn.json<{ id: string }>('POST', 'api/kernels', { body: {} });
    await conn.request('DELETE', `api/kernels/${k.id}`);
  });
  await time('  baseline: kernel start + channels websocket open + delete', async () => {
    const k = await conn.json<{ id: string }>('POST', 'api/kernels', { body: {} });
    const ws = await conn.openWebSocket(`api/kernels/${k.id}/channels`);
    ws.close();
    await conn.request('DELETE', `api/kernels/${k.id}`);
  });
  await time('  doctor --no-kernel-probe', () =>
    runDoctor({ url: server.url, token: server.token, kernelProbe: false }),
  );
  await time('  doctor (kernel probe: start, 3 handshakes, delete)', () =>
    runDoctor({ url: server.url, token: server.token }),
  );
  await time('  doctor, wrong token', () =>
    runDoctor({ url: server.url, token: 'wrong-token', kernelProbe: false }),
  );

  const port = await freePort();
  const dead = `http://127.0.0.1:${port}/`;
  console.log('\nclosed port');
  await time('  baseline: one fetch to the closed port', () => fetch(dead).catch(() => undefined));
  await time('  doctor', () => runDoctor({ url: dead, token: 'x' }));
} finally {
  await server.stop();
}
