import type WebSocket from 'ws';
import type { ClientOptions } from 'ws';
import { JupyterAuthError } from '../errors.js';
import type { Redactor } from '../redact.js';

/** A refused websocket handshake; `status` is the HTTP status the server answered. */
export interface HandshakeError extends JupyterAuthError {
  status?: number;
}

/** Open a websocket and resolve once it is open; a failure becomes a redacted `WEBSOCKET_FAILED`. */
export function openSocket(
  WebSocketClass: typeof WebSocket,
  url: string,
  init: {
    headers: Record<string, string>;
    protocols?: string | string[];
    timeoutMs: number;
    redactor: Redactor;
    maxPayload?: number;
  },
): Promise<WebSocket> {
  const { redactor } = init;
  const safeUrl = redactor.redactUrl(url);
  const ws = new WebSocketClass(url, init.protocols, {
    headers: init.headers,
    handshakeTimeout: init.timeoutMs,
    perMessageDeflate: false,
    ...(init.maxPayload !== undefined ? { maxPayload: init.maxPayload } : {}),
  });
  return new Promise<WebSocket>((resolve, reject) => {
    const onError = (err: Error) => {
      cleanup();
      ws.terminate();
      const m = /Unexpected server response: (\d+)/.exec(err.message);
      const why =
        m?.[1] === '403' || m?.[1] === '401'
          ? ': the server did not accept the credentials on the handshake (run `jupyter-mcp doctor`).'
          : m?.[1] === '400'
            ? ': a proxy in between may drop the Upgrade/Connection headers, or the path is not a websocket.'
            : m?.[1] === '404'
              ? ': no such websocket endpoint (unknown kernel id, or a wrong base URL).'
              : '.';
      const e: HandshakeError = new JupyterAuthError(
        'WEBSOCKET_FAILED',
        redactor.redact(
          m
            ? `Websocket handshake to ${safeUrl} was refused with HTTP ${m[1]}${why}`
            : `Websocket to ${safeUrl} failed: ${err.message}`,
        ),
        { cause: err },
      );
      if (m) e.status = Number(m[1]);
      reject(e);
    };
    const onOpen = () => {
      cleanup();
      resolve(ws);
    };
    const cleanup = () => {
      ws.off('error', onError);
      ws.off('open', onOpen);
    };
    ws.on('error', onError);
    ws.on('open', onOpen);
  });
}

/**
 * A subclass of `Base` (a `ws` WebSocket) whose handshake is authenticated by `handshake(url)`:
 * it rewrites the URL (a `?token=` for `query`) and supplies the headers (Authorization or cookies).
 */
export function authWebSocketClass(
  Base: typeof WebSocket,
  handshake: (url: string) => { url: string; headers: Record<string, string> },
  timeoutMs: number,
): typeof WebSocket {
  class JupyterAuthWebSocket extends Base {
    constructor(address: string | URL, protocols?: string | string[], options?: ClientOptions) {
      const { url, headers } = handshake(String(address));
      super(url, protocols, {
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
        ...options,
        headers: { ...headers, ...(options?.headers ?? {}) },
      });
    }
  }
  return JupyterAuthWebSocket as unknown as typeof WebSocket;
}
