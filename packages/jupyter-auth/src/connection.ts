import WebSocket from 'ws';
import { readTokenFile } from './discovery.js';
import { JupyterAuthError, JupyterHttpError, JupyterNetworkError } from './errors.js';
import { resolveJupyterUrl } from './hub.js';
import { CookieJar } from './internal/cookie-jar.js';
import { fetchOnce } from './internal/fetch-once.js';
import { ensureXsrfCookie, passwordLogin } from './internal/login.js';
import { makeHttpError } from './internal/messages.js';
import { authWebSocketClass, openSocket } from './internal/websocket.js';
import { type Logger, silentLogger } from './logger.js';
import {
  type AuthMethod,
  type ConnectionOptions,
  checkOptions,
  type QueryParams,
  type RequestOptions,
  type WebSocketOptions,
} from './options.js';
import { Redactor } from './redact.js';
import { joinUrl, parseJupyterUrl } from './url.js';

type HeadersInit = ConstructorParameters<typeof Headers>[0];
type RequestRedirect = NonNullable<RequestInit['redirect']>;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
const COOKIE_METHODS = new Set<AuthMethod>(['password', 'none', 'custom-headers']);
const PROBE_PATH = 'api/status';

interface SendOptions {
  headers?: HeadersInit;
  body?: string | ArrayBuffer;
  signal?: AbortSignal | null;
  timeoutMs?: number;
  redirect?: RequestRedirect;
  /** Use this method instead of the current one (probes). */
  authMethod?: AuthMethod;
  /** Re-authenticate once and retry on 401/403 (default true). */
  reauth?: boolean;
}

interface Sent {
  res: Response;
  url: string;
  authMethod: AuthMethod;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * One authenticated connection to a Jupyter Server: the HTTP and websocket layer every other package
 * uses. Errors are typed and redacted.
 *
 * With `auth: 'auto'` (the default) the method is found lazily, on the first request: each candidate
 * is tried against an authenticated probe (`GET api/status`) and the first that works is kept. Use
 * `await JupyterConnection.connect(options)` to resolve and verify up front (it throws if nothing
 * works). After a 401/403 the connection re-authenticates once (re-login, re-read the token file, or
 * re-resolve `auto`) and retries the request once.
 */
export class JupyterConnection {
  readonly baseUrl: string;
  readonly wsBaseUrl: string;
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #WebSocket: typeof WebSocket;
  readonly #requested: AuthMethod | 'auto';
  readonly #tokenFile: string | undefined;
  readonly #password: string | undefined;
  readonly #headers: Record<string, string>;
  readonly #jar: CookieJar;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  #token: string | undefined;
  #method: AuthMethod;
  /** auto: candidates probed; password: logged in (or tried). */
  #ready: boolean;
  /** Bumped on every successful (re-)authentication; a request that failed under an older one retries. */
  #generation = 0;
  #pending: Promise<unknown> | undefined;
  /** What auto tried last, for error messages ("token-header 403, …"). */
  #autoSummary: string | undefined;
  #WsClass: typeof WebSocket | undefined;

