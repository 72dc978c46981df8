/**
 * The root of every error the jupyter-mcp packages throw. `code` is a stable, upper-case identifier
 * (public API: it does not change meaning between releases); the message says what failed, why, and
 * what to do, and never contains a secret. Each package's base error extends this class and narrows
 * `code` to its own union.
 */
export class JupyterMcpError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'JupyterMcpError';
    this.code = code;
  }
}

/** Every failure this package reports carries one of these codes. */
export type JupyterAuthErrorCode =
  | 'INVALID_URL'
  | 'INVALID_OPTIONS'
  | 'HTTP_ERROR'
  | 'AUTH_FAILED'
  | 'CONNECTION_REFUSED'
  | 'DNS_FAILED'
  | 'TLS_ERROR'
  | 'TIMEOUT'
  | 'NETWORK_ERROR'
  | 'ABORTED'
  | 'TOKEN_FILE_UNREADABLE'
  | 'LOGIN_FAILED'
  | 'WEBSOCKET_FAILED'
  | 'DISCOVERY_FAILED'
  | 'HUB_USER_UNKNOWN';

/** Base error of @jupyter-mcp/jupyter-auth. Messages say what failed, why, and what to do; they never
 *  contain a secret (callers' secrets are redacted before the error is built). */
export class JupyterAuthError extends JupyterMcpError {
  declare readonly code: JupyterAuthErrorCode;
  constructor(code: JupyterAuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'JupyterAuthError';
  }
}

/** The server answered with a non-success status. */
export class JupyterHttpError extends JupyterAuthError {
  readonly status: number;
  /** The server's own `message` (JSON error body) or a short text excerpt, redacted. */
  readonly serverMessage: string;
  readonly method: string;
  /** Request path relative to the server origin, query redacted. */
  readonly path: string;
  constructor(init: {
    status: number;
    serverMessage: string;
    method: string;
    path: string;
    message: string;
    code?: JupyterAuthErrorCode;
  }) {
    super(init.code ?? 'HTTP_ERROR', init.message);
    this.name = 'JupyterHttpError';
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.method = init.method;
    this.path = init.path;
  }
}

export type NetworkErrorCode =
  | 'CONNECTION_REFUSED'
  | 'DNS_FAILED'
  | 'TLS_ERROR'
  | 'TIMEOUT'
  | 'NETWORK_ERROR'
  | 'ABORTED';

/** The request never got an HTTP answer. */
export class JupyterNetworkError extends JupyterAuthError {
  declare readonly code: NetworkErrorCode;
  readonly method: string;
  readonly url: string;
  constructor(
    code: NetworkErrorCode,
    init: { method: string; url: string; message: string; cause?: unknown },
  ) {
    super(code, init.message, { cause: init.cause });
    this.name = 'JupyterNetworkError';
    this.method = init.method;
    this.url = init.url;
  }
}

/** Classify an error thrown by fetch/undici/net into a network error code. */
export function classifyNetworkError(err: unknown): NetworkErrorCode {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    const code = typeof o.code === 'string' ? o.code : '';
    const name = typeof o.name === 'string' ? o.name : '';
    const msg = typeof o.message === 'string' ? o.message : '';
    if (
      name === 'TimeoutError' ||
      code === 'UND_ERR_CONNECT_TIMEOUT' ||
      code === 'ETIMEDOUT' ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT'
    )
      return 'TIMEOUT';
    if (name === 'AbortError') return 'ABORTED';
    if (code === 'ECONNREFUSED') return 'CONNECTION_REFUSED';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'DNS_FAILED';
    if (
      /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER)/.test(code) ||
      /SSL routines|certificate|TLS/i.test(msg)
    )
      return 'TLS_ERROR';
    e = o.cause;
  }
  return 'NETWORK_ERROR';
}
