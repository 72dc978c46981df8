import { freePort, type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  connectClient,
  type HttpProc,
  INIT_BODY,
  MCP_HEADERS,
  metric,
  raw,
  startHttp,
  text,
  until,
} from './http-helpers.js';

// One real Jupyter Server and one `jupyter-mcp http` process connected to it, shared by this file.
const TOKEN = 'test-bearer-token-0123456789abcdef';
const MAX_CALLS = 2;
let jupyter: JupyterServerHandle;
let http: HttpProc;
const clients: Client[] = [];

async function client(): Promise<Client> {
  const c = await connectClient(http.url, TOKEN);
  clients.push(c);
  return c;
}

async function jupyterKernels(): Promise<string[]> {
  const r = await fetch(`${jupyter.url}api/kernels`, {
    headers: { Authorization: `token ${jupyter.token}` },
  });
  return ((await r.json()) as Array<{ id: string }>).map((k) => k.id);
}

async function metricsText(): Promise<string> {
  const r = await fetch(`${http.origin}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return r.text();
}

beforeAll(async () => {
  jupyter = await startJupyter();
  http = await startHttp(
    [
      '--url',
      jupyter.url,
      '--root',
      jupyter.rootDir,
      '--port',
      String(await freePort()),
      '--max-concurrent-calls',
      String(MAX_CALLS),
      '--max-body',
      '65536',
    ],
    { JUPYTER_TOKEN: jupyter.token, JUPYTER_MCP_AUTH_TOKEN: TOKEN },
  );
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await http?.stop();
  await jupyter?.stop();
});

describe('jupyter-mcp http against a real Jupyter Server', () => {
  it('runs tool calls end to end over Streamable HTTP', async () => {
    const c = await client();
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name)).toContain('execute_code');
    const r = await call(c, 'execute_code', { code: 'x = 41\nprint(x + 1)' });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('42');
    const nb = await call(c, 'create_notebook', { path: 'http-e2e.ipynb' });
    expect(nb.isError).toBeFalsy();
    const cell = await call(c, 'insert_cell', {
      path: 'http-e2e.ipynb',
      source: 'print(6 * 7)',
      execute: true,
    });
    expect(text(cell)).toContain('42');
  });

  it('keeps two concurrent clients apart: own default kernel, no variable crosstalk', async () => {
    const [a, b] = await Promise.all([client(), client()]);
    const [ra, rb] = await Promise.all([
      call(a, 'execute_code', { code: "who = 'A'" }),
      call(b, 'execute_code', { code: "who = 'B'" }),
    ]);
    expect(ra.structuredContent?.kernel_id).toBeTruthy();
    expect(ra.structuredContent?.kernel_id).not.toBe(rb.structuredContent?.kernel_id);
    const [pa, pb] = await Promise.all([
      call(a, 'execute_code', { code: 'print(who)' }),
      call(b, 'execute_code', { code: 'print(who)' }),
    ]);
    expect(text(pa).trim()).toContain('A');
    expect(text(pa)).not.toContain('B');
    expect(text(pb).trim()).toContain('B');
    expect(text(pb)).not.toContain('A');
  });

  it("sends a client MCP log messages of its own calls, never another session's", async () => {
    const [a, b] = await Promise.all([client(), client()]);
    const seen: string[] = [];
    a.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      seen.push(JSON.stringify(n.params));
    });
    await a.setLoggingLevel('debug');
    // A failing call logs a debug record in its session: wait until A's stream carries its own.
    let i = 0;
    await until(async () => {
      await call(a, 'read_cell', { path: `missing-a-${++i}.ipynb`, index: 0 });
      return seen.some((m) => m.includes('missing-a-'));
    });
    await call(b, 'read_cell', { path: 'private-b.ipynb', index: 0 });
    await call(b, 'execute_code', { code: 'b_only = 1' });
    await call(a, 'read_cell', { path: 'missing-a-last.ipynb', index: 0 });
    await until(() => seen.some((m) => m.includes('missing-a-last')));
    expect(seen.join('\n')).not.toContain('private-b');
    expect(seen.join('\n')).not.toContain("session's default kernel");
  });

  it('answers 401 without or with a wrong bearer token', async () => {
    const none = await fetch(http.url, { method: 'POST', headers: MCP_HEADERS, body: INIT_BODY });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(http.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}x` },
      body: INIT_BODY,
    });
    expect(wrong.status).toBe(401);
    await expect(connectClient(http.url, 'not-the-token-at-all')).rejects.toThrow(/401|Unauthorized/);
    const metrics = await fetch(`${http.origin}/metrics`);
    expect(metrics.status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin with 403, without wildcard CORS', async () => {
    const host = await raw(http.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, host: 'evil.example.com', authorization: `Bearer ${TOKEN}` },
      body: INIT_BODY,
    });
    expect(host.status).toBe(403);
    const hostPort = await raw(http.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, host: '127.0.0.1:1', authorization: `Bearer ${TOKEN}` },
      body: INIT_BODY,
    });
    expect(hostPort.status).toBe(403);
    const origin = await fetch(http.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, origin: 'http://evil.example.com', authorization: `Bearer ${TOKEN}` },
      body: INIT_BODY,
    });
    expect(origin.status).toBe(403);
    expect(origin.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(http.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    // Our own origin is fine.
    const own = await fetch(http.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, origin: http.origin, authorization: `Bearer ${TOKEN}` },
      body: INIT_BODY,
    });
    expect(own.status).toBe(200);
    await own.body?.cancel();
  });

  it('keeps /healthz and /readyz open to probes (no auth, any Host) and reveals nothing', async () => {
    const h = await raw(`${http.origin}/healthz`, { headers: { host: 'pod-ip:1234' } });
    expect(h.status).toBe(200);
    expect(JSON.parse(h.body)).toEqual({ status: 'ok' });
    const r = await raw(`${http.origin}/readyz`, { headers: { host: 'pod-ip:1234' } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ready' });
    expect(r.body).not.toContain(jupyter.token);
    expect(r.body).not.toContain(String(jupyter.port));
  });

  it('answers 413 to an oversized body', async () => {
    const big = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(100_000) },
    });
    const r = await fetch(http.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
      body: big,
    });
    expect(r.status).toBe(413);
  });

  it('answers 404 to an unknown session id', async () => {
    const r = await fetch(http.url, {
      method: 'POST',
      headers: {
        ...MCP_HEADERS,
        authorization: `Bearer ${TOKEN}`,
        'mcp-session-id': '00000000-0000-4000-8000-000000000000',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(r.status).toBe(404);
  });

  it(`answers 429 past ${MAX_CALLS} concurrent tool calls in one session`, async () => {
    const c = await client();
    await call(c, 'execute_code', { code: 'import time' });
    const slow = Array.from({ length: MAX_CALLS }, () =>
      call(c, 'execute_code', { code: 'time.sleep(3)', timeout_s: 60 }),
    );
    await until(
      async () => (metric(await metricsText(), 'jupyter_mcp_inflight_tool_calls') ?? 0) >= MAX_CALLS,
    );
    const err = await call(c, 'list_kernels').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StreamableHTTPError);
    expect((err as StreamableHTTPError).code).toBe(429);
    for (const r of await Promise.all(slow)) expect(r.isError).toBeFalsy();
    // Once they finished, calls go through again.
    expect((await call(c, 'list_kernels')).isError).toBeFalsy();
  });

  it('refuses server-control tools unless --allow-server-control', async () => {
    const c = await client();
    const start = await call(c, 'start_jupyter_server');
    expect(start.isError).toBe(true);
    expect(text(start)).toContain('--allow-server-control');
    const all = await call(c, 'cleanup_kernels', { all: true });
    expect(all.isError).toBe(true);
    expect(text(all)).toContain('--allow-server-control');
  });

  it("frees a session's kernels on DELETE; the session is then gone (404)", async () => {
    const c = await connectClient(http.url, TOKEN);
    const r = await call(c, 'execute_code', { code: 'y = 1' });
    const kernelId = String(r.structuredContent?.kernel_id);
    expect(await jupyterKernels()).toContain(kernelId);
    const transport = c.transport as unknown as { sessionId: string; terminateSession(): Promise<void> };
    const sid = transport.sessionId;
    await transport.terminateSession();
    expect(await jupyterKernels()).not.toContain(kernelId);
    const again = await fetch(http.url, {
      method: 'POST',
      headers: {
        ...MCP_HEADERS,
        authorization: `Bearer ${TOKEN}`,
        'mcp-session-id': sid,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    expect(again.status).toBe(404);
    await c.close();
  });

  it("cancels a session's running background jobs on DELETE and stops their kernels", async () => {
    const c = await connectClient(http.url, TOKEN);
    await call(c, 'create_notebook', { path: 'http-job.ipynb' });
    await call(c, 'insert_cell', { path: 'http-job.ipynb', source: 'import time\ntime.sleep(300)' });
    const started = await call(c, 'execute_notebook', { path: 'http-job.ipynb', background: true });
    expect(started.isError, text(started)).toBeFalsy();
    const jobId = String(started.structuredContent?.job_id);
    const kernelId = await until(async () => {
      const j = await call(c, 'get_job', { job_id: jobId });
      return j.structuredContent?.current_cell && j.structuredContent.kernel_id
        ? String(j.structuredContent.kernel_id)
        : undefined;
    }, 60_000);
    expect(await jupyterKernels()).toContain(kernelId);
    const transport = c.transport as unknown as { terminateSession(): Promise<void> };
    await transport.terminateSession();
    await until(async () => !(await jupyterKernels()).includes(kernelId), 30_000);
    await c.close();
  });

  it('serves Prometheus metrics and logs one JSON line per request and tool call, without secrets', async () => {
    const m = await metricsText();
    expect(m).toMatch(/jupyter_mcp_tool_calls_total\{tool="execute_code",outcome="ok"\} \d+/);
    expect(m).toMatch(/jupyter_mcp_tool_calls_total\{tool="start_jupyter_server",outcome="refused"\} 1/);
    expect(m).toContain('jupyter_mcp_tool_call_duration_seconds_bucket{tool="execute_code",le="+Inf"}');
    expect(metric(m, 'jupyter_mcp_active_sessions')).toBeGreaterThan(0);
    expect(metric(m, 'jupyter_mcp_kernels_started_total')).toBeGreaterThanOrEqual(4);
    const logs = http.logs();
    const toolLine = logs.find((l) => l.event === 'tool_call' && l.tool === 'execute_code');
    expect(toolLine).toMatchObject({ outcome: 'ok' });
    expect(typeof toolLine?.session).toBe('string');
    expect(typeof toolLine?.duration_ms).toBe('number');
    expect(logs.some((l) => l.event === 'request' && l.status === 401)).toBe(true);
    expect(logs.some((l) => l.event === 'request' && l.status === 413)).toBe(true);
    const err = http.stderr();
    expect(err).not.toContain(TOKEN);
    expect(err).not.toContain(jupyter.token);
    for (const line of err.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
  });
});
