import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelClient, type KernelHandle } from '../../src/index.js';

// IOPub limits lifted: what bounds the output here is our own head + tail, not Jupyter's limiter.
let server: JupyterServerHandle;
let client: KernelClient;
let kernel: KernelHandle;

beforeAll(async () => {
  server = await startJupyter({ liftIopubLimits: true });
  client = new KernelClient({
    connection: new JupyterConnection({ url: server.url, token: server.token }),
    outputLimits: { headChars: 1000, tailChars: 1000 },
  });
  kernel = await client.startKernel();
});

afterAll(async () => {
  await kernel?.shutdown().catch(() => {});
  await client?.close();
  await server?.stop();
});

describe('bounded output (IOPub limits lifted)', () => {
  it('keeps head and tail of a 200 MB print without growing memory with it', async () => {
    let peak = process.memoryUsage().rss;
    const before = peak;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    let streamed = 0;
    const r = await kernel
      .execute(
        'import sys\nsys.stdout.write("BEGIN\\n")\nline = "x" * 99 + "\\n"\nfor i in range(2_000_000):\n    sys.stdout.write(line)\n_ = sys.stdout.write("END\\n")',
        { onOutput: () => streamed++ },
      )
      .finally(() => clearInterval(sampler));
    expect(r.status).toBe('ok');
    expect(r.outputs).toHaveLength(1);
    const out = r.outputs[0]!;
    if (out.output_type !== 'stream') throw new Error('expected one stream');
    expect(out.text.startsWith('BEGIN\nxxx')).toBe(true);
    expect(out.text.endsWith('xxx\nEND\n')).toBe(true);
    expect(out.text.length).toBeLessThan(2100);
    // The cut lands on line boundaries: BEGIN + 9 lines kept at the start, 9 lines + END at the end.
    const lines = 1_999_982;
    expect(r.truncated).toEqual({
      outputs: [{ index: 0, droppedChars: lines * 100, droppedLines: lines }],
      droppedOutputs: 0,
      droppedChars: lines * 100,
      droppedLines: lines,
    });
    expect(out.text.split('\n')[10]).toBe('[… 1,999,982 lines (199,998,200 characters) omitted …]');
    expect(r.warnings).toEqual([]);
    expect(streamed).toBeGreaterThan(0);
    // 200 MB went through; keeping it (or its decoded garbage) would add hundreds of MB.
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  });

  it('takes a single stream message larger than 100 MiB (one huge write)', async () => {
    const r = await kernel.execute('print("x" * 120_000_000)');
    expect(r.status).toBe('ok');
    expect(r.outputs).toHaveLength(1);
    expect(r.truncated?.droppedChars).toBe(120_000_001 - 2000);
    expect((await kernel.execute('1+1')).status).toBe('ok');
  });

  it('bounds the number of outputs of a display loop', async () => {
    const small = new KernelClient({
      connection: client.connection,
      outputLimits: { maxOutputs: 10 },
    });
    const k = await small.attachKernel(kernel.id);
    try {
      const r = await k.execute('from IPython.display import display\nfor i in range(1000):\n    display(i)');
      expect(r.outputs).toHaveLength(10);
      expect(r.truncated?.droppedOutputs).toBe(990);
      expect(r.outputs.at(-1)).toMatchObject({ data: { 'text/plain': '999' } });
    } finally {
      await small.close();
    }
  });
});
