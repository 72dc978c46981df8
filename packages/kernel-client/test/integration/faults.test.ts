import { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import {
  installSigintIgnoringKernel,
  type JupyterServerHandle,
  kernelPid,
  type LoopbackProxy,
  startJupyter,
  startProxy,
} from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExecutionResult, KernelClient, KernelClientError } from '../../src/index.js';

let server: JupyterServerHandle;
let proxy: LoopbackProxy;
let client: KernelClient;

beforeAll(async () => {
  // A stuck kernel ignores shutdown_request: let Jupyter kill it after 1 s instead of 5 on restart.
  server = await startJupyter({ traitlets: { 'KernelManager.shutdown_wait_time': 1 } });
  proxy = await startProxy({ target: server.url });
  client = new KernelClient({
    connection: new JupyterConnection({ url: server.url, token: server.token }),
    interruptGraceMs: 2000,
  });
});

afterAll(async () => {
  await client?.close();
  await proxy?.close();
  await server?.stop();
});

async function rejection(p: Promise<unknown>): Promise<KernelClientError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KernelClientError);
    return err as KernelClientError;
  }
  throw new Error('expected a rejection');
}

const text = (r: ExecutionResult) =>
  r.outputs.map((o) => (o.output_type === 'stream' ? o.text : '')).join('');

/** Resolves once `onOutput` has seen `needle` (the cell is running). */
function waitForOutput(needle: string): {
  onOutput: (e: { kind: string; output?: unknown }) => void;
  seen: Promise<void>;
} {
  let resolve!: () => void;
  const seen = new Promise<void>((r) => {
    resolve = r;
  });
  return {
    onOutput: (e) => {
      if (e.kind === 'output' && JSON.stringify(e.output).includes(needle)) resolve();
    },
    seen,
  };
}

