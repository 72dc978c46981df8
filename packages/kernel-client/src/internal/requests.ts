import { KernelClientError } from '../errors.js';
import { type KernelMessage, makeMessage } from './protocol.js';

interface Pending {
  resolve(msg: KernelMessage): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

/** Request/reply bookkeeping for shell and control requests other than execution (kernel_info, …). */
export class PendingRequests {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly kernelId: string,
    private readonly session: () => string,
    private readonly send: (msg: KernelMessage) => void,
  ) {}

  /** Send a request; the promise settles with its reply, or rejects after `timeoutMs`. */
  request(
    type: string,
    content: Record<string, unknown>,
    timeoutMs: number,
    channel: 'shell' | 'control' = 'shell',
  ): { id: string; promise: Promise<KernelMessage>; cancel(): void } {
    const msg = makeMessage(channel, type, content, this.session());
    const id = msg.header.msg_id;
    let timer: NodeJS.Timeout | undefined;
    const promise = new Promise<KernelMessage>((resolve, reject) => {
      timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new KernelClientError(
            'KERNEL_START_TIMEOUT',
            `Kernel ${this.kernelId} did not answer ${type} within ${Math.round(timeoutMs / 1000)} s. It may still be starting, or be busy; try again, or restart it.`,
            { kernelId: this.kernelId },
          ),
        );
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      try {
        this.send(msg);
      } catch (err) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(err);
      }
    });
    return {
      id,
      promise,
      cancel: () => {
        clearTimeout(timer);
        this.#pending.delete(id);
      },
    };
  }

  /** Settle the request this reply answers; false when it answers none of ours. */
  settle(msg: KernelMessage): boolean {
    const id = msg.parent_header?.msg_id;
    const p = id ? this.#pending.get(id) : undefined;
    if (!p || !id) return false;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(msg);
    return true;
  }

  rejectAll(err: unknown): void {
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.#pending.clear();
  }
}
