import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { JupyterConnection } from '../src/connection.js';
import { makeServerSettings } from '../src/services.js';

describe('makeServerSettings', () => {
  it('leaves auth to the connection: no services token, no URL token, our fetch and a ws subclass', async () => {
    const seen: Headers[] = [];
    const fetchImpl = (async (_input: string | URL | Request, init: RequestInit = {}) => {
      seen.push(new Headers(init.headers));
      return new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    const c = new JupyterConnection({
      url: 'http://h:1/user/a/',
      token: 'tok-settings-1',
      auth: 'bearer-header',
      fetch: fetchImpl,
    });
    const s = makeServerSettings(c);
    expect(s).toMatchObject({
      baseUrl: 'http://h:1/user/a/',
      wsUrl: 'ws://h:1/user/a/',
      token: '',
      appendToken: false,
    });
    expect(Object.getPrototypeOf(s.WebSocket)).toBe(WebSocket);
    const res = await s.fetch(new Request('http://h:1/user/a/api/sessions?123'));
    expect(res.status).toBe(200);
    expect(seen[0]!.get('authorization')).toBe('Bearer tok-settings-1');
  });
});
