import { Command } from 'commander';

export async function main(argv: string[]): Promise<number> {
  const program = new Command('jupyter-mcp')
    .description(
      'MCP server for Jupyter (stdio by default, or Streamable HTTP) and a doctor for Jupyter 401/403s.',
    )
    .exitOverride();
  program.command('stdio', { isDefault: true }).description('Run the MCP server over stdio (default).');
  program.command('http').description('Run the MCP server over Streamable HTTP.');
  program.command('doctor [url]').description('Diagnose the connection to a Jupyter Server.');
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const e = err as { exitCode?: number; code?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    return e.exitCode === undefined ? 1 : 2;
  }
  return 0;
}
