#!/usr/bin/env node
// Creates the project's Python venvs from requirements/*.txt. Idempotent: a venv is skipped when it exists
// and was built from the same requirements with the same Python.
//   .venv         requirements/jupyter.txt  jupyter_server, ipykernel, JupyterLab + jupyter-collaboration,
//                                           JupyterHub, Kernel Gateway: tests, benchmarks, embedded default
//   .venv-legacy  requirements/legacy.txt   jupyter_server 1.x stacks (Enterprise Gateway 3, Notebook 6.5)
// `--main-only` skips the legacy venv (the embedded default and `npm start` need only .venv).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const python = process.env.PYTHON || 'python3';
const VENVS = [
  { dir: '.venv', requirements: 'requirements/jupyter.txt', probe: 'bin/jupyter' },
  { dir: '.venv-legacy', requirements: 'requirements/legacy.txt', probe: 'bin/jupyter-enterprisegateway' },
];

const pyVersion = spawnSync(python, ['--version'], { encoding: 'utf8' });
if (pyVersion.status !== 0) {
  console.error(
    `setup-venv: cannot run ${python} (${pyVersion.error?.message ?? pyVersion.stderr}). Install Python 3.9+ or set PYTHON.`,
  );
  process.exit(1);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`setup-venv: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

function setup({ dir, requirements, probe }) {
  const venv = join(root, dir);
  const reqFile = join(root, requirements);
  const stampFile = join(venv, '.jupyter-mcp-stamp');
  const stamp = createHash('sha256')
    .update(readFileSync(reqFile))
    .update(pyVersion.stdout + pyVersion.stderr)
    .digest('hex');
  if (
    existsSync(join(venv, probe)) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8').trim() === stamp
  )
    return;
  if (!existsSync(join(venv, 'bin/python'))) run(python, ['-m', 'venv', venv]);
  run(join(venv, 'bin/python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', reqFile]);
  writeFileSync(stampFile, `${stamp}\n`);
  const pins = readFileSync(reqFile, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .join(', ');
  console.error(`setup-venv: ${venv} ready (${pins})`);
}

for (const v of VENVS) {
  if (v.dir !== '.venv' && process.argv.includes('--main-only')) continue;
  setup(v);
}
