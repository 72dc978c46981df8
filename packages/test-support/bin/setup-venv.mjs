#!/usr/bin/env node
// Creates <repo>/.venv with the pinned Jupyter from requirements/jupyter.txt. Idempotent: skipped when
// the venv exists and was built from the same requirements with the same Python.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const venv = join(root, '.venv');
const reqFile = join(root, 'requirements/jupyter.txt');
const stampFile = join(venv, '.jupyter-mcp-stamp');
const python = process.env.PYTHON || 'python3';

const pyVersion = spawnSync(python, ['--version'], { encoding: 'utf8' });
if (pyVersion.status !== 0) {
  console.error(
    `setup-venv: cannot run ${python} (${pyVersion.error?.message ?? pyVersion.stderr}). Install Python 3.9+ or set PYTHON.`,
  );
  process.exit(1);
}
const stamp = createHash('sha256')
  .update(readFileSync(reqFile))
  .update(pyVersion.stdout + pyVersion.stderr)
  .digest('hex');

if (
  existsSync(join(venv, 'bin/jupyter')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8').trim() === stamp
) {
  process.exit(0);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`setup-venv: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

if (!existsSync(join(venv, 'bin/python'))) run(python, ['-m', 'venv', venv]);
run(join(venv, 'bin/python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', reqFile]);
writeFileSync(stampFile, `${stamp}\n`);
console.error(
  `setup-venv: ${venv} ready (${readFileSync(reqFile, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .join(', ')})`,
);