  /**
   * Resolve the auth method and verify access before returning (throws `AUTH_FAILED` / `LOGIN_FAILED`).
   * A JupyterHub page URL that names no user (`/hub/home`, `/hub/spawn`, `/hub/user-redirect/…`) is first
   * turned into the token owner's server URL (`resolveJupyterUrl`).
   */
  static async connect(options: ConnectionOptions): Promise<JupyterConnection> {
    let url = options.url;
    if (parseJupyterUrl(url).hubPage?.userUnknown) {
      const resolved = await resolveJupyterUrl(url, {
        ...(options.token ? { token: options.token } : {}),
        ...(options.tokenFile ? { tokenFile: options.tokenFile } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
        timeoutMs: options.timeoutMs ?? 30_000,
      });
      url = resolved.token ? joinUrl(resolved.baseUrl, '', { token: resolved.token }) : resolved.baseUrl;
    }
    const c = new JupyterConnection({ ...options, url });
    await c.authenticate();
    return c;
  }

  constructor(options: ConnectionOptions) {
    const parsed = parseJupyterUrl(options.url);
    if (parsed.hubPage?.userUnknown)
      throw new JupyterAuthError(
        'HUB_USER_UNKNOWN',
        new Redactor([options.token]).redact(
          `${new Redactor().redactUrl(options.url.trim())} is a JupyterHub page: the user server it leads to depends on whose token it is. Use \`JupyterConnection.connect()\` or \`resolveJupyterUrl()\` (they ask ${parsed.hubUrl}hub/api/user), or pass the server URL (${parsed.hubUrl}user/<name>/).`,
        ),
      );
    this.baseUrl = parsed.baseUrl;
    this.wsBaseUrl = parsed.wsUrl;
    this.#headers = { ...(options.headers ?? {}) };
    this.#password = options.password || undefined;
    this.#tokenFile = options.tokenFile;
    this.#token = options.token || (options.tokenFile ? readTokenFile(options.tokenFile) : parsed.token);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#WebSocket = options.WebSocket ?? WebSocket;
    this.logger = options.logger ?? silentLogger;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = options.retries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 200;
    const cookieValues = (cookieHeader(this.#headers) ?? '').split(';').map((p) => p.split('=')[1]?.trim());
    this.redactor = new Redactor([
      this.#token,
      this.#password,
      ...Object.values(this.#headers),
      ...cookieValues,
    ]);
    this.#jar = new CookieJar(this.baseUrl, (v) => this.redactor.add(v));
    this.#requested = options.auth ?? 'auto';
    this.#method = this.#requested === 'auto' ? this.#candidates()[0]! : this.#requested;
    this.#ready = this.#requested !== 'auto' && this.#requested !== 'password';
    checkOptions(this.#requested, {
      token: Boolean(this.#token),
      password: Boolean(this.#password),
      headers: Object.keys(this.#headers).length,
    });
  }

  /** Methods `auto` tries, in order: token forms when a token is given, password, custom headers, none. */
  #candidates(): AuthMethod[] {
    const c: AuthMethod[] = [];
    if (this.#token) c.push('token-header', 'bearer-header', 'query');
    if (this.#password) c.push('password');
    if (Object.keys(this.#headers).length > 0) c.push('custom-headers');
    c.push('none');
    return c;
  }

  /** The auth method in use (with `auto`, the first candidate until the first request resolves it). */
  get authMethod(): AuthMethod {
    return this.#method;
  }

  /** True once the method is settled (auto resolved, password login done). */
  get authResolved(): boolean {
    return this.#ready;
  }

  /** Replace the token (e.g. after the server restarted with a new one). `auto` resolves again. */
  setToken(token: string): void {
    this.#token = token || undefined;
    this.redactor.add(token);
    if (this.#requested === 'auto') {
      this.#ready = false;
      this.#method = this.#candidates()[0]!;
    }
    this.#generation++;
  }

  /** Forget the cookies (login, `_xsrf`). The next refused request logs in again. */
  clearCookies(): void {
    this.#jar.clear();
  }

  /** Names (never values) of the cookies held for this server. */
  cookieNames(): string[] {
    return this.#jar.names();
  }

  /** Headers that authenticate a request (HTTP or websocket handshake) with the current method. */
  authHeaders(): Record<string, string> {
    const h = this.#authHeadersFor(this.#method, this.baseUrl, false);
    const out: Record<string, string> = {};
    h.forEach((v, k) => {
      out[k === 'authorization' ? 'Authorization' : k === 'cookie' ? 'Cookie' : k] = v;
    });
    return out;
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

  /**
   * Resolve the auth method (auto), log in (password) and verify access with an authenticated probe.
   * Throws `JupyterHttpError` with code `AUTH_FAILED` (nothing accepted; the message lists what was
   * tried) or `LOGIN_FAILED` (password rejected), or a `JupyterNetworkError`.
   */
  async authenticate(): Promise<AuthMethod> {
    return this.#once(async () => {
      if (this.#requested === 'auto') return this.#resolveAuto(true);
      if (this.#requested === 'password') await this.#login();
      const res = await this.#probe(this.#method);
      if (!res.ok)
        throw await this.#errorFor(
          'GET',
          joinUrl(this.baseUrl, PROBE_PATH),
          res,
          this.#method,
          'AUTH_FAILED',
        );
      await res.body?.cancel();
      this.#ready = true;
      return this.#method;
    });
  }

  /** Run one auth operation at a time; concurrent callers share it. */
  async #once<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#pending) await this.#pending.catch(() => {});
    const p = fn();
    this.#pending = p;
    try {
      return await p;
    } finally {
      if (this.#pending === p) this.#pending = undefined;
    }
  }

  async #ensureReady(): Promise<void> {
    if (this.#ready) return;
    await this.#once(async () => {
      if (this.#ready) return;
      if (this.#requested === 'auto') await this.#resolveAuto(false);
      else if (this.#method === 'password') await this.#login();
      this.#ready = true;
    });
  }

  async #login(): Promise<void> {
    this.#jar.clear();
    await passwordLogin(this.#loginContext(this.#password ?? ''));
    this.#generation++;
    this.logger.info('logged in with password', { baseUrl: this.redactor.redactUrl(this.baseUrl) });
  }

  #loginContext(password: string) {
    return {
      baseUrl: this.baseUrl,
      jar: this.#jar,
      password,
      baseHeaders: () => new Headers(this.#headers),
      fetchOnce: (method: string, url: string, headers: Headers, body?: string) =>
        this.#fetchOnce(method, url, headers, body, undefined, this.timeoutMs, 'manual'),
      redactor: this.redactor,
    };
  }

  async #probe(method: AuthMethod): Promise<Response> {
    const { res } = await this.#send('GET', joinUrl(this.baseUrl, PROBE_PATH), {
      authMethod: method,
      reauth: false,
    });
    return res;
  }

  /** Try each candidate; keep the first accepted. `strict`: throw when none is (else settle on the first). */
  async #resolveAuto(strict: boolean): Promise<AuthMethod> {
    const candidates = this.#candidates();
    const tried: string[] = [];
    let loginError: JupyterHttpError | undefined;
    let last: { res: Response; method: AuthMethod } | undefined;
    for (const m of candidates) {
      if (m === 'password') {
        try {
          await this.#login();
        } catch (err) {
          if (err instanceof JupyterHttpError && err.code === 'LOGIN_FAILED') {
            loginError = err;
            tried.push(`password (login ${err.status})`);
            continue;
          }
          throw err;
        }
      }
      const res = await this.#probe(m);
      if (res.ok) {
        await res.body?.cancel();
        this.#method = m;
        this.#ready = true;
        this.#autoSummary = undefined;
        this.#generation++;
        this.logger.info('auth method resolved', { authMethod: m, tried: tried.length + 1 });
        return m;
      }
      tried.push(`${m} (${res.status})`);
      // Keep the first refusal: it is about the credential the user most likely meant.
      if (last) await res.body?.cancel();
      else last = { res, method: m };
      if (res.status === 404) break; // no Jupyter API at this base URL: every method will say so
    }
    this.#autoSummary = tried.join(', ');
    this.#method = candidates[0]!;
    this.#ready = true;
    this.logger.warn('no auth method was accepted', { tried: this.#autoSummary });
    // A rejected password with no token to fall back on: say so, rather than a generic 403.
    if (loginError && !this.#token) {
      await last?.res.body?.cancel();
      throw loginError;
    }
    if (!strict || !last) {
      await last?.res.body?.cancel();
      return this.#method;
    }
    throw await this.#errorFor(
      'GET',
      joinUrl(this.baseUrl, PROBE_PATH),
      last.res,
      last.method,
      'AUTH_FAILED',
    );
  }

  /**
   * After a 401/403 under generation `gen`: try to get working credentials again. True = retry the
   * request. Re-reads the token file, re-logs in (password) or re-resolves (auto) — but only when the
   * current credentials really fail the probe (a 403 for a file permission is not an auth problem).
   */
  async #reauthenticate(method: AuthMethod, gen: number): Promise<boolean> {
    return this.#once(async () => {
      if (this.#generation !== gen) return true; // someone else re-authenticated meanwhile
      if (this.#tokenFile) {
        let fresh: string | undefined;
        try {
          fresh = readTokenFile(this.#tokenFile);
        } catch {
          fresh = undefined;
        }
        if (fresh && fresh !== this.#token) {
          this.logger.warn('token file changed; using the new token', { authMethod: method });
          this.setToken(fresh);
          if (this.#requested === 'auto') await this.#resolveAuto(false);
          return true;
        }
      }
      if (this.#requested !== 'auto' && method !== 'password') return false;
      const probe = await this.#probe(method);
      await probe.body?.cancel();
      if (probe.ok || probe.status === 404) return false;
      this.logger.warn('credentials refused; re-authenticating', {
        authMethod: method,
        status: probe.status,
      });
      if (this.#requested === 'password') {
        await this.#login();
        return true;
      }
      const before = this.#generation;
      await this.#resolveAuto(false);
      return this.#generation !== before && this.#autoSummary === undefined;
    });
  }

  /** Headers for `method` on `url` (nothing for URLs off this server). */
  #authHeadersFor(method: AuthMethod, url: string, write: boolean, extra?: HeadersInit): Headers {
    const h = new Headers(extra);
    if (!this.#jar.inScope(url)) return h;
    for (const [k, v] of Object.entries(this.#headers)) if (!h.has(k)) h.set(k, v);
    if (method === 'token-header') h.set('Authorization', `token ${this.#token}`);
    else if (method === 'bearer-header') h.set('Authorization', `Bearer ${this.#token}`);
    else if (COOKIE_METHODS.has(method)) {
      const jar = this.#jar.header(url);
      const mine = h.get('cookie');
      const all = [mine, jar].filter(Boolean).join('; ');
      if (all) h.set('Cookie', all);
      if (write) {
        const xsrf = this.#jar.get('_xsrf') ?? /(?:^|;\s*)_xsrf=([^;]*)/.exec(mine ?? '')?.[1];
        if (xsrf) h.set('X-XSRFToken', xsrf);
      }
    }
    return h;
  }

  /** One fetch: timeout, typed redacted network errors, debug log. */
  async #fetchOnce(
    method: string,
    url: string,
    headers: Headers,
    body: string | ArrayBuffer | undefined,
    signal: AbortSignal | null | undefined,
    timeoutMs: number,
    redirect: RequestRedirect,
  ): Promise<Response> {
    return fetchOnce(
      { fetch: this.#fetch, logger: this.logger, redactor: this.redactor },
      { method, url, headers, body, signal, timeoutMs, redirect },
    );
  }

  /** The single send path: auth, XSRF, cookies, retries of idempotent GETs, one re-auth on 401/403. */
  async #send(method: string, url: string, opts: SendOptions = {}): Promise<Sent> {
    const idempotent = IDEMPOTENT.has(method);
    const write = WRITE_METHODS.has(method);
    const inScope = this.#jar.inScope(url);
    let attempt = 0;
    let reauthed = false;
    for (;;) {
      const m = opts.authMethod ?? this.#method;
      const gen = this.#generation;
      if (write && inScope && COOKIE_METHODS.has(m)) await ensureXsrfCookie(this.#loginContext(''));
      const headers = this.#authHeadersFor(m, url, write, opts.headers);
      const target = m === 'query' && inScope ? joinUrl(url, '', { token: this.#token }) : url;
      let res: Response;
      try {
        res = await this.#fetchOnce(
          method,
          target,
          headers,
          opts.body,
          opts.signal,
          opts.timeoutMs ?? this.timeoutMs,
          opts.redirect ?? 'manual',
        );
      } catch (err) {
        const retryable =
          err instanceof JupyterNetworkError &&
          (err.code === 'CONNECTION_REFUSED' || err.code === 'NETWORK_ERROR');
        if (idempotent && retryable && attempt < this.#retries) {
          await sleep(this.#retryDelayMs * 2 ** attempt++);
          continue;
        }
        throw err;
      }
      if (inScope && COOKIE_METHODS.has(m)) this.#jar.store(target, res.headers.getSetCookie());
      if (
        idempotent &&
        (res.status === 502 || res.status === 503 || res.status === 504) &&
        attempt < this.#retries
      ) {
        await res.body?.cancel();
        this.logger.debug('retrying', { method, url: this.redactor.redactUrl(target), status: res.status });
        await sleep(this.#retryDelayMs * 2 ** attempt++);
        continue;
      }
      if (
        (res.status === 401 || res.status === 403) &&
        opts.reauth !== false &&
        opts.authMethod === undefined &&
        !reauthed &&
        inScope
      ) {
        reauthed = true;
        if (await this.#reauthenticate(m, gen)) {
          await res.body?.cancel();
          continue;
        }
      }
      return { res, url: target, authMethod: m };
    }
  }

  /** Send a request; non-2xx answers throw `JupyterHttpError` (unless listed in `allowStatus`). */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const m = method.toUpperCase();
    await this.#ensureReady();
    const url = joinUrl(this.baseUrl, path, options.query);
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
        headers['Content-Type'] = 'application/json';
    }
    const sent = await this.#send(m, url, {
      headers,
      body,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    if (sent.res.ok || options.allowStatus?.includes(sent.res.status)) return sent.res;
    throw await this.#errorFor(m, sent.url, sent.res, sent.authMethod);
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
        `${method.toUpperCase()} ${this.redactor.redactUrl(joinUrl(this.baseUrl, path))} answered ${res.status} with non-JSON content; is ${this.baseUrl} the Jupyter Server base URL?`,
        { cause: err },
      );
    }
  }

  /**
   * fetch with this connection's auth (header, query token, cookies, XSRF on writes), retries and one
   * re-auth — for libraries that want a fetch (`makeServerSettings`). Returns every status; throws
   * `JupyterNetworkError`. URLs off this server get no credentials.
   */
  async authFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const req = new Request(input, init);
    const method = req.method.toUpperCase();
    await this.#ensureReady();
    let body: ArrayBuffer | undefined;
    if (!IDEMPOTENT.has(method) && req.body) {
      body = await req.arrayBuffer();
    }
    const { res } = await this.#send(method, req.url, {
      headers: req.headers,
      body,
      signal: req.signal,
    });
    return res;
  }

  /** What a websocket handshake to `url` needs: the URL (token added for `query`) and headers. */
  #handshake(url: string): { url: string; headers: Record<string, string> } {
    const u = new URL(url);
    const h = this.#jar.inScope(u) ? this.authHeaders() : {};
    if (this.#method === 'query' && this.#jar.inScope(u) && !u.searchParams.has('token'))
      u.searchParams.set('token', this.#token ?? '');
    return { url: u.toString(), headers: h };
  }

  /**
   * A `ws` WebSocket subclass that authenticates its handshake with this connection (Authorization
   * header or cookies; `?token=` only for `query`) — for `@jupyterlab/services` settings. Resolve auth
   * first (`connect()` / `authenticate()` or any request): a constructor cannot wait for a login.
   */
  webSocketClass(): typeof WebSocket {
    if (this.#WsClass) return this.#WsClass;
    this.#WsClass = authWebSocketClass(this.#WebSocket, (url) => this.#handshake(url), this.timeoutMs);
    return this.#WsClass;
  }

  /** Open an authenticated websocket; resolves once open. A refused handshake re-authenticates once. */
  async openWebSocket(path: string, options: WebSocketOptions = {}): Promise<WebSocket> {
    await this.#ensureReady();
    const gen = this.#generation;
    const method = this.#method;
    try {
      return await this.#openWebSocketOnce(path, options);
    } catch (err) {
      const status = (err as { status?: number }).status;
      if ((status === 401 || status === 403) && (await this.#reauthenticate(method, gen)))
        return this.#openWebSocketOnce(path, options);
      throw err;
    }
  }

  async #openWebSocketOnce(path: string, options: WebSocketOptions): Promise<WebSocket> {
    const { url, headers } = this.#handshake(joinUrl(this.wsBaseUrl, path, options.query));
    return openSocket(this.#WebSocket, url, {
      headers,
      protocols: options.protocols,
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      redactor: this.redactor,
      maxPayload: options.maxPayload,
    });
  }

  async #errorFor(
    method: string,
    url: string,
    res: Response,
    authMethod: AuthMethod,
    code?: 'AUTH_FAILED',
  ): Promise<JupyterHttpError> {
    const text = await res.text().catch(() => '');
    const err = makeHttpError({
      method,
      url,
      status: res.status,
      statusText: res.statusText,
      text,
      contentType: res.headers.get('content-type') ?? '',
      authMethod,
      redactor: this.redactor,
      code: res.status === 401 || res.status === 403 ? code : undefined,
    });
    if ((res.status === 401 || res.status === 403) && this.#autoSummary) {
      err.message = this.redactor.redact(`${err.message} (auth "auto" tried: ${this.#autoSummary}.)`);
    }
    return err;
  }

  /** Build a redacted `JupyterHttpError` from a failed response. */
  async httpError(method: string, url: string, res: Response): Promise<JupyterHttpError> {
    return this.#errorFor(method, url, res, this.#method);
  }
}

function cookieHeader(headers: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === 'cookie') return v;
  return undefined;
}
