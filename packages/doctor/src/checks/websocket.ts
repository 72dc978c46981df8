import type { AuthMethod } from '@jupyter-mcp/jupyter-auth';
import { authSummary } from '../diagnose.js';
import { apiUrl, authFor, type Check, type CheckContext, wsUrl } from '../internal/context.js';
import { httpProbe, wsProbe } from '../internal/probe.js';
import type { Probe } from '../types.js';

function wsMethods(ctx: CheckContext, working: AuthMethod[]): AuthMethod[] {
  const m = new Set<AuthMethod>(working);
  if (ctx.token && working.some((w) => w === 'token-header' || w === 'bearer-header' || w === 'query')) {
    m.add('token-header');
    m.add('query');
  }
  return [...m];
}

async function kernelProbes(
  ctx: CheckContext,
  recommended: AuthMethod,
  methods: AuthMethod[],
): Promise<Probe[]> {
  const auth = authFor(ctx, recommended);
  const list = await httpProbe(ctx.env, {
    id: 'kernel-list',
    url: apiUrl(ctx, 'api/kernels', recommended),
    auth: recommended,
    headers: auth.headers,
    keepBody: true,
  });
  let id: string | undefined;
  try {
    id = (JSON.parse(list.body ?? '') as { id?: string }[])[0]?.id;
  } catch {
    // no list
  }
  let started = false;
  if (!id && ctx.kernelProbe && list.status === 200) {
    const start = await httpProbe(ctx.env, {
      id: 'kernel-start',
      method: 'POST',
      url: apiUrl(ctx, 'api/kernels', recommended),
      auth: recommended,
      headers: { ...auth.headers, 'Content-Type': 'application/json' },
      body: '{}',
      keepBody: true,
      timeoutMs: Math.max(ctx.env.timeoutMs, 30_000),
    });
    try {
      id = (JSON.parse(start.body ?? '') as { id?: string }).id;
      started = !!id;
    } catch {
      // could not start: reported through the probe
    }
    ctx.obs.kernel = { source: started ? 'started' : 'none', ...(started ? {} : { error: start.message }) };
  } else ctx.obs.kernel = { source: id ? 'existing' : 'none' };
  if (!id) return [];
  // The server holds a channels request until the kernel answers kernel_info: a kernel that is still
  // booting must not look like a blocked websocket.
  const timeoutMs = Math.max(ctx.env.timeoutMs, 30_000);
  try {
    const path = `api/kernels/${encodeURIComponent(id)}/channels`;
    return await Promise.all([
      httpProbe(ctx.env, {
        id: `channels-get:${recommended}`,
        url: apiUrl(ctx, path, recommended),
        auth: recommended,
        headers: auth.headers,
        timeoutMs,
      }),
      ...methods.map((m) =>
        wsProbe(ctx.env, {
          id: `ws:kernel:${m}`,
          url: wsUrl(ctx, path, m),
          auth: m,
          headers: authFor(ctx, m).headers,
          timeoutMs,
        }),
      ),
    ]);
  } finally {
    if (started) {
      await httpProbe(ctx.env, {
        id: 'kernel-delete',
        method: 'DELETE',
        url: apiUrl(ctx, `api/kernels/${encodeURIComponent(id)}`, recommended),
        auth: recommended,
        headers: auth.headers,
        timeoutMs: Math.max(ctx.env.timeoutMs, 30_000),
      });
    }
  }
}

/** Probe 6: real websocket handshakes (events stream on 2.x; kernel channels) with each working method. */
export const websocket: Check = {
  id: 'websocket',
  label: 'Websockets',
  async run(ctx) {
    const { working, recommended } = authSummary(ctx.obs);
    if (!recommended) {
      ctx.details.websocket = 'skipped: no working auth method';
      return true;
    }
    const methods = wsMethods(ctx, working);
    const major = Number(ctx.obs.server.version?.split('.')[0] ?? 0);
    const events =
      ctx.obs.server.kind !== 'notebook' && major >= 2
        ? methods.map((m) =>
            wsProbe(ctx.env, {
              id: `ws:events:${m}`,
              url: wsUrl(ctx, 'api/events/subscribe', m),
              auth: m,
              headers: authFor(ctx, m).headers,
            }),
          )
        : [];
    const [ev, kern] = await Promise.all([Promise.all(events), kernelProbes(ctx, recommended, methods)]);
    const ws = [...ev, ...kern].filter((p) => p.method === 'WS');
    ctx.details.websocket = ws.length
      ? ws.map((p) => `${p.id.slice(3)} ${p.status ?? p.error}`).join(', ')
      : 'no websocket probed (no kernel running; --kernel-probe is off)';
    return true;
  },
};
