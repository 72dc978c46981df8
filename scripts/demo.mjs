#!/usr/bin/env node
// A scripted MCP client session against `jupyter-mcp` on its embedded default: no URL, so the server
// starts its own Jupyter Server (root: a scratch directory), and this client creates a notebook,
// inserts and runs cells, reads it back, and disconnects. Prints a readable transcript; exits 0 only
// when every step worked and no Jupyter process is left behind.
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'apps/cli/dist/main.js');
// The SDK is a dependency of apps/cli (pnpm keeps it out of the root node_modules).
const requireFromCli = createRequire(join(root, 'apps/cli/package.json'));
const sdk = async (p) => import(pathToFileURL(requireFromCli.resolve(`@modelcontextprotocol/sdk/${p}`)).href);
const { Client } = await sdk('client/index.js');
const { StdioClientTransport } = await sdk('client/stdio.js');

const work = join(root, '.tmp', `demo-${process.pid}`);
mkdirSync(work, { recursive: true });

const rule = (title) => console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 70 - title.length))}`);
const indent = (text) =>
  text
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');

function show(result, expectError = false) {
  for (const c of result.content ?? []) {
    if (c.type === 'text') console.log(indent(c.text));
    else if (c.type === 'image') console.log(indent(`[${c.mimeType} image, ${c.data.length} base64 chars]`));
  }
  if (result.isError && !expectError) throw new Error('the tool reported an error (above)');
  if (expectError)
    console.log(indent(result.isError ? '(an isError result, as expected)' : 'expected an error!'));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [cli, '--log-level', 'warn'],
  cwd: work,
  stderr: 'inherit',
});
const client = new Client({ name: 'jupyter-mcp-demo', version: '1.0.0' });
let exitCode = 0;
let serverPid;
const t0 = Date.now();
try {
  rule('connect: node apps/cli/dist/main.js (no --url: embedded Jupyter Server)');
  await client.connect(transport);
  const { tools } = await client.listTools();
  console.log(indent(`${tools.length} tools: ${tools.map((t) => t.name).join(', ')}`));

  const call = async (name, args = {}, extra = {}, expectError = false) => {
    rule(`${name} ${JSON.stringify(args).slice(0, 60)}`);
    const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 180_000, ...extra });
    show(r, expectError);
    return r;
  };

  const info = await call('get_server_info');
  console.log(indent(`(mode: ${info.structuredContent?.mode})`));

  await call('create_notebook', {
    path: 'demo.ipynb',
    cells: [
      {
        cell_type: 'markdown',
        source: '# jupyter-mcp demo\nCells below were written and run by an MCP client.',
      },
    ],
  });
  await call('insert_cell', {
    path: 'demo.ipynb',
    source: 'import math\nx = 21 * 2\nprint(f"x = {x}, sqrt = {math.sqrt(x):.3f}")',
    execute: true,
  });
  await call(
    'insert_cell',
    {
      path: 'demo.ipynb',
      source:
        'import time\nfor i in range(5):\n    print(f"step {i + 1}/5", flush=True)\n    time.sleep(0.2)\nx * 10',
      execute: true,
    },
    {
      onprogress: (p) => console.log(indent(`… progress ${p.progress}${p.message ? `: ${p.message}` : ''}`)),
    },
  );
  await call('edit_cell', { path: 'demo.ipynb', index: 1, old_string: '21 * 2', new_string: '6 * 7' });
  await call('execute_cell', { path: 'demo.ipynb', index: 1 });
  await call('execute_code', { code: 'x = 7\nprint(x * 6)' });
  await call('execute_code', { code: '1/0' }, {}, true);
  await call('read_notebook', { path: 'demo.ipynb', format: 'full' });

  const servers = await client.callTool({ name: 'list_jupyter_servers', arguments: {} });
  serverPid = servers.structuredContent?.servers?.find((s) => s.managed_by_us)?.pid;
} catch (err) {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  exitCode = 1;
} finally {
  rule('disconnect');
  const serverProcess = transport.pid;
  await client.close();
  // The server stops its Jupyter Server and kernels when stdin closes; give it the time to.
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && [serverProcess, serverPid].some((p) => p && alive(p)))
    await new Promise((r) => setTimeout(r, 100));
  const left = [serverProcess, serverPid].filter((p) => p && alive(p));
  if (left.length) {
    console.log(indent(`processes left behind: ${left.join(', ')}`));
    exitCode = 1;
  } else {
    console.log(
      indent(
        `jupyter-mcp (pid ${serverProcess}) and its Jupyter Server (pid ${serverPid ?? '?'}) have exited; nothing left running.`,
      ),
    );
  }
  rmSync(work, { recursive: true, force: true });
  console.log(indent(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`));
}
process.exit(exitCode);
