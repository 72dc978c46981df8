import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

export { ErrorCode };

/**
 * A JSON-RPC error for the SDK to send as the response (`code`, and `message` exactly as given). The
 * SDK's `McpError` prefixes its message with "MCP error <code>:", which clients then show twice; the
 * wire message is ours. Used only at the protocol boundary (a tool's own failures are `ToolError`s and
 * reach the client as `isError` results).
 */
export function rpcError(code: ErrorCode, message: string, data?: unknown): McpError {
  const err = new McpError(code, message, data);
  err.message = message;
  return err;
}
