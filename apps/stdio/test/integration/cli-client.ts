import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@jupyter-mcp/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const cliPath = join(repoRoot, 'apps/cli/dist/main.js');

export function assertBuilt(): void {
  if (!existsSync(cliPath))
    throw new Error(
      `${cliPath} is missing: run \`node_modules/.bin/turbo run build\` first (npm test does).`,
    );
}

export interface CliSession {
  client: Client;
  transport: StdioClientTransport;
  /** pid of the jupyter-mcp process. */
  pid: number;
  /** Every line the server wrote to stdout so far. */
  stdoutLines(): string[];
  stderr(): string;
  /** Every result seen by `call` (for secret checks). */
  results: CallToolResult[];
  call(
    name: string,
    args?: Record<string, unknown>,
    options?: Parameters<Client['callTool']>[2],
  ): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Spawn the built CLI with the SDK's StdioClientTransport and connect an MCP client. */
export async function connectCli(options: {
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
}): Promise<CliSession> {
  assertBuilt();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('JUPYTER')) env[k] = v;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, ...(options.args ?? [])],
    env: { ...env, ...options.env },
    cwd: options.cwd ?? repoRoot,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
  });
  const client = new Client({ name: 'jupyter-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  // Record raw stdout too (a second listener), to check it carries JSON-RPC only.
  let raw = '';
  const child = (transport as any)._process as import('node:child_process').ChildProcess;
  child.stdout?.on('data', (b: Buffer) => {
    raw += b.toString('utf8');
  });
  const results: CallToolResult[] = [];
  return {
    client,
    transport,
    pid: child.pid!,
    stdoutLines: () => raw.split('\n').filter((l) => l !== ''),
    stderr: () => stderr,
    results,
    async call(name, args = {}, opts) {
      const r = (await client.callTool({ name, arguments: args }, undefined, {
        timeout: 120_000,
        ...opts,
      })) as CallToolResult;
      results.push(r);
      return r;
    },
    async close() {
      await client.close().catch(() => {});
    },
  };
}

export function textOf(r: CallToolResult): string {
  return r.content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('\n');
}

export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
