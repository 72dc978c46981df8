import { type AuthMethod, joinUrl } from '@jupyter-mcp/jupyter-auth';
import type { CheckId } from '../catalogue.js';
import type { Observations, ProbeAuth } from '../types.js';
import type { LocalServer } from './discover.js';
import type { ProbeEnv } from './probe.js';

/** What every check reads and adds to. */
export interface CheckContext {
  env: ProbeEnv;
  /** Server base URL (ends with `/`). */
  baseUrl: string;
  wsBaseUrl: string;
  /** `http://host:port` of the base URL. */
  origin: string;
  token: string | undefined;
  password: string | undefined;
  /** The user's extra headers, minus `Origin` (the origin check sends it on its own probes). */
  userHeaders: Record<string, string>;
  userOrigin: string | undefined;
  /** `custom-headers` when headers were given, else `none`. */
  noAuth: AuthMethod;
  kernelProbe: boolean;
  /** Login cookie (`name=value`) and `_xsrf` cookie value after a successful password login. */
  loginCookie?: string;
  xsrf?: string;
  local: LocalServer[];
  /** Body of the unauthenticated `GET <base>/api` (never reported). */
  apiBody?: string;
  obs: Observations;
  /** Methods to probe (in order). */
  methods: AuthMethod[];
  /** Per-check one-line details for the human output. */
  details: Partial<Record<CheckId, string>>;
}

/** A doctor check: a named group of probes (STYLE: `checks/<id>.ts` with `{ id, label, run(ctx) }`). */
export interface Check {
  id: CheckId;
  label: string;
  /** Run the probes; return false to stop the checks after this one. */
  run(ctx: CheckContext): Promise<boolean>;
}

/** Headers and query for one auth method. */
export function authFor(
  ctx: CheckContext,
  method: ProbeAuth,
): { headers: Record<string, string>; query: Record<string, string> } {
  const headers: Record<string, string> = { ...ctx.userHeaders };
  const query: Record<string, string> = {};
  switch (method) {
    case 'token-header':
      headers.Authorization = `token ${ctx.token ?? ''}`;
      break;
    case 'bearer-header':
      headers.Authorization = `Bearer ${ctx.token ?? ''}`;
      break;
    case 'query':
      query.token = ctx.token ?? '';
      break;
    case 'password':
    case 'cookie-no-xsrf': {
      const parts = [headers.Cookie ?? headers.cookie, ctx.loginCookie].filter(Boolean) as string[];
      if (method === 'password' && ctx.xsrf) {
        parts.push(`_xsrf=${ctx.xsrf}`);
        headers['X-XSRFToken'] = decodeURIComponent(ctx.xsrf);
      }
      delete headers.cookie;
      if (parts.length) headers.Cookie = parts.join('; ');
      break;
    }
    default:
      break;
  }
  return { headers, query };
}

export function apiUrl(
  ctx: CheckContext,
  path: string,
  method: ProbeAuth,
  query: Record<string, string> = {},
) {
  return joinUrl(ctx.baseUrl, path, { ...query, ...authFor(ctx, method).query });
}

export function wsUrl(ctx: CheckContext, path: string, method: ProbeAuth) {
  return joinUrl(ctx.wsBaseUrl, path, authFor(ctx, method).query);
}
