import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@jupyter-mcp/test-support';
import { expect } from 'vitest';

export const MAIN = join(repoRoot, 'apps/cli/dist/main.js');

/** Build the CLI once if it was never built (the root `test` script builds before running vitest). */
export function ensureBuilt(): void {
  if (existsSync(MAIN)) return;
  throw new Error(
    `${MAIN} is missing: run \`node_modules/.bin/turbo run build --filter=jupyter-mcp...\` before the CLI integration tests.`,
  );
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI asynchronously (the loopback proxies live in this process: never block it). Doctor
 *  runs get a generous probe timeout: the test machine may be loaded. */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args, ...(args[0] === 'doctor' && !args.includes('--timeout') ? ['--timeout', '30'] : [])],
      {
        cwd: repoRoot,
        // A clean environment: no JUPYTER_TOKEN/JUPYTER_URL from the developer's shell.
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
        timeout: 60_000,
        maxBuffer: 10 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `--json`: stdout is exactly one JSON document. */
export function json(r: CliResult): {
  ok: boolean;
  findings: { code: string; severity: string; fix: string; explanation: string }[];
  auth: { working: string[]; recommended: string | null };
  [k: string]: unknown;
} {
  return JSON.parse(r.stdout);
}

export const codes = (r: CliResult) => json(r).findings.map((f) => f.code);

export function expectNoSecret(r: CliResult, ...secrets: (string | undefined)[]): void {
  for (const s of secrets) {
    if (!s) continue;
    expect(r.stdout).not.toContain(s);
    expect(r.stderr).not.toContain(s);
  }
}
