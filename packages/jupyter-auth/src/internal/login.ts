import { randomBytes } from 'node:crypto';
import { JupyterHttpError } from '../errors.js';
import type { Redactor } from '../redact.js';
import { joinUrl } from '../url.js';
import type { CookieJar } from './cookie-jar.js';
import { serverMessageOf } from './messages.js';

/** One HTTP exchange without auth logic: the connection's raw fetch with timeout and typed network errors. */
export type FetchOnce = (method: string, url: string, headers: Headers, body?: string) => Promise<Response>;

export interface LoginContext {
  baseUrl: string;
  jar: CookieJar;
  password: string;
  /** Headers the user supplied (SSO proxies) — sent along, never replaced. */
  baseHeaders: () => Headers;
  fetchOnce: FetchOnce;
  redactor: Redactor;
}

/** A client-generated XSRF token: Tornado accepts any value as long as cookie and header match. */
export function newXsrfToken(): string {
  return randomBytes(16).toString('hex');
}

/** Make sure the jar holds an `_xsrf` cookie: GET `<base>login` (Jupyter sets it on that page, even on
 *  a 404), else generate one. Returns its value. */
export async function ensureXsrfCookie(ctx: Omit<LoginContext, 'password'>): Promise<string> {
  const have = ctx.jar.get('_xsrf');
  if (have) return have;
  const url = joinUrl(ctx.baseUrl, 'login');
  const headers = ctx.baseHeaders();
  const cookie = ctx.jar.header(url);
  if (cookie) headers.set('Cookie', cookie);
  try {
    const res = await ctx.fetchOnce('GET', url, headers);
    ctx.jar.store(url, res.headers.getSetCookie());
    await res.body?.cancel();
  } catch {
    // fall through to a generated token; the write itself will report any network problem
  }
  const got = ctx.jar.get('_xsrf');
  if (got) return got;
  const made = newXsrfToken();
  ctx.jar.set('_xsrf', made);
  return made;
}

/**
 * Jupyter password login: GET `<base>login` for the `_xsrf` cookie, POST the form with `_xsrf` and
 * `password`, keep the login cookie in the jar. A 401 (the only one jupyter_server sends) means the
 * password was rejected: `LOGIN_FAILED`.
 */
export async function passwordLogin(ctx: LoginContext): Promise<void> {
  const url = joinUrl(ctx.baseUrl, 'login');
  const before = new Set(ctx.jar.names());
  const xsrf = await ensureXsrfCookie(ctx);
  const headers = ctx.baseHeaders();
  headers.set('Content-Type', 'application/x-www-form-urlencoded');
  headers.set('X-XSRFToken', xsrf);
  headers.set('Cookie', ctx.jar.header(url));
  const body = new URLSearchParams({ _xsrf: xsrf, password: ctx.password }).toString();
  const res = await ctx.fetchOnce('POST', url, headers, body);
  ctx.jar.store(url, res.headers.getSetCookie());
  const text = await res.text().catch(() => '');
  const path = new URL(url).pathname;
  const fail = (why: string) =>
    new JupyterHttpError({
      status: res.status,
      serverMessage: ctx.redactor.redact(serverMessageOf(text)),
      method: 'POST',
      path,
      code: 'LOGIN_FAILED',
      message: ctx.redactor.redact(`Password login at POST ${path} failed: ${why}`),
    });
  if (res.status === 401)
    throw fail(
      'the server rejected the password (401 Invalid credentials). Check the password you passed (e.g. the variable named by --password-env).',
    );
  if (res.status === 404)
    throw fail(
      'the server has no login page there (404). Check the base URL; a server without a password (token-only or open) cannot log in with one.',
    );
  if (res.status === 403)
    throw fail(
      `the server refused the login form (403${text ? `: ${ctx.redactor.redact(serverMessageOf(text))}` : ''}). An XSRF or host check failed; run \`jupyter-mcp doctor <url>\`.`,
    );
  if (res.status >= 400)
    throw fail(`the server answered ${res.status}. Run \`jupyter-mcp doctor <url>\` to see why.`);
  const gained = ctx.jar.names().filter((n) => n !== '_xsrf' && !before.has(n));
  if (gained.length === 0 && !ctx.jar.names().some((n) => n !== '_xsrf'))
    throw fail(
      `the server answered ${res.status} but set no login cookie — it may not use password login (JupyterHub logs in through the Hub; use a token there).`,
    );
}
