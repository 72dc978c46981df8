import { type HubHandle, startHub } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hubIdentity,
  hubScopeGranted,
  JupyterAuthError,
  JupyterConnection,
  JupyterHttpError,
  resolveJupyterUrl,
} from '../../src/index.js';
import { errorText, expectNoSecrets, recordingLogger, rejectionOf } from './support.js';

describe('JupyterHub page URLs against a real JupyterHub 6', () => {
  let hub: HubHandle;
  let token: string;
  let narrow: string;
  const log = recordingLogger();
  const texts: string[] = [];

  beforeAll(async () => {
    hub = await startHub();
    token = await hub.createToken('alice', { scopes: ['access:servers!user=alice', 'servers!user=alice'] });
    narrow = await hub.createToken('alice', { scopes: ['read:users:name!user=alice'] });
    await hub.startServer('alice');
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
    expectNoSecrets([log.text(), ...texts], [token, narrow, hub?.adminToken]);
  });

  it('hubIdentity: the token owner, its scopes, and whether they reach the server', async () => {
    const who = await hubIdentity(hub.url, token);
    expect(who).toMatchObject({ name: 'alice', kind: 'user' });
    expect(hubScopeGranted(who, 'access:servers', 'alice')).toBe(true);
    expect(hubScopeGranted(who, 'servers', 'alice', 'gpu')).toBe(true);
    expect(hubScopeGranted(who, 'access:servers', 'bob')).toBe(false);
    const limited = await hubIdentity(hub.url, narrow);
    expect(limited.name).toBe('alice');
    expect(hubScopeGranted(limited, 'access:servers', 'alice')).toBe(false);
    expect(limited.servers).toBeUndefined();
  });

  it('hubIdentity: a token the Hub does not know is AUTH_FAILED pointing to the token page', async () => {
    const err = await rejectionOf(hubIdentity(hub.url, 'not-a-hub-token-1234'));
    expect(err).toBeInstanceOf(JupyterHttpError);
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toContain(`${hub.url}hub/token`);
    texts.push(errorText(err));
  });

  it.each([
    ['hub/home', ''],
    ['hub/spawn', ''],
    ['hub/token', ''],
    ['hub/user-redirect/lab/tree/x.ipynb', 'x.ipynb'],
  ])('resolves %s to the token owner’s server', async (page, path) => {
    const r = await resolveJupyterUrl(`${hub.url}${page}`, { token, logger: log });
    expect(r.baseUrl).toBe(`${hub.url}user/alice/`);
    expect(r.path ?? '').toBe(path);
    expect(r.hubPage).toEqual({ page: page.split('/')[1], userUnknown: false });
  });

  it('JupyterConnection.connect() takes a pasted /hub/home URL with the token in it', async () => {
    const conn = await JupyterConnection.connect({ url: `${hub.url}hub/home?token=${token}`, logger: log });
    expect(conn.baseUrl).toBe(`${hub.url}user/alice/`);
    expect(await conn.json('GET', 'api/status')).toMatchObject({ kernels: 0 });
  });

  it('the constructor refuses a Hub page it cannot resolve, and says how', () => {
    let err: unknown;
    try {
      new JupyterConnection({ url: `${hub.url}hub/home`, token });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JupyterAuthError);
    expect((err as JupyterAuthError).code).toBe('HUB_USER_UNKNOWN');
    expect((err as Error).message).toMatch(/JupyterConnection\.connect\(\)/);
    texts.push(errorText(err));
  });

  it('no token: HUB_USER_UNKNOWN pointing to the Hub token page', async () => {
    const err = await rejectionOf(resolveJupyterUrl(`${hub.url}hub/home`));
    expect(err.code).toBe('HUB_USER_UNKNOWN');
    expect(err.message).toContain(`${hub.url}hub/token`);
  });
});
