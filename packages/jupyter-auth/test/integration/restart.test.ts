import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JupyterConnection, JupyterHttpError } from '../../src/index.js';
import { errorText, expectNoSecrets, recordingLogger, rejectionOf } from './support.js';

const FIRST = 'first-token-aaaaaaaaaaaaaaaa';
const SECOND = 'second-token-bbbbbbbbbbbbbbbb';
const THIRD = 'third-token-cccccccccccccccc';

describe('a server restarted with a new token', () => {
  let server: JupyterServerHandle;
  const log = recordingLogger();
  const texts: string[] = [];

  beforeAll(async () => {
    server = await startJupyter({ token: FIRST });
  });
  afterAll(async () => {
    await server?.stop();
    expectNoSecrets([log.text(), ...texts], [FIRST, SECOND, THIRD]);
  });

  it('gives a clear error with the old token, then works after the token is updated', async () => {
    const c = await JupyterConnection.connect({
      url: server.url,
      token: FIRST,
      auth: 'token-header',
      logger: log,
    });
    expect(await c.json('GET', 'api/sessions')).toEqual([]);
    await server.restart({ token: SECOND });
    const err = await rejectionOf(c.json('GET', 'api/sessions'));
    expect(err).toBeInstanceOf(JupyterHttpError);
    expect((err as unknown as JupyterHttpError).status).toBe(403);
    expect(err.message).toMatch(/did not accept the token/);
    expect(err.message).toMatch(/jupyter server list/);
    texts.push(errorText(err));
    c.setToken(SECOND);
    expect(await c.json('GET', 'api/sessions')).toEqual([]);
    // A write too (token-authenticated, so no XSRF needed).
    await c.json('PUT', 'api/contents/after-restart.txt', {
      body: { type: 'file', format: 'text', content: 'x' },
    });
  });

  it('with a token file, re-reads it on the refusal and retries once, transparently', async () => {
    const file = join(server.rootDir, '..', 'rotating-token');
    writeFileSync(file, `${server.token}\n`);
    const c = await JupyterConnection.connect({ url: server.url, tokenFile: file, logger: log });
    expect(c.authMethod).toBe('token-header');
    await server.restart({ token: THIRD });
    writeFileSync(file, `${THIRD}\n`);
    expect(await c.json('GET', 'api/sessions')).toEqual([]);
    expect(log.text()).toContain('token file changed');
  });
});
