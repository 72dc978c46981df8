#!/usr/bin/env node
// Makes a fresh clone ready: Node packages (pnpm, obtained through npx at the pinned version), the
// Python venvs with the real Jupyter (packages/test-support/bin/setup-venv.mjs), and with --build the
// compiled packages. `--test-deps` adds what only the tests need: the legacy venv (Enterprise Gateway,
// Notebook 6) and Debian's chromium (browser tests) and nginx (proxy tests), installed with apt-get when
// missing. Every step is skipped when already up to date, so it is cheap to run every time.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmSpec = pkg.packageManager; // e.g. pnpm@10.34.8

function run(cmd, args, what, baseEnv = process.env) {
  const t0 = Date.now();
  const env = {
    ...baseEnv,
    PATH: `${join(root, 'node_modules/.bin')}:${baseEnv.PATH ?? ''}`,
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

// 2. The Python venvs (pinned in requirements/*.txt).
const testDeps = process.argv.includes('--test-deps');
run(
  process.execPath,
  [join(root, 'packages/test-support/bin/setup-venv.mjs'), ...(testDeps ? [] : ['--main-only'])],
  'Python venv',
);

// 3. Debian packages the tests drive: a real browser and a real nginx.
if (testDeps) ensureDebianPackages({ chromium: '/usr/bin/chromium', nginx: '/usr/sbin/nginx' });

function ensureDebianPackages(wanted) {
  const missing = Object.entries(wanted)
    .filter(([, bin]) => !existsSync(bin))
    .map(([pkg]) => pkg);
  if (!missing.length) return;
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].find((p) => existsSync(p));
  if (!aptGet || process.getuid?.() !== 0) {
    console.error(
      `bootstrap: ${missing.join(', ')} missing and apt-get is not usable here (needs root on Debian/Ubuntu); ` +
        'the tests that drive them will fail. Install them with your package manager.',
    );
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run(aptGet, ['update', '-q'], 'apt-get update', env);
  run(
    aptGet,
    ['install', '-y', '-q', '--no-install-recommends', ...missing],
    `apt-get install ${missing.join(' ')}`,
    env,
  );
}

// 4. Build (turbo caches it).
if (process.argv.includes('--build')) {
  run(join(root, 'node_modules/.bin/turbo'), ['run', 'build', '--output-logs=errors-only'], 'build');
}
