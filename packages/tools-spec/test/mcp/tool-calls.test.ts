import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connect, fakeTools } from './harness.js';

let conn: Connected | undefined;
afterEach(async () => {
  await conn?.close();
  conn = undefined;
});

const call = (id: number, params: unknown) => ({ jsonrpc: '2.0', id, method: 'tools/call', params });
type Rpc = { error?: { code: number; message: string }; result?: Record<string, unknown> };
const textOf = (r: Rpc) =>
  ((r.result?.content as { text: string }[] | undefined) ?? []).map((c) => c.text).join('\n');

function expectClean(message: string) {
  expect(message.length).toBeLessThan(400);
  expect(message).not.toMatch(/zod|ZodError|\bat [\w.]+ \(|"code":|invalid_type|\n\s+at /i);
}

describe('tools/call: protocol errors (JSON-RPC)', () => {
  it('an unknown tool is -32602 with a suggestion', async () => {
    conn = await connect(fakeTools());
    const r = (await conn.raw(call(1, { name: 'ecko', arguments: {} }))) as Rpc;
    expect(r.error?.code).toBe(-32602);
    expect(r.error?.message).toBe(
      'Unknown tool: ecko. Did you mean echo? tools/list shows the 2 tools of this server.',
    );
  });

  it('a tool the configuration leaves out says so', async () => {
    conn = await connect(fakeTools(), { offered: ['echo'] });
    const r = (await conn.raw(call(1, { name: 'slow' }))) as Rpc;
    expect(r.error?.code).toBe(-32602);
    expect(r.error?.message).toMatch(/^Unknown tool: slow is not offered by this server/);
  });

  it('arguments that are not an object are -32602 in one line', async () => {
    conn = await connect(fakeTools());
    for (const [i, args] of [[], 'path=a', 3, null].entries()) {
      const r = (await conn.raw(call(10 + i, { name: 'echo', arguments: args }))) as Rpc;
      expect(r.error?.code, JSON.stringify(args)).toBe(-32602);
      expect(r.error?.message).toMatch(
        /^Invalid params: "arguments" must be an object of named arguments, not /,
      );
      expect(r.error?.message).not.toContain('\n');
    }
    const noName = (await conn.raw(call(20, { arguments: {} }))) as Rpc;
    expect(noName.error?.code).toBe(-32602);
    const noParams = (await conn.raw({ jsonrpc: '2.0', id: 21, method: 'tools/call' })) as Rpc;
    expect(noParams.error?.code).toBe(-32602);
  });
});

describe('tools/call: argument errors are tool results the model can act on', () => {
  it('names unknown arguments, with "did you mean"', async () => {
    conn = await connect(fakeTools());
    const r = (await conn.raw(
      call(1, { name: 'echo', arguments: { path: 'a.ipynb', indx: 2, colour: 1 } }),
    )) as Rpc;
    expect(r.result?.isError).toBe(true);
    expect(textOf(r)).toBe(
      'Unknown arguments `indx` (did you mean `index`?), `colour`. echo takes: path, index, cell_type, timeout_s, cells.',
    );
  });

  it('names the argument, what is expected and what was given', async () => {
    conn = await connect(fakeTools());
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ index: 1 }, 'Missing required argument `path`: Notebook path.'],
      [{ path: 'a', index: '3' }, '`index` must be an integer ≥ 0; got the string "3".'],
      [{ path: 'a', index: -1 }, '`index` must be ≥ 0; got -1.'],
      [{ path: 'a', index: 1.5 }, '`index` must be an integer ≥ 0; got 1.5.'],
      [{ path: '' }, '`path` must not be empty; got the string "".'],
      [
        { path: 'a', cell_type: 'python' },
        '`cell_type` must be one of "code", "markdown", "raw"; got the string "python".',
      ],
      [{ path: 'a', timeout_s: 0 }, '`timeout_s` must be > 0; got 0.'],
      [{ path: 'a', cells: [{ source: 1 }] }, '`cells[0].source` must be a string; got 1.'],
      [{ path: 'a', cells: {} }, '`cells` must be an array of objects; got an object.'],
    ];
    let id = 1;
    for (const [args, expected] of cases) {
      const r = (await conn.raw(call(id++, { name: 'echo', arguments: args }))) as Rpc;
      expect(r.result?.isError, JSON.stringify(args)).toBe(true);
      const text = textOf(r);
      expect(text, JSON.stringify(args)).toContain(expected);
      expect(text).toMatch(/^(Invalid arguments for echo: |Missing)/);
      expectClean(text);
    }
  });

  it('keeps many problems under 400 characters', async () => {
    conn = await connect(fakeTools());
    const many = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`unknown_argument_number_${i}`, i]),
    );
    const r = (await conn.raw(call(1, { name: 'echo', arguments: many }))) as Rpc;
    expect(r.result?.isError).toBe(true);
    expectClean(textOf(r));
  });

  it('the SDK client sees the same result, and valid calls get defaults applied', async () => {
    conn = await connect(fakeTools());
    const bad = await conn.client.callTool({ name: 'echo', arguments: { path: 1 } });
    expect(bad.isError).toBe(true);
    const good = await conn.client.callTool({ name: 'echo', arguments: { path: 'a.ipynb' } });
    expect(good.structuredContent).toEqual({ args: { path: 'a.ipynb', cell_type: 'code' } });
  });
});

