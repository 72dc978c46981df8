import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelClient, type KernelHandle } from '../../src/index.js';

// A server that only speaks the legacy (JSON text) kernel websocket protocol, as older or
// reconfigured servers do: we must fall back from v1.kernel.websocket.jupyter.org. It also sits under a
// base URL, as on JupyterHub.
let server: JupyterServerHandle;
let client: KernelClient;
let kernel: KernelHandle;

beforeAll(async () => {
  server = await startJupyter({
    baseUrl: '/user/alice/',
    traitlets: { 'ZMQChannelsWebsocketConnection.kernel_ws_protocol': '' },
  });
  client = new KernelClient({
    connection: new JupyterConnection({ url: server.url, token: server.token }),
    outputLimits: { headChars: 100, tailChars: 100 },
  });
  kernel = await client.startKernel();
});

afterAll(async () => {
  await kernel?.shutdown().catch(() => {});
  await client?.close();
  await server?.stop();
});

describe('legacy kernel websocket protocol', () => {
  it('executes with the same outputs as over v1', async () => {
    const r = await kernel.execute(
      'import sys\nprint("out")\nsys.stderr.write("err\\n")\nfrom IPython.display import display\ndisplay({"a": 1}, raw=True)\n6*7',
    );
    expect(r.status).toBe('ok');
    expect(r.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'out\n' },
      { output_type: 'stream', name: 'stderr', text: 'err\n' },
      { output_type: 'display_data', data: { a: 1 }, metadata: {} },
      {
        output_type: 'execute_result',
        execution_count: r.executionCount,
        data: { 'text/plain': '42' },
        metadata: {},
      },
    ]);
    const e = await kernel.execute('1/0');
    expect(e.error?.ename).toBe('ZeroDivisionError');
    expect(server.url).toMatch(/\/user\/alice\/$/);
    expect((await client.listKernels()).map((k) => k.id)).toContain(kernel.id);
  });

  it('bounds a large print and interrupts on timeout', async () => {
    const r = await kernel.execute('print("y" * 1_000_000)');
    expect(r.truncated?.droppedChars).toBe(1_000_001 - 200);
    const t = await kernel.execute('import time\ntime.sleep(30)', { timeoutMs: 500 });
    expect(t.status).toBe('timeout');
  });
});
