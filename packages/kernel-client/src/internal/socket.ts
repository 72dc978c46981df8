import { randomUUID } from 'node:crypto';
import type { JupyterConnection, Logger } from '@jupyter-mcp/jupyter-auth';
import type WebSocket from 'ws';
import { KernelClientError, toKernelClientError } from '../errors.js';
import {
  decodeLegacy,
  decodeV1,
  encodeLegacy,
  encodeV1,
  type KernelMessage,
  type LargeStreamOptions,
  WS_PROTOCOL_V1,
} from './protocol.js';

/** `ws` caps one message at 100 MiB and closes the socket (1009) past it, and a single print of a big
 *  string is a single stream message: no cap. Such a message is held once as bytes and only its head
 *  and tail are decoded (large-text.ts). */
const NO_PAYLOAD_CAP = 0;

export type SocketState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'closed';

export interface ReconnectOptions {
  /** First retry delay (default 100 ms); doubles up to `maxDelayMs`. */
  initialDelayMs: number;
  /** Longest delay between attempts (default 2,000 ms). */
  maxDelayMs: number;
  /** Give up after this long without a connection (default 15,000 ms). */
  giveUpAfterMs: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = {
  initialDelayMs: 100,
  maxDelayMs: 2000,
  giveUpAfterMs: 15_000,
};

export interface SocketEvents {
  message(msg: KernelMessage): void;
  /** The connection went down unexpectedly; reconnecting. */
  dropped(): void;
  /** A reconnect succeeded. */
  reconnected(): void;
  /** Reconnecting failed for good (or the kernel is gone). */
  lost(error: KernelClientError): void;
}

/**
 * The websocket to one kernel: v1 binary subprotocol when the server offers it (raw ZMQ frames, no JSON
 * re-encoding on the server), legacy JSON otherwise; reconnect with backoff under the same session id
 * (so the server replays what it buffered); an unsolicited pong after each burst of received messages
 * so the client's TCP stack ACKs at once (see PERFORMANCE.md: Nagle on the server + delayed ACK here
 * otherwise cost ~40 ms per execution).
 */
export class KernelSocket {
  readonly sessionId = randomUUID();
  state: SocketState = 'connecting';
  /** Why the last reconnect gave up. */
  lastError: KernelClientError | undefined;
  #ws: WebSocket | undefined;
  #v1 = true;
  #offerV1 = true;
  #pongScheduled = false;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #awaitingPong = false;
  readonly #path: string;

  constructor(
    private readonly connection: JupyterConnection,
    readonly kernelId: string,
    private readonly events: SocketEvents,
    private readonly logger: Logger,
    private readonly reconnect: ReconnectOptions = DEFAULT_RECONNECT,
    private readonly largeStreams?: LargeStreamOptions,
    private readonly pingIntervalMs = 20_000,
  ) {
    this.#path = `api/kernels/${encodeURIComponent(kernelId)}/channels`;
  }

  /** Open the websocket (first connection). */
  async open(): Promise<void> {
    this.state = 'connecting';
    try {
      this.#attach(await this.#connect());
      this.state = 'connected';
    } catch (err) {
      this.state = 'disconnected';
      throw err;
    }
  }

  async #connect(): Promise<WebSocket> {
    try {
      try {
        return await this.connection.openWebSocket(this.#path, {
          query: { session_id: this.sessionId },
          protocols: this.#offerV1 ? [WS_PROTOCOL_V1] : undefined,
          maxPayload: NO_PAYLOAD_CAP,
        });
      } catch (err) {
        // A server configured for the legacy protocol answers without a subprotocol, which `ws`
        // refuses: ask again without offering one (and keep doing so on reconnects).
        if (!this.#offerV1 || !/sent no subprotocol/i.test(err instanceof Error ? err.message : ''))
          throw err;
        this.#offerV1 = false;
        return await this.connection.openWebSocket(this.#path, {
          query: { session_id: this.sessionId },
          maxPayload: NO_PAYLOAD_CAP,
        });
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const status = (err as { status?: unknown }).status;
      if (status === 404 || (status === undefined && /refused with HTTP 404\b|\b404\b/.test(msg))) {
        throw new KernelClientError(
          'KERNEL_NOT_FOUND',
          `Kernel ${this.kernelId} no longer exists on the server (it was shut down, or the Jupyter Server restarted). Start a new kernel.`,
          { cause: err, kernelId: this.kernelId },
        );
      }
      throw toKernelClientError(err, `Connecting to kernel ${this.kernelId}`, { kernelId: this.kernelId });
    }
  }

