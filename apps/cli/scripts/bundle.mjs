// Bundle the CLI entry (dist/main.js, compiled by tsc) with its workspace and npm dependencies into
// one file, replacing dist/main.js. Start-up of `npx jupyter-mcp` is dominated by resolving and
// loading hundreds of modules; one file loads about twice as fast (see the tools-spec bench).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(dir, 'dist/main.js');
const source = readFileSync(entry, 'utf8');
// The version the CLI and MCP serverInfo report, fixed at build time.
const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
await build({
  stdin: { contents: source, resolveDir: join(dir, 'dist'), sourcefile: 'main.js', loader: 'js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: entry,
  allowOverwrite: true,
  define: { __JUPYTER_MCP_VERSION__: JSON.stringify(version) },
  // Optional native helpers of ws, and packages loaded only by library callers that bring them.
  external: ['bufferutil', 'utf-8-validate', '@jupyterlab/services', 'zeromq'],
  // CommonJS dependencies (ws, commander, ajv) call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __jupyterMcpCreateRequire } from 'node:module';\nconst require = __jupyterMcpCreateRequire(import.meta.url);",
  },
  // Half the bytes to read, decode and compile; function names kept for readable stack traces, and a
  // linked source map (node --enable-source-maps) for the rest.
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
