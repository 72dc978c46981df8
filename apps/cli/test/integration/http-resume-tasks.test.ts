import {
  freePort,
  type JupyterServerHandle,
  type LoopbackProxy,
  startJupyter,
  startProxy,
} from '@jupyter-mcp/test-support';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, ProgressNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type HttpProc, startHttp, type ToolOut, text } from './http-helpers.js';

// Streamable HTTP with a real Jupyter: a dropped SSE stream is resumed (Last-Event-ID, replayed from
// the session's event store) and MCP tasks run, poll and cancel — through the official SDK client.
let jupyter: JupyterServerHandle;
let http: HttpProc;
let proxy: LoopbackProxy;
const clients: Client[] = [];

beforeAll(async () => {
  jupyter = await startJupyter();
  http = await startHttp(
    ['--no-auth', '--port', String(await freePort()), '--url', jupyter.url, '--root', jupyter.rootDir],
    {
      JUPYTER_TOKEN: jupyter.token,
    },
  );
  proxy = await startProxy({ target: http.origin });
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await proxy?.close();
  await http?.stop();
  await jupyter?.stop();
});

async function client(viaProxy = false): Promise<Client> {
  const c = await connectClient(viaProxy ? `${proxy.origin}/mcp` : http.url);
  clients.push(c);
  return c;
}

describe('resumable SSE streams', () => {
  it('a tool call survives a network blip: the client resumes with Last-Event-ID', async () => {
    const c = await client(true);
    const progress: string[] = [];
    c.setNotificationHandler(ProgressNotificationSchema, (n) => {
      progress.push(String(n.params.message ?? ''));
    });
    const running = c.callTool(
      {
        name: 'execute_code',
        arguments: {
          code: 'import time\nfor i in range(6):\n    print("tick", i, flush=True)\n    time.sleep(0.5)\nprint("finished")',
        },
        _meta: { progressToken: 'p1' },
      },
      CallToolResultSchema,
      { timeout: 120_000, resetTimeoutOnProgress: true },
    ) as Promise<ToolOut>;
    const t0 = Date.now();
    while (!proxy.requests.some((r) => r.method === 'POST') || Date.now() - t0 < 1500)
      await new Promise((r) => setTimeout(r, 100));
    proxy.cut();
    const r = await running;
    expect(r.isError, text(r)).toBeFalsy();
    expect(text(r)).toContain('finished');
    const resumed = proxy.requests.filter((q) => q.method === 'GET' && q.headers['last-event-id']);
    expect(resumed.length).toBeGreaterThan(0);
  });
});

describe('MCP tasks over HTTP', () => {
  it('execute_code as a task: created, polled, result', async () => {
    const c = await client();
    expect(c.getServerCapabilities()?.tasks).toEqual({
      list: {},
      cancel: {},
      requests: { tools: { call: {} } },
    });
    const stream = c.experimental.tasks.callToolStream(
      { name: 'execute_code', arguments: { code: 'import time\ntime.sleep(1)\nprint(6 * 7)' } },
      CallToolResultSchema,
      { task: { ttl: 600_000 } },
    );
    const seen: string[] = [];
    let result: ToolOut | undefined;
    for await (const m of stream) {
      seen.push(m.type);
      if (m.type === 'result') result = m.result as ToolOut;
      if (m.type === 'error') throw m.error;
    }
    expect(seen[0]).toBe('taskCreated');
    expect(text(result!)).toContain('42');
  });

  it('tasks/cancel interrupts the kernel; the session kernel is usable right after', async () => {
    const c = await client();
    const stream = c.experimental.tasks.callToolStream(
      { name: 'execute_code', arguments: { code: 'import time\ntime.sleep(120)' } },
      CallToolResultSchema,
      { task: {} },
    );
    const first = await stream.next();
    const taskId = (first.value as { task: { taskId: string } }).task.taskId;
    await new Promise((r) => setTimeout(r, 1500));
    const cancelled = await c.experimental.tasks.cancelTask(taskId);
    expect(cancelled.status).toBe('cancelled');
    await stream.return(undefined);
    const t0 = Date.now();
    const after = (await c.callTool({
      name: 'execute_code',
      arguments: { code: 'print("alive")' },
    })) as ToolOut;
    expect(text(after)).toContain('alive');
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect((await c.experimental.tasks.getTask(taskId)).status).toBe('cancelled');
  });
});

describe('--stateless', () => {
  it('offers no tasks and no subscriptions, and says so in its capabilities', async () => {
    const stateless = await startHttp(
      ['--stateless', '--no-auth', '--port', String(await freePort()), '--url', jupyter.url],
      {
        JUPYTER_TOKEN: jupyter.token,
      },
    );
    try {
      const c = await connectClient(stateless.url);
      const caps = c.getServerCapabilities();
      expect(caps?.tasks).toBeUndefined();
      expect(caps?.resources).toEqual({});
      expect(caps?.prompts).toEqual({});
      expect((await c.listTools()).tools.some((t) => t.execution)).toBe(false);
      await c.close();
    } finally {
      await stateless.stop();
    }
  });
});
