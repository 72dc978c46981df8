import type { AuthMethod } from '@jupyter-mcp/jupyter-auth';
import { apiUrl, authFor, type Check } from '../internal/context.js';
import { httpProbe } from '../internal/probe.js';
import type { ProbeAuth } from '../types.js';

/** Probe 4: a write with no side effect — POST /api/sessions with an invalid JSON body. Passing auth and
 *  XSRF gives 400 "Invalid JSON in body of request"; failing gives 403. */
export const writes: Check = {
  id: 'writes',
  label: 'Writes (XSRF)',
  async run(ctx) {
    const methods: ProbeAuth[] = ctx.methods.filter((m: AuthMethod) => m !== 'password' || !!ctx.loginCookie);
    if (ctx.loginCookie) methods.push('cookie-no-xsrf');
    const res = await Promise.all(
      methods.map((m) =>
        httpProbe(ctx.env, {
          id: `write:${m}`,
          method: 'POST',
          url: apiUrl(ctx, 'api/sessions', m),
          auth: m,
          headers: { ...authFor(ctx, m).headers, 'Content-Type': 'application/json' },
          body: '{',
        }),
      ),
    );
    ctx.details.writes = res.map((p) => `${p.auth} ${p.status ?? p.error}`).join(', ');
    return true;
  },
};
