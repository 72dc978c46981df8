import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol, type RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { z } from 'zod';
import { ErrorCode, rpcError } from './rpc-error.js';

// biome-ignore lint/suspicious/noExplicitAny: the SDK's request handler extra is generic over messages
export type HandlerExtra = RequestHandlerExtra<any, any>;

/**
 * Answer one method with our own checks of `params`. The SDK's `setRequestHandler` parses params with
 * its zod schema first and answers a mismatch with the validator's dump (and for tools/call, -32602
 * with the dump); here the handler gets the raw params and says what is wrong in one line.
 */
export function setRawHandler(
  server: Server,
  method: string,
  handler: (params: Record<string, unknown>, extra: HandlerExtra) => unknown | Promise<unknown>,
): void {
  const schema = z.looseObject({ method: z.literal(method), params: z.unknown().optional() });
  Protocol.prototype.setRequestHandler.call(server, schema, (request: unknown, extra: HandlerExtra) => {
    const params = (request as { params?: unknown }).params;
    if (params !== undefined && !isPlainObject(params))
      throw rpcError(
        ErrorCode.InvalidParams,
        `Invalid params: ${method} takes an object of named parameters.`,
      );
    return handler((params ?? {}) as Record<string, unknown>, extra);
  });
}

/** A required string parameter, or -32602 naming it. */
export function stringParam(params: Record<string, unknown>, name: string, method: string): string {
  const v = params[name];
  if (typeof v !== 'string' || !v)
    throw rpcError(
      ErrorCode.InvalidParams,
      `Invalid params: ${method} needs "${name}" (a non-empty string).`,
    );
  return v;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
