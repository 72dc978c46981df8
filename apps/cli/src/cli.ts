import { APP_OPTIONS, ConfigError, helpText, loadConfig } from '@jupyter-mcp/app-core';
import { Command, CommanderError } from 'commander';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerHttpCommand } from './commands/http.js';
import { stdioCommand } from './commands/stdio.js';
import { ExitError } from './errors.js';
import type { CliIo } from './io.js';
import { addOptions } from './options.js';
import { packageVersion } from './version.js';

function wrap(text: string, width: number, indent: number): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > Math.max(30, width)) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join(`\n${' '.repeat(indent)}`);
}

/** The MCP server's options (stdio is the default command, so they work without "stdio" too). */
function serverOptionsHelp(): string {
  const width = Math.max(...APP_OPTIONS.map((o) => o.flag.length)) + 2;
  const lines = APP_OPTIONS.map(
    (o) => `  ${o.flag.padEnd(width)}${wrap(helpText(o), 80 - width, width + 2)}`,
  );
  return `\nOptions of the MCP server (jupyter-mcp [stdio] [options]; http adds its own, see http --help):\n${lines.join('\n')}`;
}

function defaultIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    version: packageVersion(),
  };
}

/**
 * Parse argv and run a command; resolves with the exit code (0 ok, 1 failure, 2 usage or
 * configuration error). Never calls process.exit (main.ts does).
 */
export async function main(argv: string[], ioOverrides: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { ...defaultIo(), ...ioOverrides };
  let exitCode = 0;
  const program = new Command('jupyter-mcp')
    .description(
      'MCP server for Jupyter (stdio by default, or Streamable HTTP) and a doctor for Jupyter 401/403s.\n' +
        'With no --url, jupyter-mcp starts and manages its own Jupyter Server (root: the current directory).',
    )
    .version(io.version, '-V, --version')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .addHelpText('after', serverOptionsHelp())
    .showHelpAfterError('(run jupyter-mcp stdio --help for the options)')
    .exitOverride();

  const serve = (run: typeof stdioCommand) => async (opts: Record<string, unknown>) => {
    const config = loadConfig({ flags: opts, env: io.env, cwd: io.cwd });
    exitCode = await run(config, io);
  };

  addOptions(
    program.command('stdio', { isDefault: true }).description('Run the MCP server over stdio (default).'),
    APP_OPTIONS,
  ).action(serve(stdioCommand));
  registerHttpCommand(program, io, (code) => {
    exitCode = code;
  });
  registerDoctorCommand(
    program,
    {
      stdout: (t) => io.stdout.write(t),
      stderr: (t) => io.stderr.write(t),
      env: io.env,
      cwd: io.cwd,
      color: (io.stdout as { isTTY?: boolean }).isTTY === true && !io.env.NO_COLOR,
    },
    (code) => {
      exitCode = code;
    },
  );

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`jupyter-mcp: ${err.message}\n`);
      return 2;
    }
    if (err instanceof ExitError) {
      if (err.message) io.stderr.write(`jupyter-mcp: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  return exitCode;
}
