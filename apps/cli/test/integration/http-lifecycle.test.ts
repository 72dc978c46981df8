import { execFile } from 'node:child_process';
import { freePort, type JupyterServerHandle, repoRoot, startJupyter } from '@jupyter-mcp/test-support';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  connectClient,
  type HttpProc,
  INIT_BODY,
  MAIN,
  MCP_HEADERS,
  startHttp,
  text,
  until,
} from './http-helpers.js';

const TOKEN = 'lifecycle-bearer-token-0123456789';
let jupyter: JupyterServerHandle;
const procs: HttpProc[] = [];
const clients: Client[] = [];

async function jupyterKernels(): Promise<string[]> {
  const r = await fetch(`${jupyter.url}api/kernels`, {
    headers: { Authorization: `token ${jupyter.token}` },
  });
  return ((await r.json()) as Array<{ id: string }>).map((k) => k.id);
}

async function serve(args: string[]): Promise<HttpProc> {
  const p = await startHttp(['--url', jupyter.url, '--port', String(await freePort()), ...args], {
    JUPYTER_TOKEN: jupyter.token,
    JUPYTER_MCP_AUTH_TOKEN: TOKEN,
  });
  procs.push(p);
  return p;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
        timeout: 60_000,
      },
      (err, _stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stderr }),
    );
  });
}

beforeAll(async () => {
  jupyter = await startJupyter();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await Promise.all(procs.map((p) => p.stop()));
  await jupyter?.stop();
});

describe('jupyter-mcp http: sessions, stateless mode, unsafe settings, readiness', () => {
  it('closes an idle session and stops its kernels; the session is then unknown (404)', async () => {
    const http = await serve(['--session-idle-timeout', '2']);
    const c = await connectClient(http.url, TOKEN);
    clients.push(c);
    const r = await call(c, 'execute_code', { code: 'z = 3' });
    const kernelId = String(r.structuredContent?.kernel_id);
    expect(await jupyterKernels()).toContain(kernelId);
    await until(async () => !(await jupyterKernels()).includes(kernelId));
    await until(() => http.logs().some((l) => l.event === 'session_expired'));
    const err = await call(c, 'list_kernels').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StreamableHTTPError);
    expect((err as StreamableHTTPError).code).toBe(404);
  });

  it('keeps SSE streams alive with comment frames (--sse-keepalive); --public-metrics', async () => {
    const http = await serve(['--sse-keepalive', '0.2', '--public-metrics']);
    // (--public-metrics: /metrics needs no token.)
    const metrics = await fetch(`${http.origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('jupyter_mcp_active_sessions 0');
    const auth = { authorization: `Bearer ${TOKEN}` };
    const init = await fetch(http.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...auth },
      body: INIT_BODY,
    });
    expect(init.status).toBe(200);
    await init.text();
    const sid = init.headers.get('mcp-session-id')!;
    const headers = { ...auth, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    const note = await fetch(http.url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });
    expect(note.status).toBe(202);
    const controller = new AbortController();
    const stream = await fetch(http.url, {
      headers: { ...headers, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    let seen = '';
    while (!seen.includes(': keepalive')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(seen).toContain(': keepalive');
    controller.abort();
    await fetch(http.url, { method: 'DELETE', headers }).then((r) => r.body?.cancel());
  });

  it('--stateless: kernel tools need kernel_id; kernels outlive a request and are used by id', async () => {
    const http = await serve(['--stateless']);
    const a = await connectClient(http.url, TOKEN);
    clients.push(a);
    const refused = await call(a, 'execute_code', { code: '1 + 1' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/kernel_id or notebook_path.*--stateless|--stateless.*kernel_id/s);
    const cleanup = await call(a, 'cleanup_kernels');
    expect(cleanup.isError).toBe(true);
    const job = await call(a, 'execute_notebook', { path: 'x.ipynb', background: true });
    expect(job.isError).toBe(true);
    expect(text(job)).toMatch(/background/);
    expect((await call(a, 'list_jobs')).isError).toBe(true);
    const started = await call(a, 'start_kernel');
    expect(started.isError).toBeFalsy();
    const kernelId = String(started.structuredContent?.kernel_id ?? started.structuredContent?.id);
    expect(await jupyterKernels()).toContain(kernelId);
    // Another client (as behind a load balancer) uses the kernel by id.
    const b = await connectClient(http.url, TOKEN);
    clients.push(b);
    await call(a, 'execute_code', { code: 'shared = 7', kernel_id: kernelId });
    const r = await call(b, 'execute_code', { code: 'print(shared * 6)', kernel_id: kernelId });
    expect(text(r)).toContain('42');
    expect((await call(b, 'stop_kernel', { kernel_id: kernelId })).isError).toBeFalsy();
    // No session: GET and DELETE are not offered.
    const get = await fetch(http.url, {
      headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' },
    });
    expect(get.status).toBe(405);
  });

  it('refuses 0.0.0.0 without an auth token, and --no-auth off loopback (exit 2)', async () => {
    const port = String(await freePort());
    const noToken = await runCli(['http', '--host', '0.0.0.0', '--port', port, '--url', jupyter.url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/without an auth token.*--auth-token/s);
    const noAuth = await runCli([
      'http',
      '--host',
      '0.0.0.0',
      '--port',
      port,
      '--no-auth',
      '--url',
      jupyter.url,
    ]);
    expect(noAuth.code).toBe(2);
    expect(noAuth.stderr).toMatch(/--no-auth is only allowed on a loopback host/);
    const short = await runCli(['http', '--auth-token', 'short', '--port', port, '--url', jupyter.url]);
    expect(short.code).toBe(2);
  });

  it('/readyz turns 503 when Jupyter is down (no detail, no secret)', async () => {
    const http = await serve([]);
    const up = await fetch(`${http.origin}/readyz`);
    expect(up.status).toBe(200);
    await jupyter.stop();
    const down = await until(async () => {
      const r = await fetch(`${http.origin}/readyz`);
      return r.status === 503 ? r : undefined;
    }, 45_000);
    const body = (await down.json()) as Record<string, unknown>;
    expect(body).toEqual({ status: 'unavailable', jupyter: 'unreachable' });
    const h = await fetch(`${http.origin}/healthz`);
    expect(h.status).toBe(200);
  });
});