describe('tasks (2025-11-25)', () => {
  it('a long tool runs as a task the client polls and gets the result of', async () => {
    const control: { release?: () => void } = {};
    conn = await connect(fakeTools(control));
    const caps = conn.client.getServerCapabilities();
    expect(caps?.tasks?.requests?.tools?.call).toEqual({});
    const listed = await conn.client.listTools();
    expect(listed.tools.find((t) => t.name === 'slow')?.execution?.taskSupport).toBe('optional');
    expect(listed.tools.find((t) => t.name === 'echo')?.execution).toBeUndefined();

    const created = (await conn.client.request(
      { method: 'tools/call', params: { name: 'slow', arguments: { label: 'x' }, task: { ttl: 60_000 } } },
      (
        await import('@modelcontextprotocol/sdk/experimental/tasks')
      ).CreateTaskResultSchema,
    )) as { task: { taskId: string; status: string; ttl: number; pollInterval: number } };
    expect(created.task.status).toBe('working');
    expect(created.task.ttl).toBe(60_000);
    const id = created.task.taskId;
    expect((await conn.client.experimental.tasks.getTask(id)).status).toBe('working');
    const listedTasks = await conn.client.experimental.tasks.listTasks();
    expect(listedTasks.tasks.map((t) => t.taskId)).toContain(id);
    await waitFor(() => control.release !== undefined);
    control.release!();
    const result = await conn.client.experimental.tasks.getTaskResult(id, CallToolResultSchema);
    expect(result.content).toEqual([{ type: 'text', text: 'done x' }]);
    expect((await conn.client.experimental.tasks.getTask(id)).status).toBe('completed');
  });

  it('tasks/cancel stops the running call and the task stays cancelled', async () => {
    const control: { release?: () => void; aborted?: boolean } = {};
    const { stream, id } = await startSlowTask(control);
    const cancelled = await conn!.client.experimental.tasks.cancelTask(id);
    expect(cancelled.status).toBe('cancelled');
    await waitFor(() => control.aborted === true);
    await new Promise((r) => setTimeout(r, 50));
    expect((await conn!.client.experimental.tasks.getTask(id)).status).toBe('cancelled');
    const again = (await conn!.raw({
      jsonrpc: '2.0',
      id: 5,
      method: 'tasks/cancel',
      params: { taskId: id },
    })) as Rpc;
    expect(again.error?.code).toBe(-32602);
    await stream.return(undefined);
  });

  it('a tool error makes the task failed, with the isError result', async () => {
    const control: { release?: () => void; fail?: boolean } = { fail: true };
    const { stream, id } = await startSlowTask(control);
    control.release!();
    await waitFor(async () => (await conn!.client.experimental.tasks.getTask(id)).status === 'failed');
    const r = await conn!.client.experimental.tasks.getTaskResult(id, CallToolResultSchema);
    expect(r.isError).toBe(true);
    await stream.return(undefined);
  });

  it('progress of a task carries its progress token and the related-task id', async () => {
    const control: { release?: () => void } = {};
    conn = await connect(fakeTools(control));
    const r = (await conn.raw(
      call(7, { name: 'slow', arguments: {}, task: {}, _meta: { progressToken: 'tok' } }),
    )) as Rpc;
    const taskId = (r.result!.task as { taskId: string }).taskId;
    await waitFor(() => control.release !== undefined);
    const progress = conn
      .notifications()
      .find((n) => (n as { method?: string }).method === 'notifications/progress') as
      | { params: Record<string, unknown> }
      | undefined;
    expect(progress?.params).toMatchObject({
      progressToken: 'tok',
      progress: 1,
      total: 2,
      _meta: { 'io.modelcontextprotocol/related-task': { taskId } },
    });
    control.release!();
  });

  it('a task for a tool without task support is -32601; invalid arguments fail the task', async () => {
    conn = await connect(fakeTools());
    const r = (await conn.raw(call(1, { name: 'echo', arguments: { path: 'a' }, task: {} }))) as Rpc;
    expect(r.error?.code).toBe(-32601);
    const bad = (await conn.raw(call(2, { name: 'slow', arguments: { label: 3 }, task: {} }))) as Rpc;
    const id = (bad.result!.task as { taskId: string }).taskId;
    await waitFor(
      async () =>
        (await conn!.client.experimental.tasks.getTask(id).catch(() => undefined))?.status === 'failed',
    );
  });

  it('without a task store no tasks are offered', async () => {
    conn = await connect(fakeTools(), { tasks: false });
    expect(conn.client.getServerCapabilities()?.tasks).toBeUndefined();
    expect((await conn.client.listTools()).tools.some((t) => t.execution)).toBe(false);
    expect(conn.client.getServerCapabilities()?.tools).toEqual({});
  });
});

/** Connect with the fake tools and start `slow` as a task; resolves once its handler runs. */
async function startSlowTask(control: Parameters<typeof fakeTools>[0] & { release?: () => void }) {
  conn = await connect(fakeTools(control));
  const stream = conn.client.experimental.tasks.callToolStream(
    { name: 'slow', arguments: {} },
    CallToolResultSchema,
    {
      task: {},
    },
  );
  const first = await stream.next();
  expect(first.value?.type).toBe('taskCreated');
  const id = (first.value as { task: { taskId: string } }).task.taskId;
  await waitFor(() => control.release !== undefined);
  return { stream, id };
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
