import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { repoRoot } from '@jupyter-mcp/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const MAIN = join(repoRoot, 'apps/cli/dist/main.js');

export interface HttpProc {
  child: ChildProcess;
  pid: number;
  /** The MCP endpoint. */
  url: string;
  origin: string;
  stderr(): string;
  /** JSON log lines seen so far. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawn `jupyter-mcp http …` (the built CLI) and wait for its `listening` log line. */
export function startHttp(args: string[], env: Record<string, string> = {}): Promise<HttpProc> {
  if (!existsSync(MAIN))
    throw new Error(`${MAIN} is missing: run \`node_modules/.bin/turbo run build\` before these tests.`);
  const child = spawn(process.execPath, [MAIN, 'http', ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stdout!.resume();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const logs = () =>
    err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`http server did not start:\n${err}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const listening = logs().find((l) => l.event === 'listening');
      if (listening) {
        clearTimeout(timer);
        const url = String(listening.url);
        resolve({
          child,
          pid: child.pid!,
          url,
          origin: new URL(url).origin,
          stderr: () => err,
          logs,
          exited,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`http server exited (${code}) before listening:\n${err}`));
    });
  });
}

/** An MCP client over Streamable HTTP with a bearer token. */
export async function connectClient(url: string, token?: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  });
  const client = new Client({ name: 'http-test', version: '0.0.0' });
  await client.connect(transport);
  return client;
}

export interface ToolOut {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
}

export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<ToolOut> {
  return (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as ToolOut;
}

export const text = (r: ToolOut) => r.content.map((c) => c.text ?? '').join('\n');

/** A raw request with full control over headers (fetch cannot set Host). */
export function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export const INIT_BODY = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
});

export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

/** Poll until `check` returns a truthy value (or fail after `ms`). */
export async function until<T>(check: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A metric's value from /metrics text. */
export function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : undefined;
}
