#!/usr/bin/env node
// Run the MCP conformance suite (@modelcontextprotocol/conformance 0.1.16, a devDependency of the private packages/conformance,
// run with Node 22 from the `node` devDependency: the suite needs it) against `jupyter-mcp http
// --no-auth` on loopback, for every server scenario that applies to a server with its own tools,
// resources and prompts. The others test fixtures of the SDK's reference server (tools such as
// test_simple_text, resources such as test://static-text, prompts such as test_simple_prompt) or
// behaviour we deliberately do not offer; README "MCP conformance" lists them with the reason.
//
//   node scripts/conformance.mjs              start the built CLI (embedded Jupyter) on a free port
//   node scripts/conformance.mjs --url URL    run against a server that is already running
//
// Exit 0 when every scenario passes, 1 otherwise. Needs `node_modules/.bin/turbo run build` first.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCENARIOS = [
  'server-initialize',
  'ping',
  'logging-set-level',
  'tools-list',
  'resources-list',
  'prompts-list',
  'server-sse-multiple-streams',
  'dns-rebinding-protection',
];
/** Node 22 (the suite's engine), from packages/conformance's `node` devDependency. */
const NODE22 = join(root, 'packages/conformance/node_modules/.bin/node');
const SUITE = join(root, 'packages/conformance/node_modules/@modelcontextprotocol/conformance/dist/index.js');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function run(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

async function startServer() {
  const main = join(root, 'apps/cli/dist/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run node_modules/.bin/turbo run build first.`);
  const port = await freePort();
  // A real (embedded) Jupyter Server on a scratch root with one notebook: resources-list lists it.
  const scratch = mkdtempSync(join(tmpdir(), 'jupyter-mcp-conformance-'));
  writeFileSync(
    join(scratch, 'hello.ipynb'),
    `${JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 })}\n`,
  );
  const child = spawn(
    process.execPath,
    [main, 'http', '--no-auth', '--host', '127.0.0.1', '--port', String(port), '--root', scratch],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    },
  );
  let err = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jupyter-mcp http did not start:\n${err}`)), 60_000);
    child.stderr.on('data', (d) => {
      err += d;
      if (err.includes('"event":"listening"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`jupyter-mcp http exited (${code}):\n${err}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    stop: () =>
      new Promise((resolve) => {
        const done = () => {
          rmSync(scratch, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

async function main() {
  const i = process.argv.indexOf('--url');
  const server = i > 0 ? { url: process.argv[i + 1], stop: async () => {} } : await startServer();
  if (!existsSync(NODE22) || !existsSync(SUITE))
    throw new Error('the conformance suite or Node 22 is missing: run the bootstrap (pnpm install) first.');
  let failed = 0;
  try {
    for (const scenario of SCENARIOS) {
      const r = await run(NODE22, [SUITE, 'server', '--url', server.url, '--scenario', scenario]);
      const m = /Passed: (\d+)\/(\d+), (\d+) failed/.exec(r.out);
      const ok = r.code === 0 && m !== null && m[3] === '0' && m[1] === m[2];
      if (!ok) failed++;
      process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${scenario}${m ? ` (${m[1]}/${m[2]} checks)` : ''}\n`);
      if (!ok) process.stdout.write(`${r.out}\n`);
    }
  } finally {
    await server.stop();
  }
  process.stdout.write(`${SCENARIOS.length - failed} passed, ${failed} failed\n`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`conformance: ${err.message}\n`);
  process.exitCode = 1;
});
