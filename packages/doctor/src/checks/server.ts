import { joinUrl } from '@jupyter-mcp/jupyter-auth';
import type { Check, CheckContext } from '../internal/context.js';
import { httpProbe } from '../internal/probe.js';
import type { ServerKind } from '../types.js';

function kindOf(version: string, hub: boolean): ServerKind {
  if (hub) return 'jupyterhub-singleuser';
  const major = Number(version.split('.')[0]);
  if (major === 1 || major === 2 || major === 3) return 'jupyter_server';
  if (major >= 4 && major <= 6) return 'notebook';
  return 'unknown';
}

/** Base URLs worth trying when `<base>/api` is not Jupyter: shorter prefixes and the prefix a Jupyter
 *  404 page reveals through its static links. */
function candidates(ctx: CheckContext, body: string): string[] {
  const out = new Set<string>();
  const m = /(?:href|src)="([^"]*?)static\/[^"]*"/.exec(body);
  if (m?.[1]?.startsWith('/')) out.add(new URL(m[1], ctx.origin).toString());
  const segs = new URL(ctx.baseUrl).pathname.split('/').filter(Boolean);
  for (let i = segs.length - 1; i >= 0; i--)
    out.add(`${ctx.origin}/${segs.slice(0, i).join('/')}${i ? '/' : ''}`);
  for (const l of ctx.local) {
    if (l.port === Number(new URL(ctx.baseUrl).port || 0)) out.add(new URL(l.baseUrl, ctx.origin).toString());
  }
  out.delete(ctx.baseUrl);
  return [...out];
}

/** Probe 2: is it Jupyter, which kind and version, at which base? Also reads the login page. */
export const server: Check = {
  id: 'server',
  label: 'Jupyter Server',
  async run(ctx) {
    const obs = ctx.obs;
    const api = obs.probes.find((p) => p.id === 'api')!;
    const hubApi = () =>
      httpProbe(ctx.env, {
        id: 'hub-api',
        url: joinUrl(`${ctx.origin}/`, 'hub/api'),
        auth: ctx.noAuth,
        headers: ctx.userHeaders,
        keepBody: true,
      }).then((p) => {
        try {
          return (
            p.status === 200 &&
            typeof (JSON.parse(p.body ?? '') as { version?: unknown }).version === 'string'
          );
        } catch {
          return false;
        }
      });
    const hubPath = /\/user\/[^/]+\//.test(new URL(ctx.baseUrl).pathname);

    if (obs.server.version === null) {
      if (api.status === 403 || api.status === 401) return false;
      // Search for the right base.
      const tries = candidates(ctx, ctx.apiBody ?? '');
      const [found, hub] = await Promise.all([
        Promise.all(
          tries.map((b, i) =>
            httpProbe(ctx.env, {
              id: `base:${i}`,
              url: joinUrl(b, 'api'),
              auth: ctx.noAuth,
              headers: ctx.userHeaders,
              keepBody: true,
            }).then((p) => {
              try {
                return p.status === 200 &&
                  typeof (JSON.parse(p.body ?? '') as { version?: unknown }).version === 'string'
                  ? b
                  : null;
              } catch {
                return null;
              }
            }),
          ),
        ),
        hubApi(),
      ]);
      obs.hubDetected = hub;
      // Prefer the longest (most specific) prefix that answered, but not the bare Hub origin.
      const ok = found.filter((b): b is string => !!b).sort((a, b) => b.length - a.length);
      obs.suggestedBaseUrl = ok[0] ?? null;
      ctx.details.server = obs.suggestedBaseUrl
        ? `Jupyter found at ${obs.suggestedBaseUrl}, not ${ctx.baseUrl}`
        : `GET ${new URL(ctx.baseUrl).pathname}api answered ${api.status}, not Jupyter`;
      return false;
    }

    const [hub, login] = await Promise.all([
      hubPath ? hubApi() : Promise.resolve(false),
      httpProbe(ctx.env, {
        id: 'login-page',
        url: joinUrl(ctx.baseUrl, 'login'),
        auth: ctx.noAuth,
        headers: ctx.userHeaders,
        keepBody: true,
      }),
    ]);
    obs.hubDetected = hub;
    obs.server.kind = kindOf(obs.server.version, hub);
    if (login.status === 200 && login.body) {
      const tokenAvailable = /Password or token:|Token authentication is enabled/i.test(login.body);
      const passwordOnly = !tokenAvailable && /<strong>\s*Password:\s*<\/strong>/i.test(login.body);
      obs.loginPage = { passwordOnly, tokenAvailable };
    } else obs.loginPage = null;
    ctx.details.server = `${obs.server.kind} ${obs.server.version} at ${ctx.baseUrl}${obs.loginPage?.passwordOnly ? ' (password-only)' : ''}`;
    return true;
  },
};
