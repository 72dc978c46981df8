import type { KernelMessage } from './protocol.js';
import type { PendingRequests } from './requests.js';

/**
 * Whether a kernel answers: `kernel_info_request` handshakes, and after a restart the wait until its
 * IOPub is subscribed again.
 */
export class Readiness {
  readonly #iopubWaiters = new Map<string, () => void>();

  constructor(
    private readonly requests: PendingRequests,
    private readonly now: () => number,
    private readonly onLanguageInfo: (info: Record<string, unknown>) => void,
  ) {}

  /** An IOPub message arrived with this parent (a `kernel_info_request` of ours may be waiting for it). */
  noteIopub(parentId: string): void {
    this.#iopubWaiters.get(parentId)?.();
  }

  #remember(reply: KernelMessage): void {
    this.onLanguageInfo((reply.content.language_info as Record<string, unknown>) ?? {});
  }

  /**
   * Wait until the kernel answers `kernel_info_request`. Sent on shell and on control at once: control
   * answers even while another client's cell keeps shell busy (ipykernel handles it there); shell is the
   * channel every kernel implements. The first reply wins.
   */
  async ready(timeoutMs: number): Promise<void> {
    const shell = this.requests.request('kernel_info_request', {}, timeoutMs, 'shell');
    const control = this.requests.request('kernel_info_request', {}, timeoutMs, 'control');
    shell.promise.catch(() => {});
    control.promise.catch(() => {});
    try {
      const reply = await Promise.any([shell.promise, control.promise]).catch((agg: AggregateError) => {
        throw agg.errors[0];
      });
      this.#remember(reply);
    } finally {
      shell.cancel();
      control.cancel();
    }
  }

  /**
   * Resolves true once everything the kernel published on IOPub before now has reached us (the IOPub
   * status of a fresh `kernel_info_request` arrived: IOPub is one ordered stream), false after
   * `timeoutMs` without it.
   */
  async iopubFlushed(timeoutMs: number): Promise<boolean> {
    const req = this.requests.request('kernel_info_request', {}, timeoutMs, 'shell');
    req.promise.catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<boolean>((resolve) => {
        this.#iopubWaiters.set(req.id, () => resolve(true));
        timer = setTimeout(resolve, timeoutMs, false);
      });
    } finally {
      clearTimeout(timer);
      this.#iopubWaiters.delete(req.id);
      req.cancel();
    }
  }

  /**
   * After a restart the server re-subscribes to the new kernel's IOPub, and messages published before
   * that subscription takes are lost (ZMQ's slow joiner). Like jupyter_server's own "nudge": repeat
   * kernel_info_request until its IOPub status arrives too, so the next execution's outputs are seen.
   */
  async readyWithIopub(timeoutMs: number): Promise<void> {
    const deadline = this.now() + timeoutMs;
    // A kernel that publishes no status for kernel_info would keep us nudging: stop after a few seconds
    // (a run whose IOPub idle then never comes still finishes, see IOPUB_QUIET_MS).
    const nudgeUntil = Math.min(deadline, this.now() + 5000);
    for (;;) {
      const req = this.requests.request(
        'kernel_info_request',
        {},
        Math.max(1, deadline - this.now()),
        'shell',
      );
      const seen = new Promise<boolean>((resolve) => this.#iopubWaiters.set(req.id, () => resolve(true)));
      try {
        const reply = await req.promise;
        this.#remember(reply);
        const quiet = new Promise<boolean>((resolve) => setTimeout(resolve, 300, false).unref());
        if ((await Promise.race([seen, quiet])) || this.now() >= nudgeUntil) return;
      } finally {
        this.#iopubWaiters.delete(req.id);
        req.cancel();
      }
    }
  }
}
