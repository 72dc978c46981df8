import {
  type JupyterServerHandle,
  type LoopbackProxy,
  startJupyter,
  startProxy,
} from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JupyterConnection, JupyterHttpError } from '../../src/index.js';
import { errorText, expectNoSecrets, recordingLogger, rejectionOf } from './support.js';

const SSO = { name: 'X-Sso-Ticket', value: 'sso-ticket-5f2d9c81e0' };

describe('custom headers through an SSO-style proxy that requires them', () => {
  let server: JupyterServerHandle;
  let proxy: LoopbackProxy;
  const log = recordingLogger();
  const texts: string[] = [];

  beforeAll(async () => {
    server = await startJupyter({ token: null }); // the proxy is the gate
    proxy = await startProxy({ target: server.url, requireHeader: SSO });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    expectNoSecrets([log.text(), ...texts], [SSO.value]);
  });

  it('sends the headers on reads, writes (with XSRF) and the websocket handshake', async () => {
    const c = new JupyterConnection({
      url: `${proxy.origin}/`,
      headers: { [SSO.name]: SSO.value },
      auth: 'custom-headers',
      logger: log,
    });
    expect(await c.json('GET', 'api/status')).toMatchObject({ kernels: 0 });
    const kernel = await c.json<{ id: string }>('POST', 'api/kernels', { body: { name: 'python3' } });
    try {
      (await c.openWebSocket(`api/kernels/${kernel.id}/channels`)).close();
    } finally {
      await c.request('DELETE', `api/kernels/${kernel.id}`);
    }
    const seen = proxy.requests.filter((r) => r.url.includes('/api/'));
    expect(seen.every((r) => r.headers[SSO.name.toLowerCase()] === SSO.value)).toBe(true);
  });

  it('auto with only headers picks custom-headers', async () => {
    const c = await JupyterConnection.connect({
      url: proxy.origin,
      headers: { [SSO.name]: SSO.value },
      logger: log,
    });
    expect(c.authMethod).toBe('custom-headers');
  });

  it('without the header the proxy refuses, and the error says credentials were missing', async () => {
    const c = new JupyterConnection({ url: proxy.origin, logger: log });
    const err = await rejectionOf(c.json('GET', 'api/status'));
    expect(err).toBeInstanceOf(JupyterHttpError);
    expect(err.status).toBe(403);
    expect(err.message).toMatch(/requires credentials/);
    const wrongHeader = await rejectionOf(
      JupyterConnection.connect({
        url: proxy.origin,
        headers: { [SSO.name]: 'expired-ticket-000' },
        logger: log,
      }),
    );
    expect(wrongHeader.message).toMatch(/headers you supplied were not accepted/);
    texts.push(errorText(err), errorText(wrongHeader));
  });
});

describe('a proxy that strips the Authorization header', () => {
  let server: JupyterServerHandle;
  let proxy: LoopbackProxy;
  const log = recordingLogger();

  beforeAll(async () => {
    server = await startJupyter();
    proxy = await startProxy({ target: server.url, dropHeaders: ['authorization'] });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    expectNoSecrets([log.text()], [server?.token]);
  });

  it('auto falls back to ?token= and uses it for HTTP and the websocket', async () => {
    const c = await JupyterConnection.connect({
      url: `${proxy.origin}/lab?token=${server.token}`,
      logger: log,
    });
    expect(c.authMethod).toBe('query');
    const kernel = await c.json<{ id: string }>('POST', 'api/kernels', { body: { name: 'python3' } });
    try {
      (await c.openWebSocket(`api/kernels/${kernel.id}/channels`)).close();
    } finally {
      await c.request('DELETE', `api/kernels/${kernel.id}`);
    }
    expect(log.text()).toMatch(/token=\[REDACTED\]/);
  });
});
