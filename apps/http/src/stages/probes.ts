import type { Stage } from '../pipeline.js';
import { sendJson } from '../respond.js';

/** Orchestrator probes `/healthz` and `/readyz`: no auth, no Host check, nothing revealed. */
export const probes: Stage = {
  name: 'probes',
  async run(x, server) {
    if (x.path === '/healthz') {
      sendJson(x.res, 200, { status: 'ok' });
      return 'done';
    }
    if (x.path !== '/readyz') return 'next';
    if (server.stopping) sendJson(x.res, 503, { status: 'stopping' });
    else if (await server.readiness()) sendJson(x.res, 200, { status: 'ready' });
    else sendJson(x.res, 503, { status: 'unavailable', jupyter: 'unreachable' });
    return 'done';
  },
};
