import { createRequire } from 'node:module';
import type { ServerConnection } from '@jupyterlab/services';
import type { JupyterConnection } from './connection.js';

/**
 * `@jupyterlab/services` settings that talk through `connection`: its `fetch` carries our auth
 * (header, `?token=` only for `query`, cookies and `X-XSRFToken` for password login) with retries and
 * re-auth, and its `WebSocket` is a `ws` subclass that authenticates the handshake with the
 * Authorization header or cookies (JupyterHub 5 ignores URL tokens). Works under Node without
 * `document`. Resolve auth before kernels connect (`await JupyterConnection.connect(...)` or
 * `await connection.authenticate()`).
 */
export function makeServerSettings(
  connection: JupyterConnection,
  overrides: Partial<ServerConnection.ISettings> = {},
): ServerConnection.ISettings {
  // Loaded on first use: importing @jupyterlab/services costs ~0.4 s, which users of the plain HTTP
  // layer (the doctor CLI) should not pay.
  const services = createRequire(import.meta.url)(
    '@jupyterlab/services',
  ) as typeof import('@jupyterlab/services');
  return services.ServerConnection.makeSettings({
    baseUrl: connection.baseUrl,
    wsUrl: connection.wsBaseUrl,
    // Auth is ours: services must not add `Authorization: token` nor a URL token of its own.
    token: '',
    appendToken: false,
    fetch: (input: Parameters<typeof fetch>[0], init?: RequestInit) => connection.authFetch(input, init),
    WebSocket: connection.webSocketClass() as unknown as ServerConnection.ISettings['WebSocket'],
    ...overrides,
  });
}