describe('faults (real server and kernels)', () => {
  it('rejects the running and queued executions with KERNEL_DIED when the kernel process is killed', async () => {
    const k = await client.startKernel();
    try {
      await k.execute('state = 1');
      const w = waitForOutput('sleeping');
      const running = k.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(30)', {
        onOutput: w.onOutput,
      });
      const queued = k.execute('print("never")');
      await w.seen;
      const pid = kernelPid(server.pid, k.id);
      expect(pid).toBeTypeOf('number');
      process.kill(pid!, 'SIGKILL');
      const [e1, e2] = await Promise.all([rejection(running), rejection(queued)]);
      expect(e1.code).toBe('KERNEL_DIED');
      expect(e1.message).toMatch(/died while running/);
      expect(e2.code).toBe('KERNEL_DIED');
      // Jupyter restarted the kernel: the handle keeps working, with fresh state.
      const after = await k.execute('"state" in globals()');
      expect(after.status).toBe('ok');
      expect(after.outputs[0]).toMatchObject({ data: { 'text/plain': 'False' } });
    } finally {
      await k.shutdown();
    }
  });

  it('rejects with KERNEL_NOT_FOUND when another client shuts the kernel down mid-execution', async () => {
    const k = await client.startKernel();
    const w = waitForOutput('sleeping');
    const running = k.execute('import time\nprint("sleeping", flush=True)\ntime.sleep(30)', {
      onOutput: w.onOutput,
    });
    const queued = k.execute('1');
    await w.seen;
    // The server keeps our websocket open and sends nothing: only our watchdog notices.
    await client.connection.request('DELETE', `api/kernels/${k.id}`);
    const [e1, e2] = await Promise.all([rejection(running), rejection(queued)]);
    expect(e1.code).toBe('KERNEL_NOT_FOUND');
    expect(e1.message).toMatch(/shut down/);
    expect(e2.code).toBe('KERNEL_NOT_FOUND');
    expect((await rejection(k.execute('2'))).code).toBe('KERNEL_NOT_FOUND');
    k.dispose();
  });

  it('survives a websocket drop during a running cell: the cell completes with all its output', async () => {
    const viaProxy = new KernelClient({
      connection: new JupyterConnection({ url: `${proxy.origin}/`, token: server.token }),
    });
    const k = await viaProxy.startKernel();
    try {
      const w = waitForOutput('before');
      const running = k.execute(
        'import time\nprint("before", flush=True)\ntime.sleep(2)\nprint("after", flush=True)\n7*6',
        {
          onOutput: w.onOutput,
        },
      );
      await w.seen;
      proxy.cut();
      // The server buffers kernel messages for our session while the socket is down and replays them
      // when we reconnect under the same session id, so the cell completes with everything it printed.
      const res = await running;
      expect(res.status).toBe('ok');
      expect(text(res)).toBe('before\nafter\n');
      expect(res.outputs.at(-1)).toMatchObject({ data: { 'text/plain': '42' } });
      expect(res.warnings.join(' ')).toMatch(/websocket to the kernel dropped/);
      expect((await k.execute('1+1')).status).toBe('ok');
    } finally {
      await k.shutdown().catch(() => {});
      await viaProxy.close();
    }
  });

  it('fails a running cell with CONNECTION_LOST when the connection cannot come back, and recovers later', async () => {
    const viaProxy = new KernelClient({
      connection: new JupyterConnection({ url: `${proxy.origin}/`, token: server.token }),
      reconnect: { giveUpAfterMs: 1500, initialDelayMs: 100, maxDelayMs: 400 },
    });
    const k = await viaProxy.startKernel();
    try {
      const w = waitForOutput('before');
      const running = k.execute('import time\nprint("before", flush=True)\ntime.sleep(5)', {
        onOutput: w.onOutput,
      });
      await w.seen;
      proxy.pause();
      const e = await rejection(running);
      expect(e.code).toBe('CONNECTION_LOST');
      expect(e.message).toMatch(/could not be re-established/);
      proxy.resume();
      const r = await k.execute('print("back")');
      expect(text(r)).toBe('back\n');
    } finally {
      proxy.resume();
      await k.shutdown().catch(() => {});
      await viaProxy.close();
    }
  });

  it('detects a kernel that ignores SIGINT, reports it stuck, and recovers on restart', async () => {
    const spec = installSigintIgnoringKernel(server.dataDir);
    const k = await client.startKernel({ name: spec });
    try {
      const r = await k.execute('import time\nprint("working", flush=True)\ntime.sleep(60)', {
        timeoutMs: 1000,
      });
      expect(r.status).toBe('timeout');
      expect(text(r)).toBe('working\n');
      expect(r.warnings.join(' ')).toMatch(/did not stop within 2 s of an interrupt/);
      expect(k.stuck).toBe(true);
      expect((await k.status()).stuck).toBe(true);
      const stuck = await rejection(k.execute('1'));
      expect(stuck.code).toBe('KERNEL_STUCK');
      expect(stuck.message).toMatch(/Restart the kernel/);

      await k.restart();
      expect(k.stuck).toBe(false);
      const running = k.execute('import time\ntime.sleep(60)');
      await new Promise((r) => setTimeout(r, 300));
      const failed = await rejection(k.interrupt());
      expect(failed.code).toBe('INTERRUPT_FAILED');
      expect((await running).status).toBe('interrupted');
    } finally {
      await k.shutdown();
    }
  });

  it('gives a clear error across a Jupyter Server restart, and new calls work once it is back', async () => {
    const k = await client.startKernel();
    expect((await k.execute('1')).status).toBe('ok');
    await server.restart();
    const e = await rejection(k.execute('2'));
    expect(['KERNEL_NOT_FOUND', 'CONNECTION_LOST']).toContain(e.code);
    expect(e.message).toMatch(/no longer exists|restart/i);
    const again = await rejection(k.execute('3'));
    expect(again.code).toBe('KERNEL_NOT_FOUND');
    // Same client, same process: new kernels work.
    const fresh = await client.startKernel();
    expect((await fresh.execute('40+2')).outputs[0]).toMatchObject({ data: { 'text/plain': '42' } });
    await fresh.shutdown();
  });
});
