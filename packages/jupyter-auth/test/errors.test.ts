import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { JupyterConnection } from '../src/connection.js';
import { classifyNetworkError, JupyterNetworkError } from '../src/errors.js';

describe('classifyNetworkError', () => {
  it.each([
    [{ cause: { code: 'ECONNREFUSED' } }, 'CONNECTION_REFUSED'],
    [{ cause: { code: 'ENOTFOUND' } }, 'DNS_FAILED'],
    [{ cause: { code: 'EAI_AGAIN' } }, 'DNS_FAILED'],
    [{ cause: { code: 'CERT_HAS_EXPIRED' } }, 'TLS_ERROR'],
    [{ cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }, 'TLS_ERROR'],
    [{ cause: { code: 'ERR_SSL_WRONG_VERSION_NUMBER' } }, 'TLS_ERROR'],
    [{ name: 'TimeoutError' }, 'TIMEOUT'],
    [{ cause: { code: 'UND_ERR_CONNECT_TIMEOUT' } }, 'TIMEOUT'],
    [{ name: 'AbortError' }, 'ABORTED'],
    [{ cause: { code: 'ECONNRESET' } }, 'NETWORK_ERROR'],
    ['weird', 'NETWORK_ERROR'],
  ])('%j → %s', (err, code) => {
    expect(classifyNetworkError(err)).toBe(code);
  });
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  return typeof a === 'object' && a ? a.port : 0;
}

describe('real sockets (no Jupyter)', () => {
  it('a closed port is CONNECTION_REFUSED after the GET retries', async () => {
    const s = createServer();
    const port = await listen(s);
    await new Promise((r) => s.close(r));
    const c = new JupyterConnection({ url: `http://127.0.0.1:${port}/`, auth: 'none', retryDelayMs: 1 });
    const err = await c.request('GET', 'api').catch((e) => e);
    expect(err).toBeInstanceOf(JupyterNetworkError);
    expect(err.code).toBe('CONNECTION_REFUSED');
    expect(err.message).toMatch(/no server is listening/);
  });

  it('a server that never answers is a TIMEOUT, not retried', async () => {
    let connections = 0;
    const s = createServer(() => {
      connections++;
    });
    const port = await listen(s);
    try {
      const c = new JupyterConnection({ url: `http://127.0.0.1:${port}/`, auth: 'none', timeoutMs: 200 });
      const err = await c.request('GET', 'api').catch((e) => e);
      expect(err.code).toBe('TIMEOUT');
      expect(err.message).toMatch(/no answer before the timeout/);
      expect(connections).toBe(1);
    } finally {
      s.close();
    }
  });

  it('a caller abort is ABORTED', async () => {
    const s = createServer(() => {});
    const port = await listen(s);
    try {
      const c = new JupyterConnection({ url: `http://127.0.0.1:${port}/`, auth: 'none' });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 50);
      const err = await c.request('GET', 'api', { signal: ac.signal }).catch((e) => e);
      expect(err.code).toBe('ABORTED');
    } finally {
      s.close();
    }
  });
});
