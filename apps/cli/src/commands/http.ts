import {
  APP_OPTIONS,
  type AppConfig,
  configSecrets,
  createLogger,
  doctorDiagnose,
  jupyterRuntimeDir,
  loadConfig,
} from '@jupyter-mcp/app-core';
import { HTTP_OPTIONS, HttpAppError, httpSettingsFrom, runHttpServer } from '@jupyter-mcp/http';
import type { Command } from 'commander';
import { ExitError } from '../errors.js';
import type { CliIo } from '../io.js';
import { addOptions } from '../options.js';

/** Every option `jupyter-mcp http` takes: the stdio ones plus the HTTP ones. */
export const HTTP_COMMAND_OPTIONS = [...APP_OPTIONS, ...HTTP_OPTIONS];

/** Resolve the config of `jupyter-mcp http` (flags > env > config file > defaults). */
export function loadHttpConfig(flags: Record<string, unknown>, io: Pick<CliIo, 'env' | 'cwd'>): AppConfig {
  const f = { ...flags };
  // commander turns `--no-auth` into `auth: false` (it shares a name with the Jupyter `--auth <method>`).
  if (f.auth === false) {
    delete f.auth;
    f.noAuth = true;
  }
  return loadConfig({ flags: f, env: io.env, cwd: io.cwd, options: HTTP_COMMAND_OPTIONS });
}

/**
 * `jupyter-mcp http`: serve MCP over Streamable HTTP until SIGINT/SIGTERM, then shut down gracefully.
 * Returns 0; throws `ExitError(2)` on unsafe settings (e.g. a public host without a token) and
 * `ExitError(1)` when the port cannot be bound.
 */
export async function httpCommand(flags: Record<string, unknown>, io: CliIo): Promise<number> {
  const config = loadHttpConfig(flags, io);
  const write = (line: string) => void io.stderr.write(line);
  const logger = createLogger({ level: config.logLevel, write, format: 'json' });
  // Request and tool-call lines go to stderr only (never to MCP clients' log notifications).
  const accessLogger = createLogger({
    level: config.logLevel,
    write,
    format: 'json',
    secrets: configSecrets(config),
  });
  try {
    await runHttpServer({
      config,
      http: httpSettingsFrom(config),
      logger,
      accessLogger,
      app: { name: 'jupyter-mcp', version: io.version },
      diagnose: doctorDiagnose({ logger, runtimeDirs: [jupyterRuntimeDir(io.env)] }),
      env: io.env,
      cwd: io.cwd,
      notice: (text) => io.stderr.write(text),
    });
  } catch (err) {
    if (err instanceof HttpAppError) throw new ExitError(err.code === 'LISTEN_FAILED' ? 1 : 2, err.message);
    throw err;
  }
  return 0;
}

/** Register `http` with its options on the program; `setExit` receives the exit code. */
export function registerHttpCommand(program: Command, io: CliIo, setExit: (code: number) => void): Command {
  const cmd = program
    .command('http')
    .description(
      'Run the MCP server over Streamable HTTP at /mcp (bearer auth, Host/Origin checks; /healthz, /readyz, /metrics).',
    );
  addOptions(cmd, HTTP_COMMAND_OPTIONS);
  cmd.action(async (opts: Record<string, unknown>) => {
    setExit(await httpCommand(opts, io));
  });
  return cmd;
}
