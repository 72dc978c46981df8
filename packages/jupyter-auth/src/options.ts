import type WebSocket from 'ws';
import { JupyterAuthError } from './errors.js';
import type { Logger } from './logger.js';

/** How requests authenticate (identifiers are public: doctor JSON, logs, get_server_info). */
export type AuthMethod = 'token-header' | 'bearer-header' | 'query' | 'password' | 'custom-headers' | 'none';
export const AUTH_METHODS: readonly AuthMethod[] = [
  'token-header',
  'bearer-header',
  'query',
  'password',
  'custom-headers',
  'none',
];

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface ConnectionOptions {
  /** What the user pasted: base URL or any UI URL (`…/lab?token=…`, `…/user/alice/lab/tree/x.ipynb`). */
  url: string;
  /** Token; overrides `tokenFile` and a token found in the URL. */
  token?: string;
  /** File holding the token (whitespace stripped). Re-read once when the server refuses the token. */
  tokenFile?: string;
  /** Password for `password` login. */
  password?: string;
  /** Extra headers sent on every request and websocket handshake to this server (SSO proxies, cookies). */
  headers?: Record<string, string>;
  /** Auth method to use, or `auto` (default) to find one that works. */
  auth?: AuthMethod | 'auto';
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Retries of idempotent GETs on connection errors and 502/503/504 (default 2). */
  retries?: number;
  /** First retry delay; doubles each time (default 200 ms). */
  retryDelayMs?: number;
  /** fetch implementation (default: global fetch). */
  fetch?: typeof fetch;
  /** WebSocket class (default: `ws`). */
  WebSocket?: typeof WebSocket;
  logger?: Logger;
}

export interface RequestOptions {
  query?: QueryParams;
  /** JSON body (objects) or a raw string. */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Statuses returned as a Response instead of thrown (e.g. `[404]`). */
  allowStatus?: number[];
}

export interface WebSocketOptions {
  query?: QueryParams;
  protocols?: string | string[];
  /** Handshake timeout (default: the connection timeout). */
  timeoutMs?: number;
  /** Largest message accepted, in bytes (`ws` default: 100 MiB; 0 = no limit). */
  maxPayload?: number;
}

/** Throw `INVALID_OPTIONS` when the chosen method lacks what it needs. */
export function checkOptions(
  auth: AuthMethod | 'auto',
  has: { token: boolean; password: boolean; headers: number },
): void {
  const fail = (msg: string) => {
    throw new JupyterAuthError('INVALID_OPTIONS', msg);
  };
  if (auth !== 'auto' && !AUTH_METHODS.includes(auth))
    fail(`Unknown auth method "${String(auth)}". Use one of: auto, ${AUTH_METHODS.join(', ')}.`);
  if ((auth === 'token-header' || auth === 'bearer-header' || auth === 'query') && !has.token)
    fail(`Auth method "${auth}" needs a token. Pass --token or --token-file (or a URL with ?token=).`);
  if (auth === 'password' && !has.password)
    fail('Auth method "password" needs a password (--password-env VAR).');
  if (auth === 'custom-headers' && has.headers === 0)
    fail('Auth method "custom-headers" needs at least one header (--header "Name: value").');
}
