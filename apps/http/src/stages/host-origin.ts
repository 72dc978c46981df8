import { header, type Stage } from '../pipeline.js';
import { sendJson } from '../respond.js';
import { hostAllowed, originAllowed } from '../security.js';

const CORS_ALLOW_HEADERS =
  'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id';

/** DNS-rebinding protection: the Host header must name us (403 otherwise). */
export const hostCheck: Stage = {
  name: 'host-check',
  run(x, server) {
    if (hostAllowed(header(x.req, 'host'), server.hostPolicy())) return 'next';
    sendJson(x.res, 403, {
      error: 'forbidden_host',
      message:
        'Host header not allowed (DNS rebinding protection). The operator can add the name with --allowed-hosts.',
    });
    return 'done';
  },
};

/**
 * An Origin, when sent, must be our own or listed in `--allowed-origins` (403 otherwise). Listed
 * origins get CORS headers (never `*`); a CORS preflight (OPTIONS) is answered here.
 */
export const originCheck: Stage = {
  name: 'origin-check',
  run(x, server) {
    const origin = header(x.req, 'origin');
    if (!originAllowed(origin, header(x.req, 'host'), server.hostPolicy())) {
      sendJson(x.res, 403, {
        error: 'forbidden_origin',
        message: 'Origin not allowed. The operator can add it with --allowed-origins.',
      });
      return 'done';
    }
    const listed = origin !== undefined && server.http.allowedOrigins.includes(new URL(origin).origin);
    if (listed) {
      x.res.setHeader('access-control-allow-origin', new URL(origin).origin);
      x.res.setHeader('access-control-expose-headers', 'mcp-session-id');
      x.res.setHeader('vary', 'Origin');
    }
    if (x.req.method !== 'OPTIONS') return 'next';
    x.res.writeHead(
      204,
      listed
        ? {
            'access-control-allow-methods': 'GET, POST, DELETE',
            'access-control-allow-headers': CORS_ALLOW_HEADERS,
            'access-control-max-age': '600',
          }
        : {},
    );
    x.res.end();
    return 'done';
  },
};
