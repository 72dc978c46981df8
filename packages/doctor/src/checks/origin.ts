import { authSummary } from '../diagnose.js';
import { apiUrl, authFor, type Check } from '../internal/context.js';
import { httpProbe } from '../internal/probe.js';

/** A foreign origin no server allows by accident. */
export const FOREIGN_ORIGIN = 'https://jupyter-mcp-doctor.invalid';

/** Probe 5: the recommended method with no Origin, the server's own, a foreign one, and the user's. */
export const origin: Check = {
  id: 'origin',
  label: 'Origin',
  async run(ctx) {
    const { recommended } = authSummary(ctx.obs);
    if (!recommended) {
      ctx.details.origin = 'skipped: no working auth method';
      return true;
    }
    const variants: [string, string | undefined][] = [
      ['none', undefined],
      ['same', ctx.origin],
      ['foreign', FOREIGN_ORIGIN],
    ];
    if (ctx.userOrigin) variants.push(['user', ctx.userOrigin]);
    const res = await Promise.all(
      variants.map(([name, o]) =>
        httpProbe(ctx.env, {
          id: `origin:${name}`,
          url: apiUrl(ctx, 'api/status', recommended),
          auth: recommended,
          headers: authFor(ctx, recommended).headers,
          ...(o ? { origin: o } : {}),
        }),
      ),
    );
    ctx.details.origin = res.map((p) => `${p.id.slice(7)} ${p.status ?? p.error}`).join(', ');
    return true;
  },
};
