import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutionResult, KernelClient, type KernelHandle, type OutputEvent } from '../../src/index.js';

let server: JupyterServerHandle;
let client: KernelClient;
let kernel: KernelHandle;

beforeAll(async () => {
  server = await startJupyter();
  client = new KernelClient({
    connection: new JupyterConnection({ url: server.url, token: server.token }),
    interruptGraceMs: 10_000,
  });
  kernel = await client.startKernel();
});

afterAll(async () => {
  await kernel?.shutdown().catch(() => {});
  await client?.close();
  await server?.stop();
});

const text = (r: ExecutionResult) =>
  r.outputs.map((o) => (o.output_type === 'stream' ? o.text : JSON.stringify(o))).join('');

describe('execute (real ipykernel)', () => {
  it('returns an execute_result with the execution count', async () => {
    const r = await kernel.execute('1+1');
    expect(r.status).toBe('ok');
    expect(r.executionCount).toBeGreaterThan(0);
    expect(r.outputs).toEqual([
      {
        output_type: 'execute_result',
        execution_count: r.executionCount,
        data: { 'text/plain': '2' },
        metadata: {},
      },
    ]);
    expect(r.warnings).toEqual([]);
    expect(kernel.executionState).toBe('idle');
  });

  it('merges consecutive stream chunks per name and keeps stdout and stderr apart', async () => {
    const r = await kernel.execute(
      'import sys\nfor i in range(5):\n    print(i, flush=True)\nsys.stderr.write("oops\\n"); sys.stderr.flush()\nprint("after")',
    );
    expect(r.status).toBe('ok');
    const streams = r.outputs.filter((o) => o.output_type === 'stream');
    expect(streams).toEqual([
      { output_type: 'stream', name: 'stdout', text: '0\n1\n2\n3\n4\n' },
      { output_type: 'stream', name: 'stderr', text: 'oops\n' },
      { output_type: 'stream', name: 'stdout', text: 'after\n' },
    ]);
  });

  it('captures display() of a PNG image', async () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const r = await kernel.execute(
      `from IPython.display import Image, display\nimport base64\ndisplay(Image(data=base64.b64decode("${png}")))`,
    );
    expect(r.status).toBe('ok');
    expect(r.outputs).toHaveLength(1);
    const out = r.outputs[0]!;
    expect(out.output_type).toBe('display_data');
    if (out.output_type !== 'display_data') return;
    expect(String(out.data['image/png']).replace(/\n/g, '')).toBe(png);
    expect(out.data['text/plain']).toBe('<IPython.core.display.Image object>');
  });

  it('reports an error with ename, evalue and traceback', async () => {
    const r = await kernel.execute('def f():\n    raise ValueError("bad value")\nf()');
    expect(r.status).toBe('error');
    expect(r.error).toEqual({ ename: 'ValueError', evalue: 'bad value' });
    const err = r.outputs.find((o) => o.output_type === 'error');
    expect(err).toMatchObject({ output_type: 'error', ename: 'ValueError', evalue: 'bad value' });
    if (err?.output_type === 'error') expect(err.traceback.join('\n')).toContain('bad value');
  });

  it('honours clear_output(wait=True) in a progress loop', async () => {
    const events: OutputEvent['kind'][] = [];
    const r = await kernel.execute(
      'from IPython.display import clear_output\nfor i in range(20):\n    clear_output(wait=True)\n    print(f"step {i}", flush=True)',
      { onOutput: (e) => events.push(e.kind) },
    );
    expect(r.status).toBe('ok');
    expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'step 19\n' }]);
    expect(events.filter((k) => k === 'clear').length).toBeGreaterThanOrEqual(19);
  });

  it('honours clear_output() without wait', async () => {
    const r = await kernel.execute(
      'from IPython.display import clear_output\nprint("a")\nclear_output()\nprint("b")',
    );
    expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'b\n' }]);
  });

  it('applies update_display_data by display id', async () => {
    const r = await kernel.execute(
      'from IPython.display import display, update_display\nh = display("v1", display_id=True)\nprint("between")\nh.update("v2")\nh.update("v3")',
    );
    expect(r.status).toBe('ok');
    expect(r.outputs[0]).toMatchObject({ output_type: 'display_data', data: { 'text/plain': "'v3'" } });
    expect(r.outputs[1]).toEqual({ output_type: 'stream', name: 'stdout', text: 'between\n' });
    expect(r.outputs).toHaveLength(2);
  });

  it('answers input() with a clear error instead of hanging', async () => {
    const r = await kernel.execute('x = input("name? ")');
    expect(r.status).toBe('error');
    expect(r.error?.ename).toBe('StdinNotImplementedError');
    expect(r.warnings.join(' ')).toMatch(/input\(\)/);
  });

  it('times out with partial output, interrupts, and the kernel stays usable', async () => {
    const r = await kernel.execute('import time\nprint("started", flush=True)\ntime.sleep(60)', {
      timeoutMs: 1500,
    });
    expect(r.status).toBe('timeout');
    expect(text(r)).toContain('started\n');
    expect(r.warnings.join(' ')).toMatch(/Timed out after 1500 ms/);
    const after = await kernel.execute('40+2');
    expect(after.status).toBe('ok');
    expect(after.outputs[0]).toMatchObject({ data: { 'text/plain': '42' } });
  });

  it('interrupts while True via interrupt() and via an AbortSignal', async () => {
    const running = kernel.execute('while True:\n    pass');
    await new Promise((r) => setTimeout(r, 500));
    await kernel.interrupt();
    const r = await running;
    expect(r.status).toBe('interrupted');
    expect(r.error?.ename).toBe('KeyboardInterrupt');

    const ac = new AbortController();
    const p = kernel.execute('while True:\n    pass', { signal: ac.signal });
    setTimeout(() => ac.abort(), 500);
    expect((await p).status).toBe('interrupted');
    expect((await kernel.execute('1')).status).toBe('ok');
  });

  it('runs ten queued executions on one kernel in order', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => kernel.execute(`import time; time.sleep(0.01); print(${i})`)),
    );
    expect(results.map((r) => text(r))).toEqual(Array.from({ length: 10 }, (_, i) => `${i}\n`));
    const counts = results.map((r) => r.executionCount!);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it("surfaces the server's IOPub rate limit as a warning, not as output", async () => {
    // Default server limits (1 MB/s): 20 MB in a burst trips the data-rate limiter.
    const r = await kernel.execute(
      'import sys\nfor i in range(200):\n    sys.stdout.write("y" * 100_000 + "\\n")\n    sys.stdout.flush()',
    );
    expect(r.status).toBe('ok');
    expect(r.warnings.join(' ')).toMatch(/IOPub data rate exceeded/);
    for (const o of r.outputs) {
      if (o.output_type === 'stream') expect(o.text).not.toMatch(/IOPub data rate exceeded/);
    }
  });

  it('attaches to a kernel while another client keeps it busy (kernel_info answered on control)', async () => {
    const running = kernel.execute('import time\ntime.sleep(6)\nprint("done")');
    await new Promise((r) => setTimeout(r, 500));
    // Shell is busy for 6 s: readiness through shell alone would time out after 3 s.
    const other = new KernelClient({ connection: client.connection, readyTimeoutMs: 3000 });
    try {
      const h = await other.attachKernel(kernel.id);
      expect(h.languageInfo.name).toBe('python');
      expect(h.pending).toBe(0);
    } finally {
      await other.close();
    }
    expect(text(await running)).toBe('done\n');
  });

  it('runs two kernels concurrently', async () => {
    const other = await client.startKernel({ name: 'python3' });
    try {
      // Each cell records when it started and ended; the intervals overlap only if both ran at once.
      const code = 'import time\nt0 = time.time()\ntime.sleep(1.5)\nprint(t0, time.time())';
      const [a, b] = await Promise.all([kernel.execute(code), other.execute(code)]);
      const [a0, a1] = text(a).trim().split(' ').map(Number) as [number, number];
      const [b0, b1] = text(b).trim().split(' ').map(Number) as [number, number];
      expect(b0).toBeLessThan(a1);
      expect(a0).toBeLessThan(b1);
    } finally {
      await other.shutdown();
    }
  });
});
