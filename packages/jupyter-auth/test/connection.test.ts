import { describe, expect, it } from 'vitest';
import { JupyterConnection } from '../src/connection.js';
import { JupyterAuthError, JupyterHttpError, JupyterNetworkError } from '../src/errors.js';

/** A fetch handler standing in for the network: records every call, answers from `answer`. */
function fakeFetch(answer: (url: URL, init: RequestInit, headers: Headers) => Response | Promise<Response>) {
  const calls: { method: string; url: string; headers: Headers }[] = [];
  const fn = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const headers = new Headers(init.headers);
    calls.push({ method: init.method ?? 'GET', url: url.toString(), headers });
    return answer(url, init, headers);
  }) as typeof fetch;
  return { fn, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

describe('JupyterConnection HTTP layer', () => {
  it('retries idempotent GETs on 502/503/504 and connection errors, never writes', async () => {
    let n = 0;
    const f = fakeFetch((_url, init) => {
      n++;
      if (init.method === 'GET' && n === 1) throw refused();
      if (init.method === 'GET' && n === 2) return json(503, { message: 'starting' });
      if (init.method === 'POST') return json(503, { message: 'busy' });
      return json(200, { ok: true });
    });
    const c = new JupyterConnection({
      url: 'http://h:1/',
      token: 'tok-1234',
      auth: 'token-header',
      fetch: f.fn,
      retryDelayMs: 1,
    });
    expect(await c.json('GET', 'api/status')).toEqual({ ok: true });
    expect(f.calls).toHaveLength(3);
    const err = await c.request('POST', 'api/kernels', { body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(JupyterHttpError);
    expect(err.status).toBe(503);
    expect(f.calls).toHaveLength(4);
  });

  it('gives up after the retry budget with a typed network error', async () => {
    const f = fakeFetch(() => {
      throw refused();
    });
    const c = new JupyterConnection({
      url: 'http://h:1/?token=zzzz-secret',
      fetch: f.fn,
      auth: 'query',
      retries: 2,
      retryDelayMs: 1,
    });
    const err = await c.request('GET', 'api/status').catch((e) => e);
    expect(err).toBeInstanceOf(JupyterNetworkError);
    expect(err.code).toBe('CONNECTION_REFUSED');
    expect(err.message).toMatch(/connection refused/);
    expect(err.message).not.toContain('zzzz-secret');
    expect(err.url).toContain('token=[REDACTED]');
    expect(f.calls).toHaveLength(3);
  });

  it('does not retry timeouts', async () => {
    const f = fakeFetch(() => {
      throw Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    });
    const c = new JupyterConnection({ url: 'http://h:1/', fetch: f.fn, auth: 'none', retryDelayMs: 1 });
    const err = await c.request('GET', 'api').catch((e) => e);
    expect(err.code).toBe('TIMEOUT');
    expect(f.calls).toHaveLength(1);
  });

  it('redacts tokens from error messages, including data-jupyter-api-token in HTML bodies', async () => {
    const token = 'abcdef0123456789';
    const f = fakeFetch(
      () =>
        new Response(
          `<html><body data-jupyter-api-token="${token}"><h1>404 : Not Found</h1>token=${token}</body></html>`,
          {
            status: 404,
            headers: { 'content-type': 'text/html' },
          },
        ),
    );
    const c = new JupyterConnection({ url: 'http://h:1/', token, auth: 'query', fetch: f.fn });
    const err = await c.request('GET', 'api/nothing').catch((e) => e);
    expect(err).toBeInstanceOf(JupyterHttpError);
    expect(err.message).toMatch(/404/);
    expect(err.message).toMatch(/base URL is probably wrong/);
    expect(`${err.message} ${err.serverMessage} ${err.path}`).not.toContain(token);
  });

  it('auto tries token-header, bearer-header, query in order and keeps the first accepted', async () => {
    const f = fakeFetch((_url, _init, h) =>
      h.get('authorization') === 'Bearer tok-5678' ? json(200, {}) : json(403, { message: 'Forbidden' }),
    );
    const c = await JupyterConnection.connect({ url: 'http://h:1/', token: 'tok-5678', fetch: f.fn });
    expect(c.authMethod).toBe('bearer-header');
    expect(f.calls.map((x) => x.headers.get('authorization'))).toEqual(['token tok-5678', 'Bearer tok-5678']);
    await c.request('GET', 'api/sessions');
    expect(f.calls.at(-1)!.headers.get('authorization')).toBe('Bearer tok-5678');
  });

  it('sends no credentials to URLs off the server', async () => {
    const f = fakeFetch(() => json(200, {}));
    const c = new JupyterConnection({
      url: 'http://h:1/base/',
      token: 'tok-9999',
      headers: { 'X-Sso': 'ticket-123' },
      auth: 'token-header',
      fetch: f.fn,
    });
    await c.authFetch('http://other:2/base/api');
    await c.authFetch('http://h:1/elsewhere/api');
    await c.authFetch('http://h:1/base/api');
    expect(f.calls.map((x) => x.headers.get('authorization'))).toEqual([null, null, 'token tok-9999']);
    expect(f.calls.map((x) => x.headers.get('x-sso'))).toEqual([null, null, 'ticket-123']);
  });

  it('rejects incomplete options with INVALID_OPTIONS', () => {
    for (const opts of [
      { url: 'http://h/', auth: 'token-header' as const },
      { url: 'http://h/', auth: 'password' as const },
      { url: 'http://h/', auth: 'custom-headers' as const },
      { url: 'http://h/', auth: 'kerberos' as never },
    ]) {
      expect(() => new JupyterConnection(opts)).toThrow(JupyterAuthError);
    }
  });
});

describe('error hints', () => {
  it('explain a refused write with a wrong token as a token problem, not XSRF', async () => {
    const f = fakeFetch(() => json(403, { message: "'_xsrf' argument missing from POST", reason: null }));
    const c = new JupyterConnection({
      url: 'http://h:1/',
      token: 'tok-abcd',
      auth: 'token-header',
      fetch: f.fn,
    });
    const err = await c.request('POST', 'api/kernels', { body: {} }).catch((e) => e);
    expect(err.serverMessage).toBe("'_xsrf' argument missing from POST");
    expect(err.message).toMatch(/did not accept the token/);
    const open = new JupyterConnection({ url: 'http://h:1/', auth: 'none', fetch: f.fn });
    const err2 = await open.request('POST', 'api/kernels', { body: {} }).catch((e) => e);
    expect(err2.message).toMatch(/XSRF token was missing or did not match/);
  });
});

describe('network error causes', () => {
  it('never carry a secret, even when the underlying error quotes the URL', async () => {
    const f = fakeFetch((url) => {
      throw new TypeError(`Failed to parse URL from ${url}`);
    });
    const c = new JupyterConnection({
      url: 'http://h:1/',
      token: 'tok-in-cause-77',
      auth: 'query',
      fetch: f.fn,
      retryDelayMs: 1,
    });
    const err = await c.request('GET', 'api/status').catch((e) => e);
    expect(err).toBeInstanceOf(JupyterNetworkError);
    expect(String(err.cause?.message)).toMatch(/Failed to parse URL/);
    expect(`${err.message} ${err.cause?.message} ${err.url}`).not.toContain('tok-in-cause-77');
  });
});
