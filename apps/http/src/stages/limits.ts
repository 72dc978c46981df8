import type { Stage } from '../pipeline.js';
import { readBody, rpcMessages, sendRpcError } from '../respond.js';

/** While shutting down, new MCP requests get 503 (and the connection is closed). */
export const notStopping: Stage = {
  name: 'not-stopping',
  run(x, server) {
    if (!server.stopping) return 'next';
    sendRpcError(x.res, 503, -32000, 'The server is shutting down.', null, {
      connection: 'close',
      'retry-after': '5',
    });
    return 'done';
  },
};

/**
 * Read the JSON body, at most `--max-body` bytes (413 above, and the connection is closed); invalid
 * JSON gets -32700. Sets `body` and `messages`, and the JSON-RPC methods in the access log.
 */
export const jsonBody: Stage = {
  name: 'json-body',
  async run(x, server) {
    const { req, res } = x;
    const limit = server.http.maxBodyBytes;
    const r = await readBody(req, limit);
    if (!r.ok) {
      if (r.reason === 'too-large') {
        sendRpcError(
          res,
          413,
          -32000,
          `Request body too large (limit ${limit} bytes; the operator can raise --max-body).`,
          null,
          { connection: 'close' },
        );
        res.on('finish', () => req.destroy());
      } else if (!res.headersSent) res.destroy();
      return 'done';
    }
    try {
      x.body = JSON.parse(r.body.toString('utf8'));
    } catch {
      sendRpcError(res, 400, -32700, 'Parse error: the request body is not valid JSON.');
      return 'done';
    }
    x.messages = rpcMessages(x.body);
    x.log.rpc = x.messages.map((m) => m.method).filter(Boolean);
    return 'next';
  },
};

/** At most `--max-concurrent-calls` running tool calls per session (429 with Retry-After above). */
export const callLimit: Stage = {
  name: 'call-limit',
  run(x, server) {
    const msgs = x.messages ?? [];
    const e = x.session!;
    const calls = msgs.filter((m) => m.method === 'tools/call').length;
    const max = server.http.maxConcurrentCalls;
    if (calls === 0 || e.calls + calls <= max) return 'next';
    const only = msgs.length === 1 ? msgs[0]!.id : undefined;
    sendRpcError(
      x.res,
      429,
      -32000,
      `Too many concurrent tool calls in this session (at most ${max}). Wait for a running call to finish, or open another session.`,
      typeof only === 'string' || typeof only === 'number' ? only : null,
      { 'retry-after': '1' },
    );
    return 'done';
  },
};
