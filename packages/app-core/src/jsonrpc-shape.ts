import { type JSONRPCMessage, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';

/**
 * JSON-RPC shape rules shared by the transports (stdio and Streamable HTTP), applied to a value that
 * parsed as JSON: what is not a JSON-RPC 2.0 message gets -32600 (Invalid Request); batches are
 * refused on protocol versions that removed them (2025-06-18 and later) and taken on older ones.
 * Framing (lines, sizes) and unparseable JSON (-32700) are the transports' own.
 */

export type RpcId = string | number;

export interface RpcErrorResponse {
  jsonrpc: '2.0';
  id: RpcId | null;
  error: { code: number; message: string };
}

export type ShapeCheck =
  | { ok: true; messages: JSONRPCMessage[]; batch: boolean }
  /** Answer with `response` and process nothing. */
  | { ok: false; response: RpcErrorResponse | RpcErrorResponse[] };

/** The first protocol version without JSON-RPC batching (added in 2025-03-26, removed here). */
export const BATCHES_REMOVED_IN = '2025-06-18';

/** True when a session negotiated a protocol version that still has batches. */
export function batchesAllowed(protocolVersion: string | undefined): boolean {
  return protocolVersion !== undefined && protocolVersion < BATCHES_REMOVED_IN;
}

export function rpcErrorResponse(id: RpcId | null, code: number, message: string): RpcErrorResponse {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/** -32700 for input that is not JSON at all (`id` is null: nothing of the request could be read). */
export function parseErrorResponse(): RpcErrorResponse {
  return rpcErrorResponse(null, -32700, 'Parse error: the message is not valid JSON.');
}

/**
 * Check a parsed JSON value. `protocolVersion` is the one the session negotiated (undefined before
 * `initialize`, when a batch cannot be right either: `initialize` is never batched).
 */
export function checkJsonRpcShape(value: unknown, protocolVersion: string | undefined): ShapeCheck {
  if (!Array.isArray(value)) {
    const why = shapeProblem(value);
    if (!why) return { ok: true, messages: [value as JSONRPCMessage], batch: false };
    return { ok: false, response: rpcErrorResponse(usableId(value), -32600, `Invalid Request: ${why}`) };
  }
  if (!batchesAllowed(protocolVersion))
    return {
      ok: false,
      response: rpcErrorResponse(
        null,
        -32600,
        `Invalid Request: JSON-RPC batches are not supported${protocolVersion ? ` in protocol version ${protocolVersion}` : ''} (they were removed in ${BATCHES_REMOVED_IN}); send each message on its own.`,
      ),
    };
  if (value.length === 0)
    return { ok: false, response: rpcErrorResponse(null, -32600, 'Invalid Request: the batch is empty.') };
  const problems = value.map(shapeProblem);
  const bad = problems.findIndex((p) => p !== undefined);
  if (bad < 0) return { ok: true, messages: value as JSONRPCMessage[], batch: true };
  // Every member invalid: one error each (JSON-RPC 2.0). Some valid: the batch is refused as a whole,
  // naming the first bad member (the valid ones are not half-processed).
  if (problems.every((p) => p !== undefined))
    return {
      ok: false,
      response: value.map((m, i) => rpcErrorResponse(usableId(m), -32600, `Invalid Request: ${problems[i]}`)),
    };
  return {
    ok: false,
    response: rpcErrorResponse(
      null,
      -32600,
      `Invalid Request: batch member ${bad} is not a JSON-RPC message (${problems[bad]}); nothing in the batch was processed.`,
    ),
  };
}

/** Why a value is not a JSON-RPC 2.0 request, notification or response (undefined when it is one). */
export function shapeProblem(value: unknown): string | undefined {
  const why = basicProblem(value);
  if (why) return why;
  // The rest of MCP's message schema (e.g. `_meta.progressToken`): a message the SDK would drop silently.
  return JSONRPCMessageSchema.safeParse(value).success
    ? undefined
    : 'it does not match the MCP message schema (check "params" and its "_meta").';
}

function basicProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return `expected a JSON-RPC object, got ${kindOf(value)}.`;
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0".';
  const hasId = 'id' in m;
  if (hasId && !isId(m.id)) return '"id" must be a string or an integer.';
  if ('method' in m) {
    if (typeof m.method !== 'string' || !m.method) return '"method" must be a non-empty string.';
    if ('params' in m && (m.params === null || typeof m.params !== 'object' || Array.isArray(m.params)))
      return '"params" must be an object.';
    return undefined;
  }
  if (!hasId) return 'a message needs "method" (a request or notification) or "id" (a response).';
  if ('result' in m && 'error' in m) return 'a response has "result" or "error", not both.';
  if ('result' in m)
    return m.result !== null && typeof m.result === 'object' ? undefined : '"result" must be an object.';
  const e = m.error as Record<string, unknown> | undefined;
  if (e && typeof e === 'object' && Number.isInteger(e.code) && typeof e.message === 'string')
    return undefined;
  return 'a response needs "result" (an object) or "error" ({code, message}).';
}

function isId(v: unknown): v is RpcId {
  return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
}

/** The id to answer with: the message's own when it is a usable id, else null. */
function usableId(value: unknown): RpcId | null {
  const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  return isId(id) ? id : null;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
