import { type JupyterAuthErrorCode, JupyterHttpError, type NetworkErrorCode } from '../errors.js';
import type { Redactor } from '../redact.js';

/** Auth method identifiers, repeated here so internal modules do not import the connection. */
type Method = 'token-header' | 'bearer-header' | 'query' | 'password' | 'custom-headers' | 'none';

/** The server's own message from an error body: Jupyter's JSON `message`, or a short text excerpt. */
export function serverMessageOf(text: string): string {
  try {
    const j = JSON.parse(text) as { message?: unknown; reason?: unknown };
    return String(j.message ?? j.reason ?? '');
  } catch {
    // Jupyter's HTML error pages: keep the visible text, without the page chrome.
    const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(text)?.[1] ?? text;
    return body
      .replace(/<script[\s\S]*?<\/script>/gi, ' ')
      .replace(/<style[\s\S]*?<\/style>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300);
  }
}

const HOW_TO_TOKEN =
  'Tokens change on every restart unless fixed: get the current one with `jupyter server list` (or the ' +
  'token file), or run `jupyter-mcp doctor <url>` to see why.';

/** What to do about a failed answer, from its status, the server's message and the auth method used. */
export function hintFor(status: number, serverMessage: string, method: Method, isHtml: boolean): string {
  if (status === 403 || status === 401) {
    const tokenMethod = method === 'token-header' || method === 'bearer-header' || method === 'query';
    if (/_xsrf|XSRF/.test(serverMessage) && tokenMethod)
      return `The server did not accept the token, so it checked this write for an XSRF token instead. ${HOW_TO_TOKEN}`;
    if (/_xsrf|XSRF/.test(serverMessage))
      return 'The write was not token-authenticated and its XSRF token was missing or did not match. Use a token, or password login (which sends the `_xsrf` cookie as X-XSRFToken).';
    if (/^Permission denied/i.test(serverMessage))
      return 'The server could not access the file (a file-system permission, not an auth problem).';
    if (/not authorized to/i.test(serverMessage))
      return 'The server identified you but its authorizer denied this action: ask for the permission (JupyterHub: the scope).';
    if (/unknown origin|Cross origin/i.test(serverMessage))
      return 'The server blocked a cross-origin request made without a token: use token auth.';
    switch (method) {
      case 'token-header':
      case 'bearer-header':
      case 'query':
        return `The server did not accept the token (sent ${
          method === 'query'
            ? 'as the "token" URL parameter'
            : `in the Authorization header with the "${method === 'bearer-header' ? 'Bearer' : 'token'}" scheme`
        }). ${HOW_TO_TOKEN}`;
      case 'password':
        return 'The login cookie was not accepted (expired, logged out, or the server changed its cookie secret) and logging in again did not help. Check the password, or run `jupyter-mcp doctor <url>`.';
      case 'custom-headers':
        return 'The headers you supplied were not accepted by the server or the proxy in front of it. Check them, or run `jupyter-mcp doctor <url>`.';
      default:
        return 'The server requires credentials and none were sent: pass a token (--token or --token-file) or a password (--password-env).';
    }
  }
  if (status === 404 && isHtml)
    return 'Not found. If this API path should exist, the base URL is probably wrong (a JupyterHub server lives under /user/<name>/); run `jupyter-mcp doctor <url>`.';
  if (status === 404) return 'Not found.';
  if (status === 502 || status === 503 || status === 504)
    return 'The server (or a proxy in front of it) is unavailable; it may be starting, stopped or overloaded.';
  if (status === 424) return 'JupyterHub reports the user server is not running: start it from the Hub.';
  return '';
}

/** Build a redacted `JupyterHttpError` from an answer whose body was read as `text`. */
export function makeHttpError(init: {
  method: string;
  url: string;
  status: number;
  statusText: string;
  text: string;
  contentType: string;
  authMethod: Method;
  redactor: Redactor;
  code?: JupyterAuthErrorCode;
}): JupyterHttpError {
  const { redactor } = init;
  const serverMessage = redactor.redact(serverMessageOf(init.text));
  const u = new URL(init.url);
  const path = redactor.redactUrl(u.pathname + u.search);
  const isHtml = /html/i.test(init.contentType) || /^\s*</.test(init.text);
  const hint = hintFor(init.status, serverMessage, init.authMethod, isHtml);
  const statusText = init.statusText ? ` ${init.statusText}` : '';
  return new JupyterHttpError({
    status: init.status,
    serverMessage,
    method: init.method,
    path,
    code: init.code,
    message: redactor.redact(
      `${init.method} ${path} answered ${init.status}${statusText}${serverMessage && serverMessage !== init.statusText ? `: ${serverMessage}` : ''}.${hint ? ` ${hint}` : ''}`,
    ),
  });
}

/** The "why" part of a network failure message. */
export function networkWhy(code: NetworkErrorCode, err: unknown): string {
  switch (code) {
    case 'CONNECTION_REFUSED':
      return 'connection refused — no server is listening there. Check the URL and that Jupyter is running.';
    case 'DNS_FAILED':
      return 'the host name does not resolve. Check the URL.';
    case 'TLS_ERROR':
      return 'the TLS handshake failed (certificate or protocol). Check https vs http and the certificate.';
    case 'TIMEOUT':
      return 'no answer before the timeout. The server may be overloaded or unreachable; raise timeoutMs if it is just slow.';
    case 'ABORTED':
      return 'the request was cancelled.';
    default: {
      const e = err as { message?: unknown; cause?: { message?: unknown; code?: unknown } } | undefined;
      const detail = [e?.message, e?.cause?.code, e?.cause?.message].filter((x) => typeof x === 'string');
      return `${detail.join(': ') || String(err)}. The connection failed or was reset; check the server and any proxy in between.`;
    }
  }
}
