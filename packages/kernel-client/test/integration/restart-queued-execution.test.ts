import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KernelClient } from '../../src/index.js';

// Regression: an execution queued while a restart was in flight sometimes never finished. The server
// re-subscribes to the new kernel's IOPub after a restart and drops what is published before that
// takes, so the run's "idle" status was lost and it waited forever. restart() now waits until IOPub
// flows (kernel_info nudges), and a run whose reply came but whose idle never does finishes anyway.

let server: JupyterServerHandle;
let client: KernelClient;

beforeAll(async () => {
  server = await startJupyter();
  client = new KernelClient({ connection: new JupyterConnection({ url: server.url, token: server.token }) });
});

afterAll(async () => {
  await client?.close();
  await server?.stop();
});

it('runs an execution queued during a restart on the restarted kernel, with its output, every time', async () => {
  const k = await client.startKernel({ name: 'python3' });
  try {
    for (let round = 0; round < 5; round++) {
      await k.execute(`x = ${round}`);
      const restarting = k.restart();
      const queued = k.execute('print("fresh" if "x" not in globals() else "stale")');
      await restarting;
      const r = await queued;
      expect(r.status).toBe('ok');
      expect(r.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'fresh\n' }]);
      expect(r.warnings).toEqual([]);
    }
  } finally {
    await k.shutdown();
  }
}, 120_000);
