import type { Readable, Writable } from 'node:stream';
import {
  type AppConfig,
  type AppLogger,
  closeToolDeps,
  createJupyterRuntime,
  createLifecycle,
  createMcpSession,
  type DiagnoseFn,
  type ShutdownReason,
  toolDeps,
} from '@jupyter-mcp/app-core';
import { unknownToolNames } from '@jupyter-mcp/tools-spec';
import { JsonRpcStdioTransport } from './jsonrpc-stdio.js';

export interface StdioServerOptions {
  config: AppConfig;
  logger: AppLogger;
  app: { name: string; version: string };
  /** The doctor (the CLI passes `doctorDiagnose()`). */
  diagnose?: DiagnoseFn;
  stdin?: Readable;
  stdout?: Writable;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/**
 * Serve MCP over stdio until the client disconnects (stdin closes), a signal arrives or the parent
 * dies; then stop the kernels this session started and the embedded Jupyter Server. stdout carries
 * JSON-RPC only. Resolves with the shutdown reason.
 */
export async function runStdioServer(options: StdioServerOptions): Promise<ShutdownReason> {
  const { config, logger } = options;
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  for (const n of unknownToolNames(config))
    logger.warn(`unknown tool name in --tools/--disabled-tools: ${n}`);
  for (const k of config.unknownFileKeys)
    logger.warn(`config file ${config.configFile}: unknown key "${k}" ignored`);

  const runtime = createJupyterRuntime({
    config,
    logger,
    diagnose: options.diagnose,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  const deps = toolDeps(runtime, logger, options.app);
  const session = createMcpSession({ deps, logger, app: options.app });

  const lifecycle = createLifecycle({
    logger,
    stdin,
    cleanup: async () => {
      await session.close();
      await closeToolDeps(deps);
      await runtime.close();
      await session.server.close().catch(() => {});
    },
  });
  stdout.on('error', () => void lifecycle.shutdown('client-closed'));

  const transport = new JsonRpcStdioTransport(stdin, stdout, () => session.protocolVersion());
  transport.onclose = () => void lifecycle.shutdown('client-closed');
  await session.server.connect(transport);
  logger.info(
    `MCP server ready on stdio (${session.tools.tools.length} tools; ${config.url ? 'external Jupyter Server' : 'embedded Jupyter Server'})`,
  );
  // Check (or start) Jupyter in the background: initialize and tools/list never wait for it, and a
  // failure only makes the Jupyter tools report the finding until it works.
  void runtime.startupCheck();
  return lifecycle.done;
}
