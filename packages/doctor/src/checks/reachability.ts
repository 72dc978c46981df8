import { apiUrl, type Check } from '../internal/context.js';
import { httpProbe } from '../internal/probe.js';

/** Probe 1: can we reach the server at all? Unauthenticated `GET <base>/api`. */
export const reachability: Check = {
  id: 'reachability',
  label: 'Reachability',
  async run(ctx) {
    const p = await httpProbe(ctx.env, {
      id: 'api',
      url: apiUrl(ctx, 'api', ctx.noAuth === 'none' ? 'none' : 'custom-headers'),
      auth: ctx.noAuth,
      headers: ctx.userHeaders,
      keepBody: true,
    });
    if (p.status === null) {
      ctx.details.reachability = `${ctx.origin}: ${p.error ?? 'no answer'} after ${p.ms} ms`;
      return false;
    }
    ctx.details.reachability = `${ctx.origin} answered in ${p.ms} ms`;
    ctx.apiBody = p.body ?? '';
    try {
      const j = JSON.parse(p.body ?? '') as { version?: unknown };
      if (p.status === 200 && typeof j.version === 'string') ctx.obs.server.version = j.version;
    } catch {
      // not JSON: the server check looks for the right base
    }
    return true;
  },
};
