#!/usr/bin/env node
// Makes a fresh clone ready: Node packages (pnpm, obtained through npx at the pinned version), the
// Python venv with the real Jupyter (packages/test-support/bin/setup-venv.mjs), and with --build the
// compiled packages. Every step is skipped when already up to date, so it is cheap to run every time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = pkg.packageManager; // e.g. pnpm@10.34.8

function run(cmd, args, what) {
  const t0 = Date.now();
  const env = {
    ...process.env,
    PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
    TURBO_TELEMETRY_DISABLED: '1',
  };
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`bootstrap: ${what} failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
  console.error(`bootstrap: ${what} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

function same(a, b) {
  try {
    return readFileSync(a, 'utf8') === readFileSync(b, 'utf8');
  } catch {
    return false;
  }
}

// 1. Node packages.
const lock = join(root, 'pnpm-lock.yaml');
if (!same(lock, join(root, 'node_modules/.pnpm/lock.yaml'))) {
  const args = ['-y', pnpmSpec, 'install'];
  if (existsSync(lock) && process.env.CI) args.push('--frozen-lockfile');
  run('npx', args, `pnpm install (${pnpmSpec})`);
}

// 2. The Python venv holding jupyter_server + ipykernel (pinned in requirements/jupyter.txt).
run(process.execPath, [join(root, 'packages/test-support/bin/setup-venv.mjs')], 'Python venv');

// 3. Build (turbo caches it).
if (process.argv.includes('--build')) {
  run(join(root, 'node_modules/.bin/turbo'), ['run', 'build', '--output-logs=errors-only'], 'build');
}
