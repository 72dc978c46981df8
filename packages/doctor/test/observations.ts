import type { Observations, Probe, ProbeAuth } from '../src/index.js';

/** Builders for recorded observations (shapes as `runDoctor` records them). */
export function probe(id: string, status: number | null, message = '', extra: Partial<Probe> = {}): Probe {
  const parts = id.split(':');
  const auth = (parts.length > 1 ? parts.at(-1) : 'none') as ProbeAuth;
  const method = id.startsWith('ws:') ? 'WS' : id.startsWith('write:') || id === 'login' ? 'POST' : 'GET';
  const path = id.startsWith('http:')
    ? `/api/${parts[1]}`
    : id.startsWith('write:')
      ? '/api/sessions'
      : id.startsWith('ws:events')
        ? '/api/events/subscribe'
        : id.startsWith('ws:kernel')
          ? '/api/kernels/k1/channels'
          : id === 'login'
            ? '/login'
            : '/api';
  return { id, method, path, auth, status, error: null, ms: 3, message, ...extra };
}

/** All five endpoints with one method and one status. */
export function endpoints(
  method: ProbeAuth,
  status: number,
  message = status === 403 ? 'Forbidden' : '',
): Probe[] {
  return ['status', 'me', 'sessions', 'kernels', 'contents'].map((e) =>
    probe(`http:${e}:${method}`, status, message),
  );
}

export function observations(over: Partial<Observations> & { probes: Probe[] }): Observations {
  return {
    url: 'http://127.0.0.1:8888/',
    baseUrl: 'http://127.0.0.1:8888/',
    urlHadUiPath: false,
    urlHadToken: false,
    credentials: { token: true, tokenWhitespace: false, password: false, headers: [] },
    server: { version: '2.21.1', kind: 'jupyter_server' },
    loginPage: { passwordOnly: false, tokenAvailable: true },
    ...over,
  };
}

export const API_OK = probe('api', 200, 'version 2.21.1');
