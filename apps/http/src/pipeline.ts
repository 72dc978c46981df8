import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from './context.js';
import type { RpcMessage } from './respond.js';
import type { SessionEntry } from './sessions.js';

/**
 * One HTTP request on its way through the stages. Each stage reads what earlier stages found out and
 * adds its own findings (the parsed body, the session) for the stages after it.
 */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The URL path, without the query. */
  readonly path: string;
  /** Fields of the access-log line written when the response closes (stages add `rpc`, `session`). */
  readonly log: Record<string, unknown>;
  /** The JSON body (set by the body stage). */
  body?: unknown;
  /** The JSON-RPC messages of the body (a batch or one message). */
  messages?: RpcMessage[];
  /** The MCP session the request belongs to (set by the session stages). */
  session?: SessionEntry;
}

/** `done`: the stage answered the request (or handed it to the MCP transport); `next`: go on. */
export type StageOutcome = 'next' | 'done';

/** One named step of the request pipeline. */
export interface Stage {
  readonly name: string;
  run(x: Exchange, server: ServerContext): StageOutcome | Promise<StageOutcome>;
}

/** Run the stages in order until one answers the request. */
export async function runStages(stages: readonly Stage[], x: Exchange, server: ServerContext): Promise<void> {
  for (const stage of stages) if ((await stage.run(x, server)) === 'done') return;
}

/** The first value of a request header. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
