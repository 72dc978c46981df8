import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Stage, StageOutcome } from '../pipeline.js';
import { callSession } from '../policy.js';
import { sendRpcError } from '../respond.js';

/** `--stateless` takes POST only (no session stream, nothing to delete). */
export const statelessPostOnly: Stage = {
  name: 'stateless-post-only',
  run(x) {
    if ((x.req.method ?? 'GET') === 'POST') return 'next';
    sendRpcError(
      x.res,
      405,
      -32000,
      'Method not allowed: this server runs with --stateless (POST only).',
      null,
      { allow: 'POST' },
    );
    return 'done';
  },
};

/**
 * `--stateless`: a throw-away MCP server and transport per request, closed when the response closes.
 * Kernels started here belong to the fleet (clients pass their kernel_id): they are not stopped.
 */
export const dispatchStateless: Stage = {
  name: 'dispatch-stateless',
  async run(x, server): Promise<StageOutcome> {
    const id = randomUUID();
    const mcp = server.newSession(id);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      keepAliveMs: server.http.sseKeepaliveMs,
    });
    const abort = () => void transport.close().catch(() => {});
    server.statelessRequests.add(abort);
    x.res.on('close', () => {
      server.statelessRequests.delete(abort);
      mcp.tools.state.startedKernels.clear();
      abort();
      void mcp.close().then(() => mcp.server.close().catch(() => {}));
    });
    await mcp.server.connect(transport);
    await callSession.run(id, () => transport.handleRequest(x.req, x.res, x.body));
    return 'done';
  },
};
