import {
  CONNECTION_OPTIONS,
  ConfigError,
  GENERAL_OPTIONS,
  jupyterRuntimeDir,
  loadConfig,
  type OptionSpec,
} from '@jupyter-mcp/app-core';
import {
  type DiscoveredServer,
  DoctorError,
  type DoctorReport,
  listLocalServers,
  renderDoctorReport,
  runDoctor,
} from '@jupyter-mcp/doctor';
import { Redactor } from '@jupyter-mcp/jupyter-auth';
import { type Command, Option } from 'commander';
import { ExitError } from '../errors.js';
import { addOptions } from '../options.js';

/** Where the command writes and what it reads; `main` passes the process's, tests their own. */
export interface DoctorIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Colour the human output (a TTY without NO_COLOR). */
  color?: boolean;
}

/** The connection settings the doctor takes (the same flags/env/config file as stdio and http). */
const DOCTOR_CONFIG_OPTIONS: readonly OptionSpec[] = [
  ...CONNECTION_OPTIONS.filter((o) =>
    ['url', 'token', 'tokenFile', 'passwordEnv', 'headers'].includes(o.key),
  ).map((o) =>
    o.key === 'url'
      ? {
          ...o,
          description: 'Jupyter Server URL (or give it as the argument)',
          defaultText: 'none: required',
        }
      : o,
  ),
  ...GENERAL_OPTIONS.filter((o) => o.key === 'config'),
];

export interface DoctorFlags {
  json?: boolean;
  matrix?: boolean;
  discover?: boolean;
  timeout?: string;
  kernelProbe?: boolean;
  [flag: string]: unknown;
}

/** The JSON document for `--discover` without a URL. */
export interface DiscoverOnlyReport {
  ok: true;
  url: null;
  servers: DiscoveredServer[];
}

function usage(message: string): never {
  throw new ExitError(2, message);
}

function parseTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const s = Number(raw);
  if (!Number.isFinite(s) || s <= 0) usage(`--timeout: expected a positive number of seconds, got '${raw}'.`);
  return Math.round(s * 1000);
}

/**
 * `jupyter-mcp doctor [url]`: diagnose the connection and print the report (human, or one JSON document
 * with `--json`). Returns the exit code: 0 no error finding, 1 any error finding. Throws `ExitError(2)`
 * on a usage or configuration error. Never prompts; never prints a secret.
 */
export async function doctorCommand(
  urlArg: string | undefined,
  flags: DoctorFlags,
  io: DoctorIO,
): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig({
      flags: { ...flags, ...(urlArg ? { url: urlArg } : {}) },
      env: io.env,
      cwd: io.cwd,
      options: DOCTOR_CONFIG_OPTIONS,
    });
  } catch (err) {
    if (err instanceof ConfigError) usage(err.message);
    throw err;
  }
  const timeoutMs = parseTimeout(flags.timeout);
  const runtimeDir = jupyterRuntimeDir(io.env);
  const redactor = new Redactor([config.token, config.password]);

  if (!config.url) {
    if (!flags.discover)
      usage(
        'doctor needs the Jupyter Server URL: `jupyter-mcp doctor http://127.0.0.1:8888/` (or --url / JUPYTER_URL). `jupyter-mcp doctor --discover` lists the servers running on this machine.',
      );
    const servers = await listLocalServers([runtimeDir]);
    if (flags.json) {
      const doc: DiscoverOnlyReport = { ok: true, url: null, servers };
      io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    } else {
      io.stdout(
        servers.length
          ? `Local Jupyter Servers (${runtimeDir}):\n${servers.map((s) => `  ${s.url}  pid ${s.pid ?? '?'}  ${s.version ?? ''}  ${s.hasToken ? 'token' : 'no token'}${s.hasPassword ? ', password' : ''}  ${s.rootDir ?? ''}`.trimEnd()).join('\n')}\n`
          : `No running Jupyter Server found in ${runtimeDir}.\n`,
      );
    }
    return 0;
  }

  let report: DoctorReport;
  try {
    report = await runDoctor({
      url: config.url,
      ...(config.token ? { token: config.token } : {}),
      ...(config.password ? { password: config.password } : {}),
      headers: config.headers,
      ...(timeoutMs ? { timeoutMs } : {}),
      kernelProbe: flags.kernelProbe !== false,
      matrix: !!flags.matrix,
      discover: !!flags.discover,
      runtimeDirs: [runtimeDir],
    });
  } catch (err) {
    if (err instanceof DoctorError) usage(redactor.redact(err.message));
    throw err;
  }
  if (flags.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(`${renderDoctorReport(report, { color: !!io.color })}\n`);
  return report.ok ? 0 : 1;
}

/** Register `doctor [url]` with its options on the program. `run` receives the exit code. */
export function registerDoctorCommand(program: Command, io: DoctorIO, run: (code: number) => void): Command {
  const cmd = program
    .command('doctor [url]')
    .description('Diagnose the connection to a Jupyter Server: every 401/403 reproduced and explained.');
  addOptions(cmd, DOCTOR_CONFIG_OPTIONS);
  cmd
    .addOption(new Option('--json', 'print one JSON document on stdout'))
    .addOption(new Option('--matrix', 'include the endpoint × auth method status matrix'))
    .addOption(new Option('--discover', 'list the Jupyter Servers running on this machine (tokens redacted)'))
    .addOption(new Option('--timeout <seconds>', 'timeout of each probe (default: 5)'))
    .addOption(new Option('--kernel-probe', 'start a kernel when none runs, to test its websocket (default)'))
    .addOption(new Option('--no-kernel-probe', 'do not start a kernel'))
    .action(async (url: string | undefined, opts: DoctorFlags) => {
      try {
        run(await doctorCommand(url, opts, io));
      } catch (err) {
        if (!(err instanceof ExitError)) throw err;
        if (err.message) io.stderr(`jupyter-mcp doctor: ${err.message}\n`);
        run(err.exitCode);
      }
    });
  return cmd;
}
