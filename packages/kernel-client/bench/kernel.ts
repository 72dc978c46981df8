// Benchmarks of @jupyter-mcp/kernel-client against baselines measured in the same run.
// Run: pnpm --filter @jupyter-mcp/kernel-client bench   (about 2–3 minutes)

import { join } from 'node:path';
import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { KernelClient } from '@jupyter-mcp/kernel-client';
import { type JupyterServerHandle, runPython, startJupyter } from '@jupyter-mcp/test-support';
import { type Kernel, KernelManager, ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';
import { ZmqKernel } from './zmq-baseline.js';

const RUNS = Number(process.argv[2] ?? 300);
/** Sections to run (default all): latency,sequential,lines,rss,pool */
const ONLY = new Set((process.argv[3] ?? 'latency,sequential,lines,rss,pool').split(','));
const WARMUP = 20;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const row = (cells: string[], widths = [52, 14, 14, 16]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('');
const log = (s = '') => process.stdout.write(`${s}\n`);

async function interleaved(
  fns: [() => Promise<unknown>, () => Promise<unknown>, () => Promise<unknown>],
  runs = RUNS,
): Promise<[number[], number[], number[]]> {
  for (let i = 0; i < WARMUP; i++) for (const fn of fns) await fn();
  const out: [number[], number[], number[]] = [[], [], []];
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < fns.length; j++) {
      const t0 = performance.now();
      await fns[j]!();
      out[j]!.push(performance.now() - t0);
    }
  }
  return out;
}

/** Reference: Python jupyter_client over ZMQ, same criterion (reply + idle), timed inside Python. */
const PY_REFERENCE = `
import sys, json, time
from jupyter_client import BlockingKernelClient
kc = BlockingKernelClient(connection_file=sys.argv[1])
kc.load_connection_file()
kc.start_channels()
kc.wait_for_ready(timeout=60)
def run():
    msg_id = kc.execute('1+1')
    got_reply = got_idle = False
    while not got_reply:
        m = kc.get_shell_msg(timeout=30)
        got_reply = m['parent_header'].get('msg_id') == msg_id
    while not got_idle:
        m = kc.get_iopub_msg(timeout=30)
        got_idle = (m['parent_header'].get('msg_id') == msg_id and m['msg_type'] == 'status'
                    and m['content']['execution_state'] == 'idle')
for _ in range(int(sys.argv[2])): run()
out = []
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter(); run(); out.append((time.perf_counter() - t0) * 1000)
kc.stop_channels()
print(json.dumps(out))
`;

/**
 * Each path on its own: only that client is connected to the kernel while it is timed (no iopub
 * broadcast to other clients competing for the server), in alternating blocks so load drift hits all.
 */
async function alone(
  server: JupyterServerHandle,
  client: KernelClient,
): Promise<[number[], number[], number[]]> {
  const solo = await client.startKernel();
  const id = solo.id;
  solo.dispose();
  const out: [number[], number[], number[]] = [[], [], []];
  const blocks = 3;
  const per = Math.ceil(RUNS / blocks);
  const time = async (fn: () => Promise<unknown>, into: number[]) => {
    for (let i = 0; i < 10; i++) await fn();
    for (let i = 0; i < per; i++) {
      const t0 = performance.now();
      await fn();
      into.push(performance.now() - t0);
    }
  };
  for (let b = 0; b < blocks; b++) {
    const z = await ZmqKernel.open(server.runtimeDir, id);
    await time(() => z.execute('1+1'), out[0]);
    z.close();
    const svc = await servicesKernel(server, id);
    await time(() => svc.kernel.requestExecute({ code: '1+1' }).done, out[1]);
    svc.disconnect();
    const h = await client.attachKernel(id);
    await time(() => h.execute('1+1'), out[2]);
    h.dispose();
  }
  await client.attachKernel(id).then((h) => h.shutdown());
  return out;
}

async function servicesKernel(
  server: JupyterServerHandle,
  existingId?: string,
): Promise<{ kernel: Kernel.IKernelConnection; dispose(): Promise<void>; disconnect(): void }> {
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: server.url,
    wsUrl: server.url.replace(/^http/, 'ws'),
    token: server.token,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const manager = new KernelManager({ serverSettings });
  await manager.ready;
  const kernel = existingId
    ? manager.connectTo({ model: { id: existingId, name: 'python3' } })
    : await manager.startNew({ name: 'python3' });
  await kernel.info;
  return {
    kernel,
    dispose: async () => {
      await kernel.shutdown();
      kernel.dispose();
      manager.dispose();
    },
    disconnect: () => {
      kernel.dispose();
      manager.dispose();
    },
  };
}

