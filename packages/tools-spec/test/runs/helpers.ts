/** Shared helpers of the notebook-run tests (not a test file). */
import { JupyterConnection, silentLogger } from '@jupyter-mcp/jupyter-auth';
import type { JupyterServerHandle } from '@jupyter-mcp/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { closeTools, JobRegistry, registerTools, type ToolDeps } from '../../src/index.js';

/** A code cell / markdown cell of a test notebook (nbformat 4.5 on disk form). */
export function code(source: string, id: string, tags?: string[]) {
  return {
    cell_type: 'code',
    execution_count: null,
    id,
    metadata: tags ? { tags } : {},
    outputs: [],
    source,
  };
}

export function markdown(source: string, id: string) {
  return { cell_type: 'markdown', id, metadata: {}, source };
}

export function notebookJson(cells: unknown[]): string {
  return `${JSON.stringify(
    {
      cells,
      metadata: {
        kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
        language_info: { name: 'python' },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  )}\n`;
}

export interface ToolsHarness {
  client: Client;
  deps: ToolDeps;
  /** A second MCP session on the same deps (same process, same job registry). */
  connectAnother(): Promise<{ client: Client; close(): Promise<void> }>;
  call(
    name: string,
    args: Record<string, unknown>,
    options?: Parameters<Client['callTool']>[2],
  ): Promise<CallToolResult & { structuredContent?: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Tool dependencies on a test Jupyter Server (token auth, silent logs). */
export function testDeps(
  jupyter: JupyterServerHandle,
  settings: Partial<ToolDeps['settings']> = {},
): ToolDeps {
  const conn = new JupyterConnection({ url: jupyter.url, token: jupyter.token, logger: silentLogger });
  return {
    jupyter: {
      connection: async () => conn,
      describe: () => ({
        url: jupyter.url,
        mode: 'external',
        authMethod: 'token-header',
        root: jupyter.rootDir,
        state: 'ok',
      }),
    },
    settings: { executionTimeoutS: 120, outputLimit: 20_000, imageLimitBytes: 1_000_000, ...settings },
    logger: silentLogger,
  };
}

/** The tool catalogue on an in-process MCP server (real SDK client and server, linked in memory). */
export async function connectTools(
  jupyter: JupyterServerHandle,
  options: { jobs?: boolean } = {},
): Promise<ToolsHarness> {
  const deps: ToolDeps = {
    ...testDeps(jupyter),
    ...(options.jobs === false ? {} : { jobs: new JobRegistry({ logger: silentLogger }) }),
  };
  const sessions: { close(): Promise<void> }[] = [];
  const connect = async () => {
    const server = new McpServer({ name: 'test', version: '0.0.0' });
    const tools = registerTools(server, deps);
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'test-client', version: '0.0.0' });
    await Promise.all([server.connect(a), client.connect(b)]);
    const s = {
      client,
      async close() {
        await client.close().catch(() => {});
        await tools.close();
        await server.close().catch(() => {});
      },
    };
    sessions.push(s);
    return s;
  };
  const first = await connect();
  return {
    client: first.client,
    deps,
    connectAnother: connect,
    call: (name, args, opts) =>
      first.client.callTool({ name, arguments: args }, undefined, {
        timeout: 300_000,
        ...opts,
      }) as never,
    async close() {
      for (const s of sessions) await s.close();
      await deps.jobs?.close();
      await closeTools(deps);
    },
  };
}

/** The text of a tool result. */
export function textOf(r: CallToolResult): string {
  return r.content
    .filter((c) => c.type === 'text')
    .map((c) => (c as { text: string }).text)
    .join('\n');
}
