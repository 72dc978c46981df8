import { joinUrl } from '@jupyter-mcp/jupyter-auth';
import { AUTH_ENDPOINTS, authSummary } from '../diagnose.js';
import { apiUrl, authFor, type Check, type CheckContext } from '../internal/context.js';
import { httpProbe } from '../internal/probe.js';

const ENDPOINT_PATHS: Record<(typeof AUTH_ENDPOINTS)[number], [string, Record<string, string>]> = {
  status: ['api/status', {}],
  me: ['api/me', {}],
  sessions: ['api/sessions', {}],
  kernels: ['api/kernels', {}],
  contents: ['api/contents', { content: '0' }],
};

/** Password login as a browser does it: GET /login for the `_xsrf` cookie, POST the form. */
async function login(ctx: CheckContext): Promise<void> {
  const page = await httpProbe(ctx.env, {
    id: 'login-xsrf',
    url: joinUrl(ctx.baseUrl, 'login'),
    auth: 'password',
    headers: ctx.userHeaders,
  });
  const cookieValue = (cookies: string[] | undefined, re: RegExp) =>
    (cookies ?? []).map((c) => c.split(';')[0]!).find((c) => re.test(c));
  const xsrfCookie = cookieValue(page.setCookies, /^_xsrf=/);
  const xsrf = xsrfCookie?.slice('_xsrf='.length);
  if (xsrf) ctx.env.redactor.add(xsrf).add(decodeURIComponent(xsrf));
  const form = new URLSearchParams({
    password: ctx.password ?? '',
    ...(xsrf ? { _xsrf: decodeURIComponent(xsrf) } : {}),
  });
  const res = await httpProbe(ctx.env, {
    id: 'login',
    method: 'POST',
    url: joinUrl(ctx.baseUrl, 'login'),
    auth: 'password',
    headers: {
      ...ctx.userHeaders,
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(xsrfCookie ? { Cookie: xsrfCookie } : {}),
    },
    body: form.toString(),
  });
  const session = (res.setCookies ?? [])
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.startsWith('_xsrf=') && /=./.test(c));
  for (const c of session) ctx.env.redactor.add(c.slice(c.indexOf('=') + 1));
  if (res.status !== null && res.status < 400 && session.length) {
    ctx.loginCookie = session.join('; ');
    ctx.xsrf = xsrf;
  }
}

/** Probe 3: every endpoint with every auth method separately. */
export const auth: Check = {
  id: 'auth',
  label: 'Authentication',
  async run(ctx) {
    if (ctx.password) await login(ctx);
    const jobs = [];
    for (const method of ctx.methods) {
      if (method === 'password' && !ctx.loginCookie) continue;
      for (const ep of AUTH_ENDPOINTS) {
        const [path, query] = ENDPOINT_PATHS[ep];
        jobs.push(
          httpProbe(ctx.env, {
            id: `http:${ep}:${method}`,
            url: apiUrl(ctx, path, method, query),
            auth: method,
            headers: authFor(ctx, method).headers,
          }),
        );
      }
    }
    await Promise.all(jobs);
    const { working, recommended } = authSummary(ctx.obs);
    ctx.details.auth = working.length
      ? `working: ${working.join(', ')}; recommended: ${recommended}`
      : `no auth method works (tried ${ctx.methods.join(', ')})`;
    return true;
  },
};
