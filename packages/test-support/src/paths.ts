import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('test-support: cannot find the repository root (pnpm-workspace.yaml)');
    dir = up;
  }
}

/** Absolute path of the repository root. */
export const repoRoot: string = findRepoRoot();
/** The project venv created by `bin/setup-venv.mjs`. */
export const venvDir: string = join(repoRoot, '.venv');
export const venvBin: string = join(venvDir, 'bin');
export const pythonPath: string = join(venvBin, 'python');
export const jupyterPath: string = join(venvBin, 'jupyter');
/** Scratch space for tests (git-ignored). */
export const tmpRoot: string = join(repoRoot, '.tmp');

export function assertVenv(): void {
  if (!existsSync(jupyterPath)) {
    throw new Error(
      `test-support: ${jupyterPath} is missing. Run \`node packages/test-support/bin/setup-venv.mjs\` (npm test does it).`,
    );
  }
}

/** The second venv (`requirements/legacy.txt`): jupyter_server 1.x stacks (Enterprise Gateway 3, Notebook 6.5). */
export const legacyVenvDir: string = join(repoRoot, '.venv-legacy');
export const legacyVenvBin: string = join(legacyVenvDir, 'bin');

/** This package's own directory (its node_modules holds the test tools installed from npm). */
export const testSupportDir: string = join(repoRoot, 'packages', 'test-support');
/** `configurable-http-proxy` (npm), the proxy JupyterHub runs in front of itself and the user servers. */
export const chpPath: string = join(testSupportDir, 'node_modules', '.bin', 'configurable-http-proxy');
