import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliSession, connectCli, textOf, waitFor } from './cli-client.js';

// A wrong token: the server still starts, logs the doctor's finding and fix, and every Jupyter tool
// returns that finding until the connection works — checked again on each call.
let server: JupyterServerHandle;
let cli: CliSession;
const wrongToken = 'wrong-token-0123456789abcdef';

beforeAll(async () => {
  server = await startJupyter();
  cli = await connectCli({ args: ['--url', server.url, '--token', wrongToken] });
});
afterAll(async () => {
  await cli?.close();
  await server?.stop();
});

describe('a bad token', () => {
  it('gives the doctor finding as an isError tool result, and logs it with the fix on stderr', async () => {
    const r = await cli.call('list_kernels');
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(/JUPYTER_UNAVAILABLE/);
    expect(text).toMatch(/Finding: [a-z0-9-_]+/i);
    expect(text).toMatch(/What to do: /);
    const nb = await cli.call('read_notebook', { path: 'x.ipynb' });
    expect(nb.isError).toBe(true);
    expect(textOf(nb)).toMatch(/JUPYTER_UNAVAILABLE/);
    await waitFor(
      () => /Jupyter is not usable: .*fix: /.test(cli.stderr()),
      30_000,
      'the start-up finding on stderr',
    );
  });

  it('diagnose_connection explains the failure', async () => {
    const r = await cli.call('diagnose_connection');
    expect(r.isError, textOf(r)).toBeFalsy();
    const s = r.structuredContent as { ok: boolean; findings: { code: string; fix?: string }[] };
    expect(s.ok).toBe(false);
    expect(s.findings.length).toBeGreaterThan(0);
    expect(s.findings.some((f) => f.fix)).toBe(true);
  });

  it('works once the server accepts the token (re-checked on the next call)', async () => {
    await server.restart({ token: wrongToken });
    const r = await cli.call('list_kernels');
    expect(r.isError, textOf(r)).toBeFalsy();
    const info = await cli.call('get_server_info');
    expect(info.structuredContent).toMatchObject({ state: 'ok' });
  });

  it('never shows a token in results or logs', () => {
    for (const r of cli.results) {
      const json = JSON.stringify(r);
      expect(json).not.toContain(server.token);
      expect(json).not.toContain(wrongToken);
    }
    expect(cli.stderr()).not.toContain(wrongToken);
  });
});
