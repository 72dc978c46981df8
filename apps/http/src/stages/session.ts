import { header, type Stage, type StageOutcome } from '../pipeline.js';
import { callSession } from '../policy.js';
import { sendRpcError } from '../respond.js';

/** A request naming a session (`Mcp-Session-Id`) must name an open one (404 otherwise). */
export const findSession: Stage = {
  name: 'find-session',
  run(x, server) {
    const sid = header(x.req, 'mcp-session-id');
    if (!sid) return 'next';
    x.session = server.sessions.get(sid);
    x.log.session = x.session ? sid : undefined;
    if (x.session) return 'next';
    sendRpcError(
      x.res,
      404,
      -32001,
      'Session not found: it expired, was closed or never existed. Start a new session (initialize without Mcp-Session-Id).',
    );
    return 'done';
  },
};

/**
 * `GET` (the session's standalone SSE stream) and `DELETE` (close the session) go to the session's
 * transport. An open GET stream does not keep a session alive; a DELETE in progress does.
 */
export const sessionStream: Stage = {
  name: 'session-stream',
  async run(x) {
    const method = x.req.method ?? 'GET';
    if (method !== 'GET' && method !== 'DELETE') return 'next';
    const e = x.session;
    if (!e) {
      sendRpcError(x.res, 400, -32000, 'Bad Request: the Mcp-Session-Id header is required.');
      return 'done';
    }
    e.lastActive = Date.now();
    if (method === 'DELETE') e.active++;
    x.res.on('close', () => {
      if (method === 'DELETE') e.active--;
      e.lastActive = Date.now();
    });
    await callSession.run(e.id, () => e.transport.handleRequest(x.req, x.res));
    return 'done';
  },
};

/** Besides GET and DELETE, only POST (405). */
export const postOnly: Stage = {
  name: 'post-only',
  run(x) {
    if ((x.req.method ?? 'GET') === 'POST') return 'next';
    sendRpcError(x.res, 405, -32000, 'Method not allowed.', null, { allow: 'GET, POST, DELETE' });
    return 'done';
  },
};

/** A POST without a session must be `initialize`: it opens a new session (400 otherwise). */
export const openSession: Stage = {
  name: 'open-session',
  async run(x, server) {
    if (x.session) return 'next';
    if (!(x.messages ?? []).some((m) => m.method === 'initialize')) {
      sendRpcError(
        x.res,
        400,
        -32000,
        'Bad Request: the Mcp-Session-Id header is required (send initialize first to open a session).',
      );
      return 'done';
    }
    x.session = await server.sessions.create();
    return 'next';
  },
};

/**
 * Hand the POST to the session's transport, which answers with JSON or an SSE stream. Everything the
 * request causes (tool calls, their log records) runs as this session.
 */
export const dispatchToSession: Stage = {
  name: 'dispatch',
  async run(x, server): Promise<StageOutcome> {
    const e = x.session!;
    const calls = (x.messages ?? []).filter((m) => m.method === 'tools/call').length;
    e.calls += calls;
    e.active++;
    e.lastActive = Date.now();
    x.log.session = e.id;
    x.res.on('close', () => {
      e.calls -= calls;
      e.active--;
      e.lastActive = Date.now();
      if (!e.registered) void server.sessions.close(e, 'failed');
    });
    await callSession.run(e.id, () => e.transport.handleRequest(x.req, x.res, x.body));
    return 'done';
  },
};