function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

const MB = 1024 * 1024;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const server = await startJupyter({ liftIopubLimits: true });
  const connection = new JupyterConnection({ url: server.url, token: server.token });
  const client = new KernelClient({ connection });
  try {
    log(
      `kernel-client benchmarks — Node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up, python3 kernel`,
    );
    log();
    // 1+1 latency ------------------------------------------------------------------------------------------
    const ours = await client.startKernel();
    const zmqK = await ZmqKernel.open(server.runtimeDir, ours.id);
    const svc = await servicesKernel(server);
    let t0 = 0;
    if (ONLY.has('latency')) {
      // Interleaved (a, b, c, a, b, c, …) so that load from other processes hits all three alike.
      const [zmqT, svcT, oursT] = await interleaved([
        () => zmqK.execute('1+1'),
        () => svc.kernel.requestExecute({ code: '1+1' }).done,
        () => ours.execute('1+1'),
      ]);
      log('`1+1` round trip (execute_reply + idle), interleaved runs, all three clients connected');
      log(row(['path', 'p50', 'p99', 'p50 / ZMQ']));
      const z50 = pct(zmqT, 50);
      const pyT = JSON.parse(
        await runPython(PY_REFERENCE, [
          join(server.runtimeDir, `kernel-${ours.id}.json`),
          String(WARMUP),
          String(RUNS),
        ]),
      ) as number[];
      for (const [name, t] of [
        ['(a) direct ZMQ (zeromq, HMAC-SHA256)', zmqT],
        ['(b) @jupyterlab/services requestExecute().done', svcT],
        ['(c) @jupyter-mcp/kernel-client execute()', oursT],
        ['(ref) Python jupyter_client over ZMQ (after, alone)', pyT],
      ] as const) {
        log(row([name, ms(pct(t, 50)), ms(pct(t, 99)), `${(pct(t, 50) / z50).toFixed(2)}×`]));
      }
      log();
      const [zA, sA, oA] = await alone(server, client);
      log('`1+1` round trip, each client alone on the kernel (3 alternating blocks)');
      log(row(['path', 'p50', 'p99', 'p50 / ZMQ']));
      for (const [name, t] of [
        ['(a) direct ZMQ', zA],
        ['(b) @jupyterlab/services', sA],
        ['(c) @jupyter-mcp/kernel-client', oA],
      ] as const) {
        log(row([name, ms(pct(t, 50)), ms(pct(t, 99)), `${(pct(t, 50) / pct(zA, 50)).toFixed(2)}×`]));
      }
      log();
    }
    if (ONLY.has('sequential')) {
      // 1,000 sequential executions ------------------------------------------------------------------------
      const N = 1000;
      let zmqTotal = 0;
      let oursTotal = 0;
      for (let block = 0; block < N / 100; block++) {
        t0 = performance.now();
        for (let i = 0; i < 100; i++) await zmqK.execute('1+1');
        zmqTotal += performance.now() - t0;
        t0 = performance.now();
        for (let i = 0; i < 100; i++) await ours.execute('1+1');
        oursTotal += performance.now() - t0;
      }
      t0 = performance.now();
      for (let i = 0; i < 100; i++) await svc.kernel.requestExecute({ code: '1+1' }).done;
      const svcTotal = ((performance.now() - t0) / 100) * N;
      log(`${N} sequential executions of \`1+1\``);
      log(row(['path', 'total', 'exec/s', '']));
      log(
        row(['(a) direct ZMQ', `${(zmqTotal / 1000).toFixed(2)} s`, (N / (zmqTotal / 1000)).toFixed(0), '']),
      );
      log(
        row([
          '(b) @jupyterlab/services (100 run, scaled)',
          `${(svcTotal / 1000).toFixed(2)} s`,
          (N / (svcTotal / 1000)).toFixed(0),
          '',
        ]),
      );
      log(
        row([
          '(c) kernel-client',
          `${(oursTotal / 1000).toFixed(2)} s`,
          (N / (oursTotal / 1000)).toFixed(0),
          '',
        ]),
      );
      log();
    }
    zmqK.close();
    if (ONLY.has('lines')) {
      // 100,000 short lines ---------------------------------------------------------------------------------
      const lines = 'for i in range(100_000):\n    print(i)';
      // Alternate five runs each and take the medians: a single run is at the mercy of machine load.
      const svcRuns: number[] = [];
      const ourRuns: number[] = [];
      let svcChunks = 0;
      let ourChunks = 0;
      let r: Awaited<ReturnType<typeof ours.execute>> | undefined;
      for (let i = 0; i < 5; i++) {
        svcChunks = 0;
        t0 = performance.now();
        const fut = svc.kernel.requestExecute({ code: lines });
        fut.onIOPub = (m) => {
          if (m.header.msg_type === 'stream') svcChunks++;
        };
        await fut.done;
        svcRuns.push(performance.now() - t0);
        ourChunks = 0;
        t0 = performance.now();
        r = await ours.execute(lines, { onOutput: () => ourChunks++ });
        ourRuns.push(performance.now() - t0);
      }
      const svcLines = pct(svcRuns, 50);
      const oursLines = pct(ourRuns, 50);
      log('a cell printing 100,000 short lines (median of 5, alternating)');
      log(row(['path', 'time', 'lines/s', 'stream msgs']));
      log(
        row([
          '(b) @jupyterlab/services',
          ms(svcLines),
          (100_000 / (svcLines / 1000)).toFixed(0),
          String(svcChunks),
        ]),
      );
      log(
        row([
          '(c) kernel-client',
          ms(oursLines),
          (100_000 / (oursLines / 1000)).toFixed(0),
          String(ourChunks),
        ]),
      );
      log(
        `    (our result: ${r?.outputs.length} merged output, ${r?.truncated?.droppedChars ?? 0} chars dropped by the head+tail bound)`,
      );
      log();
    }
    if (ONLY.has('rss')) {
      // 200 MB print: peak RSS --------------------------------------------------------------------------------
      const big =
        'import sys\nline = "x" * 99 + "\\n"\nfor i in range(2_000_000):\n    sys.stdout.write(line)';
      gc();
      let base = process.memoryUsage().rss;
      let sampler = sampleRss();
      t0 = performance.now();
      await ours.execute(big);
      const oursBigT = performance.now() - t0;
      const oursPeak = sampler.stop() - base;
      gc();
      base = process.memoryUsage().rss;
      sampler = sampleRss();
      let kept = 0;
      const parts: string[] = [];
      t0 = performance.now();
      const bigFut = svc.kernel.requestExecute({ code: big });
      bigFut.onIOPub = (m) => {
        if (m.header.msg_type === 'stream') {
          const text = (m.content as { text: string }).text;
          parts.push(text);
          kept += text.length;
        }
      };
      await bigFut.done;
      const svcBigT = performance.now() - t0;
      const svcPeak = sampler.stop() - base;
      parts.length = 0;
      log('a cell printing 200 MB (IOPub limits lifted): peak RSS above the idle process');
      log(row(['path', 'peak ΔRSS', 'time', 'kept']));
      log(
        row([
          '(b) @jupyterlab/services, keeping the stream',
          `${(svcPeak / MB).toFixed(0)} MB`,
          ms(svcBigT),
          `${(kept / MB).toFixed(0)} MB`,
        ]),
      );
      log(
        row([
          '(c) kernel-client (head+tail 20k+20k)',
          `${(oursPeak / MB).toFixed(0)} MB`,
          ms(oursBigT),
          '40 kB',
        ]),
      );
      log();
    }
    await svc.dispose();
    await ours.shutdown();

    if (ONLY.has('pool')) {
      // first-execution latency, with and without the pool ---------------------------------------------------
      const cold: number[] = [];
      for (let i = 0; i < 3; i++) {
        t0 = performance.now();
        const k = await client.startKernel({ name: 'python3' });
        await k.execute('1+1');
        cold.push(performance.now() - t0);
        await k.shutdown();
      }
      const pooled = new KernelClient({ connection, pool: { size: 1, specs: ['python3'] } });
      const warm: number[] = [];
      await pooled.warmPool();
      for (let i = 0; i < 3; i++) {
        t0 = performance.now();
        const k = await pooled.startKernel({ name: 'python3' });
        await k.execute('1+1');
        warm.push(performance.now() - t0);
        await k.shutdown();
        await pooled.warmPool(); // let the refill finish before the next sample
      }
      await pooled.close();
      log('first execution on a new kernel: startKernel() + execute("1+1"), median of 3');
      log(row(['path', 'median', 'min', '']));
      log(row(['kernel-client, no pool', ms(pct(cold, 50)), ms(Math.min(...cold)), '']));
      log(row(['kernel-client, pool of 1 (warm)', ms(pct(warm, 50)), ms(Math.min(...warm)), '']));
    }
    const left = await client.listKernels();
    log();
    log(`kernels left on the server after the pool's close(): ${left.length}`);
  } finally {
    await client.close();
    await server.stop();
  }
}

await main();
