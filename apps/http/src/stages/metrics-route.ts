import type { Stage } from '../pipeline.js';
import { sendJson } from '../respond.js';
import { authorized, BEARER_CHALLENGE } from './auth.js';

/** `GET /metrics`: Prometheus text; needs the bearer token unless `--public-metrics`. */
export const metricsRoute: Stage = {
  name: 'metrics',
  run(x, server) {
    if (x.path !== '/metrics') return 'next';
    if (!server.http.publicMetrics && !authorized(x.req, server)) {
      sendJson(
        x.res,
        401,
        { error: 'unauthorized', message: 'Send Authorization: Bearer <token>.' },
        { ...BEARER_CHALLENGE },
      );
      return 'done';
    }
    const text = server.metrics.render();
    x.res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
      'cache-control': 'no-store',
    });
    x.res.end(text);
    return 'done';
  },
};

/** Anything but `/mcp` (and the routes before) is 404. */
export const mcpOnly: Stage = {
  name: 'mcp-only',
  run(x) {
    if (x.path === '/mcp') return 'next';
    sendJson(x.res, 404, { error: 'not_found', message: 'The MCP endpoint is /mcp.' });
    return 'done';
  },
};
