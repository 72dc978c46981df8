import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { registerTools, type ToolDefinition, type ToolDeps, ToolTaskStore } from '../../src/index.js';

export const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function fakeDeps(settings: Partial<ToolDeps['settings']> = {}): ToolDeps {
  return {
    jupyter: {
      connection: async () => {
        throw new Error('no Jupyter in this test');
      },
      describe: () => ({
        url: undefined,
        mode: 'external',
        authMethod: undefined,
        root: undefined,
        state: 'unchecked',
      }),
    },
    settings: { executionTimeoutS: 120, outputLimit: 20_000, imageLimitBytes: 1000, ...settings },
    logger: silentLogger,
  };
}

/** Tools that need no Jupyter: `echo` checks argument handling, `slow` runs until told or cancelled. */
export function fakeTools(control: { release?: () => void; aborted?: boolean; fail?: boolean } = {}) {
  const echo: ToolDefinition = {
    name: 'echo',
    title: 'Echo',
    description: 'Echo the arguments back (test tool).',
    inputSchema: {
      path: z.string().min(1).describe('Notebook path.'),
      index: z.number().int().min(0).optional().describe('Cell index.'),
      cell_type: z.enum(['code', 'markdown', 'raw']).default('code').describe('Cell type.'),
      timeout_s: z.number().positive().max(600).optional().describe('Seconds.'),
      cells: z
        .array(z.object({ source: z.string() }))
        .optional()
        .describe('Cells.'),
    },
    outputSchema: { args: z.record(z.string(), z.unknown()) },
    annotations: { readOnlyHint: true },
    needsJupyter: false,
    async handler(args) {
      return { content: [{ type: 'text', text: JSON.stringify(args) }], structuredContent: { args } };
    },
  };
  const slow: ToolDefinition = {
    name: 'slow',
    title: 'Slow',
    description: 'Run until released or cancelled (test tool).',
    inputSchema: { label: z.string().optional().describe('Label.') },
    outputSchema: {},
    annotations: { readOnlyHint: false, destructiveHint: false },
    traits: { longRunning: true },
    needsJupyter: false,
    async handler(args, ctx) {
      ctx.progress(1, 2, 'started');
      await new Promise<void>((resolve) => {
        control.release = resolve;
        ctx.signal.addEventListener('abort', () => {
          control.aborted = true;
          resolve();
        });
      });
      if (control.fail) return { content: [{ type: 'text', text: 'it failed' }], isError: true };
      return { content: [{ type: 'text', text: `done ${args.label ?? ''}`.trim() }], structuredContent: {} };
    },
  };
  return [echo, slow];
}

export interface Connected {
  client: Client;
  server: Server;
  /** Send one raw message and wait for the response with its id (or any message when it has none). */
  raw(message: unknown): Promise<JSONRPCMessage>;
  /** Notifications the raw channel received so far. */
  notifications(): JSONRPCMessage[];
  close(): Promise<void>;
}

/** A server with the given tools, an SDK client, and a raw JSON-RPC channel next to it. */
export async function connect(
  tools: ToolDefinition[],
  options: { tasks?: boolean; offered?: string[] } = {},
): Promise<Connected> {
  const taskStore = options.tasks === false ? undefined : new ToolTaskStore();
  const deps = fakeDeps(options.offered ? { tools: options.offered } : {});
  const make = () => {
    const server = new Server(
      { name: 'test', version: '0.0.0' },
      { capabilities: {}, ...(taskStore ? { taskStore } : {}) },
    );
    const session = registerTools(server, deps, { tools, ...(taskStore ? { taskStore } : {}) });
    return { server, session };
  };
  const { server, session } = make();
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test-client', version: '0.0.0' }, { capabilities: { tasks: {} } });
  await Promise.all([server.connect(a), client.connect(b)]);

  // A second server instance for raw messages (the SDK client owns the first transport).
  const rawSide = make();
  const [c, d] = InMemoryTransport.createLinkedPair();
  await rawSide.server.connect(c);
  const waiting: Array<(m: JSONRPCMessage) => void> = [];
  const seen: JSONRPCMessage[] = [];
  const notes: JSONRPCMessage[] = [];
  d.onmessage = (m) => {
    if (!('id' in m)) notes.push(m);
    seen.push(m);
    for (const w of waiting.splice(0)) w(m);
  };
  await d.start();
  let next = 1000;
  const raw = async (message: unknown): Promise<JSONRPCMessage> => {
    const id = (message as { id?: unknown }).id;
    const match = (m: JSONRPCMessage) => id === undefined || (m as { id?: unknown }).id === id;
    const p = new Promise<JSONRPCMessage>((resolve) => {
      const check = (m: JSONRPCMessage) => (match(m) ? resolve(m) : waiting.push(check));
      const old = seen.find(match);
      if (old) resolve(old);
      else waiting.push(check);
    });
    await d.send(message as JSONRPCMessage);
    return p;
  };
  await raw({
    jsonrpc: '2.0',
    id: next++,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
  });
  return {
    client,
    server,
    raw,
    notifications: () => notes,
    async close() {
      await client.close();
      await d.close();
      await session.close();
      await rawSide.session.close();
    },
  };
}
