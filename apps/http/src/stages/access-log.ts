import type { Stage } from '../pipeline.js';

const ROUTES = ['/mcp', '/healthz', '/readyz', '/metrics'];

/** The metrics label of a path (a fixed set: no user data in labels). */
export function routeOf(path: string): string {
  return ROUTES.includes(path) ? path : 'other';
}

/** One access-log line and one metrics count per request, written when the response closes. */
export const accessLog: Stage = {
  name: 'access-log',
  run(x, server) {
    const t0 = performance.now();
    x.res.on('close', () => {
      server.metrics.request(routeOf(x.path), x.res.statusCode);
      server.access.info('request', {
        ...x.log,
        status: x.res.statusCode,
        duration_ms: Math.round(performance.now() - t0),
        ...(x.res.writableFinished ? {} : { aborted: true }),
      });
    });
    return 'next';
  },
};
