import type { IncomingMessage } from 'node:http';
import type { ServerContext } from '../context.js';
import { header, type Stage } from '../pipeline.js';
import { sendRpcError } from '../respond.js';
import { bearerToken, tokenMatches } from '../security.js';

/** The challenge header of a 401. */
export const BEARER_CHALLENGE: Readonly<Record<string, string>> = {
  'www-authenticate': 'Bearer realm="jupyter-mcp"',
};

/** Does the request carry our bearer token (or is auth off)? Constant-time comparison. */
export function authorized(req: IncomingMessage, server: Pick<ServerContext, 'auth'>): boolean {
  const { auth } = server;
  return auth.mode === 'none' || tokenMatches(bearerToken(header(req, 'authorization')), auth.token);
}

/** Every `/mcp` request needs `Authorization: Bearer <token>` (401 with a JSON-RPC error otherwise). */
export const authenticate: Stage = {
  name: 'authenticate',
  run(x, server) {
    if (authorized(x.req, server)) return 'next';
    sendRpcError(
      x.res,
      401,
      -32001,
      'Unauthorized: send Authorization: Bearer <token> (see the server start-up notice).',
      null,
      BEARER_CHALLENGE,
    );
    return 'done';
  },
};
