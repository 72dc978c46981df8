// Benchmark of the MCP server over stdio (the built CLI) against baselines measured in the same run:
//  1. spawn → initialize → tools/list wall time, beside a bare `node` start (Jupyter start excluded:
//     the server is external and already running).
//  2. execute_code("1+1") round trip over stdio, beside the kernel-client call it wraps
//     (KernelHandle.execute on the same kernel) and the direct-ZMQ figure (Python jupyter_client on the
//     kernel's connection file; kernel-client does not export its zeromq baseline).
// Run: pnpm --filter @jupyter-mcp/tools-spec bench [runs]   (needs `turbo run build` first)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { KernelClient } from '@jupyter-mcp/kernel-client';
import { repoRoot, runPython, startJupyter } from '@jupyter-mcp/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';

const RUNS = Number(process.argv[2] ?? 200);
const STARTS = 10;
const WARMUP = 20;
const cli = join(repoRoot, 'apps/cli/dist/main.js');
if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`node_modules/.bin/turbo run build\` first.`);

const log = (s = '') => process.stdout.write(`${s}\n`);
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const row = (cells: string[], widths = [58, 12, 12, 10]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('');

function env(): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('JUPYTER')) e[k] = v;
  return e;
}

async function connect(url: string, token: string): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, '--url', url, '--log-level', 'warn'],
    env: { ...env(), JUPYTER_TOKEN: token },
    stderr: 'ignore',
  });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

const server = await startJupyter();
try {
  log(`jupyter-mcp stdio benchmark — Node ${process.version}, ${RUNS} runs (p50 / p99)\n`);

  // 1. Start-up.
  const starts: number[] = [];
  const sdkStarts: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    let t0 = performance.now();
    spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
    bare.push(performance.now() - t0);
    // tools/list as a plain request: what any client waits for.
    t0 = performance.now();
    let client = await connect(server.url, server.token);
    await client.request({ method: 'tools/list', params: {} }, ListToolsResultSchema);
    starts.push(performance.now() - t0);
    await client.close();
    // The SDK Client's listTools() also compiles a JSON Schema validator per output schema (client cost).
    t0 = performance.now();
    client = await connect(server.url, server.token);
    await client.listTools();
    sdkStarts.push(performance.now() - t0);
    await client.close();
  }
  log(row(['start-up (wall time)', 'p50', 'max', 'ratio']));
  log(row(['bare `node -e ""` (spawn to exit)', ms(pct(bare, 50)), ms(Math.max(...bare)), '1.0×']));
  log(
    row([
      'jupyter-mcp: spawn → initialize → tools/list (target ≤ 300 ms)',
      ms(pct(starts, 50)),
      ms(Math.max(...starts)),
      `${(pct(starts, 50) / pct(bare, 50)).toFixed(1)}×`,
    ]),
  );
  log(
    row([
      '  same with SDK Client.listTools() (+ client-side validators)',
      ms(pct(sdkStarts, 50)),
      ms(Math.max(...sdkStarts)),
      `${(pct(sdkStarts, 50) / pct(bare, 50)).toFixed(1)}×`,
    ]),
  );
  log();

  // 2. execute_code("1+1").
  const client = await connect(server.url, server.token);
  const first = await client.callTool({ name: 'execute_code', arguments: { code: '1+1' } });
  const kernelId = (first.structuredContent as { kernel_id: string }).kernel_id;
  const conn = new JupyterConnection({ url: server.url, token: server.token });
  const kc = new KernelClient({ connection: conn });
  const handle = await kc.attachKernel(kernelId);

  const viaMcp = async () => {
    const r = await client.callTool({
      name: 'execute_code',
      arguments: { code: '1+1', kernel_id: kernelId },
    });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };
  const viaKc = async () => {
    const r = await handle.execute('1+1');
    if (r.status !== 'ok') throw new Error(r.status);
  };
  // Each path is measured with no extra client on the kernel: the server copies every IOPub message to
  // each connected websocket, which would tax whichever path runs beside another. So: kernel-client
  // first (the MCP server's own websocket stays open — it holds the session kernel), then close our
  // handle and measure the MCP path the way a client meets it, as the kernel's only extra client.
  const kcT: number[] = [];
  for (let i = 0; i < WARMUP; i++) await viaKc();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await viaKc();
    kcT.push(performance.now() - t0);
  }
  handle.dispose();
  const mcpT: number[] = [];
  for (let i = 0; i < WARMUP; i++) await viaMcp();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await viaMcp();
    mcpT.push(performance.now() - t0);
  }

  // Direct ZMQ: jupyter_client on the kernel's connection file, same kernel, same run.
  const zmqOut = await runPython(
    `
import json, sys, time
from jupyter_client import BlockingKernelClient
kc = BlockingKernelClient(connection_file=sys.argv[1])
kc.load_connection_file()
kc.start_channels()
kc.wait_for_ready(timeout=30)
def once():
    kc.execute_interactive("1+1", output_hook=lambda m: None, timeout=30)
for _ in range(${WARMUP}):
    once()
out = []
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter()
    once()
    out.append((time.perf_counter() - t0) * 1000)
kc.stop_channels()
print(json.dumps(out))
`,
    [join(server.runtimeDir, `kernel-${kernelId}.json`), String(RUNS)],
  );
  const zmqT = JSON.parse(zmqOut.trim().split('\n').pop()!) as number[];

  const z50 = pct(zmqT, 50);
  log(row(['execute_code("1+1") round trip', 'p50', 'p99', 'vs ZMQ']));
  log(row(['direct ZMQ (jupyter_client, kernel connection file)', ms(z50), ms(pct(zmqT, 99)), '1.0×']));
  log(
    row([
      'kernel-client KernelHandle.execute (what the tool wraps)',
      ms(pct(kcT, 50)),
      ms(pct(kcT, 99)),
      `${(pct(kcT, 50) / z50).toFixed(2)}×`,
    ]),
  );
  log(
    row([
      'MCP tools/call execute_code over stdio (target ≤ 1.5× ZMQ)',
      ms(pct(mcpT, 50)),
      ms(pct(mcpT, 99)),
      `${(pct(mcpT, 50) / z50).toFixed(2)}×`,
    ]),
  );
  log(
    "\n(kernel-client ran with the MCP server's websocket also on the kernel, the MCP path with ours closed,\n" +
      ' so their difference understates the JSON-RPC + validation + rendering cost, ~1 ms when interleaved.)',
  );
  await kc.close();
  await client.close();
} finally {
  await server.stop();
}
