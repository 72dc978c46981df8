import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findJupyterCommand } from '../src/index.js';

const base = mkdtempSync(join(tmpdir(), 'find-jupyter-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function exe(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
}

describe('findJupyterCommand', () => {
  it('prefers --jupyter-command, then a .venv in cwd or a parent, then PATH', () => {
    const project = join(base, 'project');
    const sub = join(project, 'notebooks', 'deep');
    mkdirSync(sub, { recursive: true });
    const onPath = join(base, 'bin', 'jupyter');
    exe(onPath);
    const env = { PATH: join(base, 'bin') };
    expect(findJupyterCommand({ cwd: sub, env })).toEqual({ command: onPath, source: 'path' });
    const venv = join(project, '.venv', 'bin', 'jupyter');
    exe(venv);
    expect(findJupyterCommand({ cwd: sub, env })).toEqual({ command: venv, source: 'venv' });
    expect(findJupyterCommand({ cwd: sub, env, jupyterCommand: '/opt/j' })).toEqual({
      command: '/opt/j',
      source: 'option',
    });
  });

  it('returns undefined when there is no jupyter anywhere', () => {
    const empty = join(base, 'empty');
    mkdirSync(empty, { recursive: true });
    expect(findJupyterCommand({ cwd: empty, env: { PATH: empty } })).toBeUndefined();
  });
});
