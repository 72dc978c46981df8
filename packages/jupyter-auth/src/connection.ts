import WebSocket from 'ws';
import { classifyNetworkError, JupyterAuthError, JupyterHttpError, JupyterNetworkError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import { Redactor } from './redact.js';
import { joinUrl, parseJupyterUrl } from './url.js';

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
  /** What the user pasted: base URL or any UI URL (`…/lab?token=…`). */
  url: string;
  /** Token; overrides one found in the URL. */
  token?: string;
  /** Password for `password` login. */
  password?: string;
  /** Extra headers sent on every request and websocket handshake (SSO proxies, cookies). */
  headers?: Record<string, string>;
  /** Auth method to use, or `auto` (default) to pick one that works. */
  auth?: AuthMethod | 'auto';
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
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
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One authenticated connection to a Jupyter Server: the HTTP and websocket layer every other package
 * uses. Errors are typed and redacted.
 */
export class JupyterConnection {
  readonly baseUrl: string;
  readonly wsBaseUrl: string;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #WebSocket: typeof WebSocket;
  readonly #token: string | undefined;
  readonly #headers: Record<string, string>;
  #method: AuthMethod;

  constructor(options: ConnectionOptions) {
    const parsed = parseJupyterUrl(options.url);
    this.baseUrl = parsed.baseUrl;
    this.wsBaseUrl = parsed.wsUrl;
    this.#token = options.token ?? parsed.token;
    this.#headers = { ...(options.headers ?? {}) };
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#WebSocket = options.WebSocket ?? WebSocket;
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.redactor = new Redactor([this.#token, options.password, ...Object.values(this.#headers)]);
    const auth = options.auth ?? 'auto';
    this.#method =
      auth === 'auto'
        ? this.#token
          ? 'token-header'
          : Object.keys(this.#headers).length
            ? 'custom-headers'
            : 'none'
        : auth;
    if (
      (this.#method === 'token-header' || this.#method === 'bearer-header' || this.#method === 'query') &&
      !this.#token
    ) {
      throw new JupyterAuthError(
        'INVALID_OPTIONS',
        `Auth method "${this.#method}" needs a token. Pass --token or --token-file.`,
      );
    }
  }

  /** The auth method in use. */
  get authMethod(): AuthMethod {
    return this.#method;
  }

  /** Headers that authenticate a request (HTTP or websocket handshake). */
  authHeaders(): Record<string, string> {
    const h: Record<string, string> = { ...this.#headers };
    if (this.#method === 'token-header') h.Authorization = `token ${this.#token}`;
    else if (this.#method === 'bearer-header') h.Authorization = `Bearer ${this.#token}`;
    return h;
  }

  /** Absolute URL for an API path (relative to the base URL). Token in the query only for `query`. */
  url(path: string, query?: QueryParams): string {
    const q = this.#method === 'query' ? { ...query, token: this.#token } : query;
    return joinUrl(this.baseUrl, path, q);
  }

  /** Websocket URL for a path. Token in the query only for `query`. */
  webSocketUrl(path: string, query?: QueryParams): string {
    const q = this.#method === 'query' ? { ...query, token: this.#token } : query;
    return joinUrl(this.wsBaseUrl, path, q);
  }

  /** Send a request; non-2xx answers throw `JupyterHttpError` (unless listed in `allowStatus`). */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const m = method.toUpperCase();
    const url = this.url(path, options.query);
    const headers: Record<string, string> = { ...this.authHeaders(), ...(options.headers ?? {}) };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    void WRITE_METHODS;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const t0 = performance.now();
    let res: Response;
    try {
      res = await this.#fetch(url, { method: m, headers, body, signal, redirect: 'manual' });
    } catch (err) {
      const code = options.signal?.aborted ? 'ABORTED' : classifyNetworkError(err);
      const safeUrl = this.redactor.redactUrl(url);
      throw new JupyterNetworkError(code, {
        method: m,
        url: safeUrl,
        message: this.redactor.redact(`${m} ${safeUrl} failed: ${networkWhy(code, err)}`),
        cause: err,
      });
    }
    this.logger.debug('http', {
      method: m,
      url: this.redactor.redactUrl(url),
      status: res.status,
      ms: Math.round(performance.now() - t0),
    });
    if (res.ok || options.allowStatus?.includes(res.status)) return res;
    throw await this.httpError(m, url, res);
  }

  /** `request` + parse the JSON answer. */
  async json<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch (err) {
      throw new JupyterAuthError(
        'HTTP_ERROR',
        `${method.toUpperCase()} ${this.redactor.redactUrl(this.url(path))} answered ${res.status} with non-JSON content; is ${this.baseUrl} the Jupyter Server base URL?`,
        { cause: err },
      );
    }
  }

  /** Open an authenticated websocket; resolves once open. */
  async openWebSocket(path: string, options: WebSocketOptions = {}): Promise<WebSocket> {
    const url = this.webSocketUrl(path, options.query);
    const safeUrl = this.redactor.redactUrl(url);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const ws = new this.#WebSocket(url, options.protocols, {
      headers: this.authHeaders(),
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
    });
    return new Promise<WebSocket>((resolve, reject) => {
      const onError = (err: Error) => {
        cleanup();
        ws.terminate();
        const m = /Unexpected server response: (\d+)/.exec(err.message);
        reject(
          new JupyterAuthError(
            'WEBSOCKET_FAILED',
            this.redactor.redact(
              m
                ? `Websocket handshake to ${safeUrl} was refused with HTTP ${m[1]}${m[1] === '403' ? ': the server did not accept the credentials on the handshake (run `jupyter-mcp doctor`).' : '.'}`
                : `Websocket to ${safeUrl} failed: ${err.message}`,
            ),
            { cause: err },
          ),
        );
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

  /** Build a redacted `JupyterHttpError` from a failed response. */
  async httpError(method: string, url: string, res: Response): Promise<JupyterHttpError> {
    let text = '';
    try {
      text = await res.text();
    } catch {
      // body unreadable
    }
    let serverMessage = '';
    try {
      const j = JSON.parse(text) as { message?: unknown; reason?: unknown };
      serverMessage = String(j.message ?? j.reason ?? '');
    } catch {
      serverMessage = text
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 300);
    }
    serverMessage = this.redactor.redact(serverMessage);
    const u = new URL(url);
    const path = this.redactor.redactUrl(u.pathname + u.search);
    const hint =
      res.status === 403
        ? ' The server refused the request: the credentials were missing or not accepted (run `jupyter-mcp doctor` to see why).'
        : res.status === 401
          ? ' Authentication failed.'
          : res.status === 404
            ? ' Not found.'
            : '';
    return new JupyterHttpError({
      status: res.status,
      serverMessage,
      method,
      path,
      message: `${method} ${path} answered ${res.status} ${res.statusText}${serverMessage ? `: ${serverMessage}` : ''}.${hint}`,
    });
  }
}

function networkWhy(code: string, err: unknown): string {
  switch (code) {
    case 'CONNECTION_REFUSED':
      return 'connection refused — no server is listening there. Check the URL and that Jupyter is running.';
    case 'DNS_FAILED':
      return 'the host name does not resolve. Check the URL.';
    case 'TLS_ERROR':
      return 'the TLS handshake failed (certificate or protocol). Check https vs http and the certificate.';
    case 'TIMEOUT':
      return 'no answer before the timeout. The server may be overloaded or unreachable.';
    case 'ABORTED':
      return 'the request was cancelled.';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
