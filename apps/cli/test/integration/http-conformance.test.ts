import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@jupyter-mcp/test-support';
import { describe, expect, it } from 'vitest';

// The official MCP conformance suite (@modelcontextprotocol/conformance@0.1.13) against
// `jupyter-mcp http --no-auth` on loopback, through scripts/conformance.mjs (which starts the built CLI).
describe('jupyter-mcp http: MCP conformance scenarios', () => {
  it('passes server-initialize, ping, tools-list, logging-set-level, dns-rebinding-protection', async () => {
    const r = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [join(repoRoot, 'scripts/conformance.mjs')],
        {
          cwd: repoRoot,
          timeout: 180_000,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
        },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, out: stdout + stderr }),
      );
    });
    expect(r.out).toContain('5 passed, 0 failed');
    expect(r.code, r.out).toBe(0);
  }, 200_000);
});
