import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_OPTIONS } from '@jupyter-mcp/app-core';
import { repoRoot, tmpRoot } from '@jupyter-mcp/test-support';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = join(repoRoot, 'apps/cli/dist/main.js');
// Connection refused at once: tools are listed without any Jupyter running.
const deadUrl = 'http://127.0.0.1:9/';
let work: string;

function env(extra: Record<string, string> = {}): Record<string, string> {
  const e: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('JUPYTER')) e[k] = v;
  return { ...e, ...extra };
}

function run(args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: env(extraEnv),
    cwd: work,
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function listTools(args: string[], extraEnv: Record<string, string> = {}) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, ...args],
    env: env(extraEnv),
    cwd: work,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'cli-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

beforeAll(() => {
  if (!existsSync(cli))
    throw new Error(`${cli} is missing: run \`node_modules/.bin/turbo run build\` first.`);
  mkdirSync(tmpRoot, { recursive: true });
  work = mkdtempSync(join(tmpRoot, 'cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('jupyter-mcp CLI', () => {
  it('--help lists the subcommands; stdio --help shows every option with its default', () => {
    const top = run(['--help']);
    expect(top.code).toBe(0);
    for (const c of ['stdio', 'http', 'doctor']) expect(top.stdout).toContain(c);
    // The default command's options are listed by the bare --help too.
    for (const o of APP_OPTIONS) expect(top.stdout).toContain(o.flag.split(' ')[0]);
    expect((top.stdout.match(/\(default:/g) ?? []).length).toBe(APP_OPTIONS.length);
    const help = run(['stdio', '--help']);
    expect(help.code).toBe(0);
    for (const o of APP_OPTIONS) expect(help.stdout).toContain(o.flag.split(' ')[0]);
    const defaults = help.stdout.match(/\(default:/g) ?? [];
    expect(defaults.length).toBe(APP_OPTIONS.length);
    expect(help.stdout).toContain('JUPYTER_MCP_EXECUTION_TIMEOUT');
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'apps/cli/package.json'), 'utf8')) as {
      version: string;
    };
    const r = run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it.each([
    [['--execution-timeout', 'soon'], {}, /--execution-timeout: expected a positive number/],
    [[], { JUPYTER_MCP_OUTPUT_LIMIT: 'lots' }, /JUPYTER_MCP_OUTPUT_LIMIT/],
    [['--log-level', 'loud'], {}, /unknown log level/],
    [['--config', 'nope.json'], {}, /config file .*nope\.json: cannot read it/],
    [['--password-env', 'NOT_SET_ANYWHERE'], {}, /NOT_SET_ANYWHERE is not set/],
    [['--url', 'ftp://x'], {}, /expected an http/],
  ] as [string[], Record<string, string>, RegExp][])(
    'an invalid value exits 2 with one line on stderr (%j)',
    (args, e, re) => {
      const r = run(args, e);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(re);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('an unknown option is a usage error (exit 2)', () => {
    const r = run(['--no-such-option']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option/);
  });

  it('read-only mode lists only read-only tools', async () => {
    const tools = await listTools(['--url', deadUrl, '--read-only']);
    expect(tools.length).toBeGreaterThan(5);
    for (const t of tools) expect(t.annotations?.readOnlyHint, t.name).toBe(true);
    expect(tools.map((t) => t.name)).not.toContain('execute_code');
  });

  it('allowlist and denylist select tools (flags, env)', async () => {
    const allowed = await listTools(['--url', deadUrl, '--tools', 'read_cell,list_files']);
    expect(allowed.map((t) => t.name).sort()).toEqual(['list_files', 'read_cell']);
    const denied = await listTools(['--url', deadUrl], {
      JUPYTER_MCP_DISABLED_TOOLS: 'execute_code, stop_kernel',
    });
    const names = denied.map((t) => t.name);
    expect(names).not.toContain('execute_code');
    expect(names).not.toContain('stop_kernel');
    expect(names).toContain('execute_cell');
  });

  it('flags > env > config file', async () => {
    const file = join(work, 'cfg.json');
    writeFileSync(
      file,
      JSON.stringify({ readOnly: true, tools: ['read_cell', 'list_files', 'execute_code'] }),
    );
    // File alone: read-only applies.
    let tools = await listTools(['--url', deadUrl, '--config', file]);
    expect(tools.map((t) => t.name).sort()).toEqual(['list_files', 'read_cell']);
    // Env beats the file.
    tools = await listTools(['--url', deadUrl], { JUPYTER_MCP_CONFIG: file, JUPYTER_MCP_READ_ONLY: 'false' });
    expect(tools.map((t) => t.name).sort()).toEqual(['execute_code', 'list_files', 'read_cell']);
    // A flag beats env and file.
    tools = await listTools(['--url', deadUrl, '--config', file, '--tools', 'list_files'], {
      JUPYTER_MCP_TOOLS: 'read_cell',
    });
    expect(tools.map((t) => t.name)).toEqual(['list_files']);
  });
});
