import { authSummary } from '../diagnose.js';
import { apiUrl, authFor, type Check } from '../internal/context.js';
import { httpProbe } from '../internal/probe.js';

/** What jupyter-mcp needs to do its job. */
export const REQUIRED_PERMISSIONS: Record<string, string[]> = {
  contents: ['read', 'write'],
  kernels: ['read', 'write', 'execute'],
  sessions: ['read', 'write'],
  kernelspecs: ['read'],
};

/** Probe 7: `GET /api/me?permissions=…` (jupyter_server ≥ 2) for authorizer denials. */
export const permissions: Check = {
  id: 'permissions',
  label: 'Permissions',
  async run(ctx) {
    const { recommended } = authSummary(ctx.obs);
    const major = Number(ctx.obs.server.version?.split('.')[0] ?? 0);
    if (!recommended || ctx.obs.server.kind === 'notebook' || major < 2) {
      ctx.details.permissions = recommended ? 'skipped: /api/me needs jupyter_server 2' : 'skipped';
      return true;
    }
    const p = await httpProbe(ctx.env, {
      id: 'me-permissions',
      url: apiUrl(ctx, 'api/me', recommended, { permissions: JSON.stringify(REQUIRED_PERMISSIONS) }),
      auth: recommended,
      headers: authFor(ctx, recommended).headers,
      keepBody: true,
    });
    if (p.status === 200) {
      try {
        const j = JSON.parse(p.body ?? '') as { permissions?: Record<string, string[]> };
        ctx.obs.permissions = { requested: REQUIRED_PERMISSIONS, granted: j.permissions ?? {} };
      } catch {
        ctx.obs.permissions = null;
      }
    }
    ctx.details.permissions =
      p.status === 200
        ? 'contents, kernels, sessions, kernelspecs checked'
        : `GET /api/me answered ${p.status ?? p.error}`;
    return true;
  },
};
