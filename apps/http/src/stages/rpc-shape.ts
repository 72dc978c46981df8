import { checkJsonRpcShape } from '@jupyter-mcp/app-core';
import { header, type Stage } from '../pipeline.js';
import { sendJson } from '../respond.js';

/** What a client that sends no MCP-Protocol-Version header speaks (the spec's assumption). */
const VERSION_WITHOUT_HEADER = '2025-03-26';

/**
 * The JSON-RPC shape rules (app-core's `checkJsonRpcShape`, shared with stdio): JSON that is not a
 * JSON-RPC message gets 400 with -32600; a batch is refused unless the session negotiated a protocol
 * version that still has batches. The version is the session's own; a stateless request has only its
 * MCP-Protocol-Version header (absent: 2025-03-26, as the spec says to assume).
 */
export const rpcShape: Stage = {
  name: 'rpc-shape',
  run(x, server) {
    const version = x.session
      ? x.session.mcp.protocolVersion()
      : server.http.stateless
        ? (header(x.req, 'mcp-protocol-version') ?? VERSION_WITHOUT_HEADER)
        : undefined;
    const check = checkJsonRpcShape(x.body, version);
    if (check.ok) return 'next';
    sendJson(x.res, 400, check.response);
    return 'done';
  },
};

/**
 * Stateless sessions offer no tasks: a `tools/call` that asks for one anyway is run as a normal call,
 * as the spec requires of a receiver without the capability (the SDK would refuse it instead).
 */
export const ignoreTaskAugmentation: Stage = {
  name: 'ignore-task-augmentation',
  run(x) {
    for (const m of Array.isArray(x.body) ? x.body : [x.body]) {
      const params = (m as { method?: unknown; params?: Record<string, unknown> }).params;
      if ((m as { method?: unknown }).method === 'tools/call' && params && 'task' in params)
        delete params.task;
    }
    return 'next';
  },
};
