import type { Readable, Writable } from 'node:stream';
import {
  checkJsonRpcShape,
  parseErrorResponse,
  type RpcErrorResponse,
  type RpcId,
} from '@jupyter-mcp/app-core';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** The responses of one batch, written together (as an array) once the last one is there. */
interface PendingBatch {
  responses: Map<RpcId, JSONRPCMessage | undefined>;
}

/**
 * MCP over stdio, newline-delimited JSON-RPC, with the shape rules the HTTP transport applies too
 * (app-core's `checkJsonRpcShape`): a line that is not JSON gets -32700 with id null, JSON that is not
 * a JSON-RPC message -32600, a batch is refused on protocol versions without batches and answered with
 * one array on older ones. The SDK's stdio transport drops such lines silently. stdout carries
 * JSON-RPC only.
 */
export class JsonRpcStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  #buffer = '';
  #started = false;
  readonly #batches = new Map<RpcId, PendingBatch>();

  constructor(
    private readonly stdin: Readable,
    private readonly stdout: Writable,
    /** The protocol version the session negotiated (batches depend on it). */
    private readonly protocolVersion: () => string | undefined,
  ) {}

  readonly #ondata = (chunk: Buffer | string): void => {
    this.#buffer += chunk.toString();
    for (let nl = this.#buffer.indexOf('\n'); nl >= 0; nl = this.#buffer.indexOf('\n')) {
      const line = this.#buffer.slice(0, nl).replace(/\r$/, '');
      this.#buffer = this.#buffer.slice(nl + 1);
      if (line.trim()) this.#line(line);
    }
  };

  readonly #onerror = (error: Error): void => this.onerror?.(error);

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.stdin.on('data', this.#ondata);
    this.stdin.on('error', this.#onerror);
  }

  #line(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      void this.#write(parseErrorResponse());
      return;
    }
    const check = checkJsonRpcShape(value, this.protocolVersion());
    if (!check.ok) {
      void this.#write(check.response);
      return;
    }
    if (check.batch) {
      const batch: PendingBatch = { responses: new Map() };
      for (const m of check.messages)
        if ('method' in m && 'id' in m) {
          batch.responses.set(m.id, undefined);
          this.#batches.set(m.id, batch);
        }
    }
    for (const m of check.messages) this.onmessage?.(m);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const id = 'id' in message && !('method' in message) ? message.id : undefined;
    const batch = id === undefined ? undefined : this.#batches.get(id);
    if (!batch) return this.#write(message);
    this.#batches.delete(id!);
    batch.responses.set(id!, message);
    const all = [...batch.responses.values()];
    if (all.every((r) => r !== undefined)) return this.#write(all as JSONRPCMessage[]);
  }

  #write(message: JSONRPCMessage | JSONRPCMessage[] | RpcErrorResponse | RpcErrorResponse[]): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.stdout.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    this.stdin.off('data', this.#ondata);
    this.stdin.off('error', this.#onerror);
    if (this.stdin.listenerCount('data') === 0) this.stdin.pause();
    this.#buffer = '';
    this.onclose?.();
  }
}
