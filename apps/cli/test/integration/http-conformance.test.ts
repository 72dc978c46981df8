import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@jupyter-mcp/test-support';
import { describe, expect, it } from 'vitest';

// The official MCP conformance suite (@modelcontextprotocol/conformance@0.1.16, on Node 22) against
// `jupyter-mcp http --no-auth` with its embedded Jupyter Server, through scripts/conformance.mjs (which
// starts the built CLI): every server scenario that applies (README "MCP conformance" says which not).
describe('jupyter-mcp http: MCP conformance scenarios', () => {
  it('passes every scenario that applies', async () => {
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
    expect(r.out).toContain('8 passed, 0 failed');
    expect(r.code, r.out).toBe(0);
  }, 200_000);
});