  #attach(ws: WebSocket): void {
    this.#ws = ws;
    this.#v1 = ws.protocol === WS_PROTOCOL_V1;
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      if (!this.#pongScheduled) {
        this.#pongScheduled = true;
        setImmediate(() => {
          this.#pongScheduled = false;
          if (this.#ws === ws && ws.readyState === ws.OPEN) ws.pong();
        });
      }
      const buf = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data as ArrayBuffer);
      let msg: KernelMessage;
      try {
        msg = this.#v1 ? decodeV1(buf, this.largeStreams) : decodeLegacy(buf, isBinary);
      } catch (err) {
        this.logger.warn('kernel-client: undecodable kernel message', {
          kernelId: this.kernelId,
          error: err instanceof Error ? err.message : String(err),
        });
        return;
      }
      this.events.message(msg);
    });
    ws.on('pong', () => {
      this.#awaitingPong = false;
    });
    ws.on('error', (err) => {
      this.logger.debug('kernel-client: websocket error', { kernelId: this.kernelId, error: err.message });
    });
    ws.on('close', () => {
      if (this.#ws !== ws) return;
      this.#ws = undefined;
      this.#stopPing();
      if (this.state === 'closed') return;
      this.logger.warn('kernel-client: kernel websocket dropped; reconnecting', { kernelId: this.kernelId });
      this.state = 'reconnecting';
      this.events.dropped();
      this.#reconnectLoop();
    });
    this.#startPing(ws);
  }

  #startPing(ws: WebSocket): void {
    this.#stopPing();
    if (this.pingIntervalMs <= 0) return;
    this.#awaitingPong = false;
    this.#pingTimer = setInterval(() => {
      if (this.#ws !== ws) return;
      if (this.#awaitingPong) {
        // No answer to the last ping: a half-open connection. Drop it so that we reconnect.
        ws.terminate();
        return;
      }
      this.#awaitingPong = true;
      ws.ping();
    }, this.pingIntervalMs);
    this.#pingTimer.unref();
  }

  #stopPing(): void {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }

  #reconnectLoop(): void {
    const started = Date.now();
    let delay = this.reconnect.initialDelayMs;
    const attempt = async () => {
      this.#reconnectTimer = undefined;
      if (this.state !== 'reconnecting') return;
      try {
        const ws = await this.#connect();
        if (this.state !== 'reconnecting') {
          ws.close();
          return;
        }
        this.#attach(ws);
        this.state = 'connected';
        this.logger.info('kernel-client: kernel websocket reconnected', { kernelId: this.kernelId });
        this.events.reconnected();
      } catch (err) {
        if (this.state !== 'reconnecting') return;
        const e = err instanceof KernelClientError ? err : toKernelClientError(err, 'Reconnecting');
        const elapsed = Date.now() - started;
        if (
          e.code === 'KERNEL_NOT_FOUND' ||
          e.code === 'AUTH_FAILED' ||
          elapsed >= this.reconnect.giveUpAfterMs
        ) {
          this.state = 'disconnected';
          this.lastError =
            e.code === 'KERNEL_NOT_FOUND' || e.code === 'AUTH_FAILED'
              ? e
              : new KernelClientError(
                  'CONNECTION_LOST',
                  `The websocket to kernel ${this.kernelId} dropped and could not be re-established within ${Math.round(elapsed / 1000)} s (${e.message}). Check that the Jupyter Server is reachable; the next call retries.`,
                  { cause: e, kernelId: this.kernelId },
                );
          this.events.lost(this.lastError);
          return;
        }
        delay = Math.min(delay * 2, this.reconnect.maxDelayMs);
        this.#reconnectTimer = setTimeout(attempt, delay);
      }
    };
    this.#reconnectTimer = setTimeout(attempt, delay);
  }

  /** Reconnect now after a `lost` (called before the next request). */
  async ensureConnected(): Promise<void> {
    if (this.state === 'connected') return;
    if (this.state === 'closed') {
      throw new KernelClientError('DISPOSED', `The connection to kernel ${this.kernelId} was disposed.`, {
        kernelId: this.kernelId,
      });
    }
    if (this.state === 'reconnecting') {
      await new Promise<void>((resolve, reject) => {
        const check = setInterval(() => {
          if (this.state === 'connected') {
            clearInterval(check);
            resolve();
          } else if (this.state !== 'reconnecting') {
            clearInterval(check);
            reject(
              this.lastError ??
                new KernelClientError(
                  'CONNECTION_LOST',
                  `The websocket to kernel ${this.kernelId} is down.`,
                  {
                    kernelId: this.kernelId,
                  },
                ),
            );
          }
        }, 25);
      });
      return;
    }
    await this.open();
  }

  get connected(): boolean {
    return this.state === 'connected' && this.#ws !== undefined;
  }

  send(msg: KernelMessage): void {
    const ws = this.#ws;
    if (!ws || this.state !== 'connected' || ws.readyState !== ws.OPEN) {
      throw new KernelClientError(
        'CONNECTION_LOST',
        `Cannot send ${msg.header.msg_type} to kernel ${this.kernelId}: the websocket is ${this.state}.`,
        { kernelId: this.kernelId },
      );
    }
    ws.send(this.#v1 ? encodeV1(msg) : encodeLegacy(msg));
  }

  /** Drop the connection as a network failure would (tests). */
  terminate(): void {
    this.#ws?.terminate();
  }

  close(): void {
    this.state = 'closed';
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#stopPing();
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws) {
      ws.removeAllListeners('message');
      ws.on('error', () => {});
      ws.close();
    }
  }
}
