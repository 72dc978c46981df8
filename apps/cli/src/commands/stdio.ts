import { type AppConfig, createLogger, doctorDiagnose, jupyterRuntimeDir } from '@jupyter-mcp/app-core';
import { runStdioServer } from '@jupyter-mcp/stdio';
import type { CliIo } from '../io.js';

/** `jupyter-mcp stdio` (the default): serve MCP over stdio until the client goes away. Returns 0. */
export async function stdioCommand(config: AppConfig, io: CliIo): Promise<number> {
  const logger = createLogger({ level: config.logLevel, write: (line) => io.stderr.write(line) });
  await runStdioServer({
    config,
    logger,
    app: { name: 'jupyter-mcp', version: io.version },
    diagnose: doctorDiagnose({ logger, runtimeDirs: [jupyterRuntimeDir(io.env)] }),
    stdin: io.stdin,
    stdout: io.stdout,
    env: io.env,
    cwd: io.cwd,
  });
  return 0;
}
