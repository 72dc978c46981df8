import { KernelClientError, toKernelClientError } from './errors.js';
import { largeStreamOptions, type Run } from './internal/execution.js';
import { Executor } from './internal/executor.js';
import type { HandleSettings } from './internal/handle-settings.js';
import { KernelRest } from './internal/kernel-rest.js';
import { type KernelMessage, makeMessage } from './internal/protocol.js';
import { Readiness } from './internal/readiness.js';
import { PendingRequests } from './internal/requests.js';
import { KernelSocket } from './internal/socket.js';
import type { ExecuteOptions, ExecutionResult, KernelExecutionState, KernelStatus } from './types.js';

const RESTARTING_STATES = new Set(['restarting', 'autorestarting', 'dead']);

/**
 * One kernel we are connected to. Executions are serialized: each waits for the previous one's reply.
 * Create with `KernelClient.startKernel` / `attachKernel` / `findKernelForNotebook`.
 *
 * The handle wires its parts together and watches the kernel's life: the websocket (`KernelSocket`),
 * the execution queue (`Executor`), request/reply bookkeeping, the readiness handshake and the REST
 * calls (`KernelRest`).
 */
export class KernelHandle {
  readonly id: string;
  readonly name: string;
  /** Jupyter session id when the kernel is bound to a notebook (`/api/sessions`). */
  sessionId: string | undefined;
  /** Notebook path of the session, when there is one. */
  notebookPath: string | undefined;
  /** `language_info` from the kernel's `kernel_info_reply`. */
  languageInfo: Record<string, unknown> = {};
  readonly #s: HandleSettings;
  readonly #socket: KernelSocket;
  readonly #requests: PendingRequests;
  readonly #readiness: Readiness;
  readonly #rest: KernelRest;
  readonly #executor: Executor;
  #fatal: KernelClientError | undefined;
  #disposed = false;
  #state: KernelExecutionState = 'unknown';
  #watching = false;

  /** @internal */
  constructor(
    init: { id: string; name: string; sessionId?: string; notebookPath?: string },
    settings: HandleSettings,
  ) {
    this.id = init.id;
    this.name = init.name;
    this.sessionId = init.sessionId;
    this.notebookPath = init.notebookPath;
    this.#s = settings;
    this.#socket = new KernelSocket(
      settings.connection,
      init.id,
      {
        message: (m) => this.#onMessage(m),
        dropped: () => this.#onDropped(),
        reconnected: () => void this.#onReconnected(),
        lost: (e) => this.#onLost(e),
      },
      settings.logger,
      settings.reconnect,
      largeStreamOptions(settings.outputLimits),
    );
    const socket = this.#socket;
    this.#requests = new PendingRequests(
      init.id,
      () => socket.sessionId,
      (m) => socket.send(m),
    );
    this.#readiness = new Readiness(this.#requests, settings.now, (info) => {
      this.languageInfo = info;
    });
    this.#rest = new KernelRest(settings.connection, init.id);
    this.#executor = new Executor({
      kernelId: init.id,
      settings,
      refusal: () => this.#refusal(),
      prepare: () => this.#prepare(),
      send: (channel, type, content, parent) => {
        const msg = makeMessage(channel, type, content, socket.sessionId, parent);
        socket.send(msg);
        return msg;
      },
      postInterrupt: () => this.#rest.interrupt(),
      watch: (run) => void this.#watch(run),
      iopubFlushed: (timeoutMs) => this.#readiness.iopubFlushed(timeoutMs),
    });
  }

  /** @internal Open the websocket and wait until the kernel answers `kernel_info_request`. */
  async connect(): Promise<this> {
    await this.#socket.open();
    await this.#readiness.ready(this.#s.readyTimeoutMs);
    return this;
  }

  /** @internal Record the session a pooled kernel was bound to. */
  _bindSession(sessionId: string, notebookPath: string): void {
    this.sessionId = sessionId;
    this.notebookPath = notebookPath;
  }

  /** Our websocket state. */
  get connectionState(): KernelStatus['connection'] {
    const st = this.#socket.state;
    return st === 'connected'
      ? 'connected'
      : st === 'reconnecting' || st === 'connecting'
        ? 'reconnecting'
        : 'disconnected';
  }

  /** The last execution state the kernel broadcast on IOPub (for anyone's request), without a REST call. */
  get executionState(): KernelExecutionState {
    return this.#state;
  }

  /** Executions waiting or running on this handle. */
  get pending(): number {
    return this.#executor.pending;
  }

  /** True while a cell that ignored an interrupt is still running. */
  get stuck(): boolean {
    return this.#executor.stuck;
  }

  /** Run code; resolves with the outputs (never rejects for a kernel-side error: see `status`). */
  execute(code: string, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    if (typeof code !== 'string') {
      return Promise.reject(
        new KernelClientError('INVALID_ARGUMENT', 'execute(code): code must be a string.'),
      );
    }
    if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
      return Promise.reject(
        new KernelClientError(
          'INVALID_ARGUMENT',
          `execute: timeoutMs must be a positive number (got ${options.timeoutMs}).`,
        ),
      );
    }
    return this.#executor.execute(code, options);
  }

  #refusal(): KernelClientError | undefined {
    if (this.#disposed)
      return new KernelClientError(
        'DISPOSED',
        `The handle for kernel ${this.id} was disposed; attach again.`,
        {
          kernelId: this.id,
        },
      );
    return this.#fatal;
  }

  /** Before a run: reconnect (and re-handshake) when the websocket went down meanwhile. */
  async #prepare(): Promise<void> {
    try {
      if (!this.#socket.connected) {
        await this.#socket.ensureConnected();
        if (!this.#executor.paused) await this.#readiness.ready(this.#s.readyTimeoutMs);
      }
    } catch (err) {
      throw toKernelClientError(err, `Connecting to kernel ${this.id}`, { kernelId: this.id });
    }
  }

  /**
   * While a cell runs, check now and then that the kernel still exists: when another client shuts it
   * down the server keeps our websocket open and sends nothing, which would otherwise hang the run.
   */
  async #watch(run: Run): Promise<void> {
    if (run.settled || this.#watching) return;
    this.#watching = true;
    try {
      const info = await this.#rest.get('Checking');
      if (!run.settled && info.executionState === 'dead') this.#onKernelDied('dead');
    } catch (err) {
      if (!run.settled && err instanceof KernelClientError && err.code === 'KERNEL_NOT_FOUND') {
        this.#fatal = new KernelClientError(
          'KERNEL_NOT_FOUND',
          `Kernel ${this.id} was shut down (by another client, or the server culled it) while this execution was running. Start a new kernel.`,
          { kernelId: this.id },
        );
        this.#failAll(this.#fatal);
      } // else the server is unreachable: the websocket's reconnect logic reports that
    } finally {
      this.#watching = false;
    }
  }

  #onMessage(msg: KernelMessage): void {
    const type = msg.header?.msg_type;
    const parentId = msg.parent_header?.msg_id;
    if (parentId && msg.channel === 'iopub') this.#readiness.noteIopub(parentId);
    if (msg.channel === 'iopub' && type === 'status') {
      const state = String(msg.content.execution_state ?? 'unknown') as KernelExecutionState;
      this.#state = state;
      if (!parentId && RESTARTING_STATES.has(state)) {
        this.#onKernelDied(state);
        return;
      }
    }
    if (parentId && msg.channel !== 'iopub' && this.#requests.settle(msg)) return;
    this.#executor.handle(msg);
  }

  #failAll(err: KernelClientError, runErr: KernelClientError = err): void {
    this.#executor.failAll(err, runErr);
    this.#requests.rejectAll(err);
  }

  /**
   * Interrupt the kernel (SIGINT, or an interrupt_request for message-mode kernels). The running
   * execution resolves with status `interrupted`. Throws `INTERRUPT_FAILED` when it does not stop within
   * the grace period — the kernel is then reported stuck; `restart()` recovers it.
   */
  async interrupt(): Promise<void> {
    const refusal = this.#disposed || this.#fatal ? this.#refusal() : undefined;
    if (refusal) throw refusal;
    const run = this.#executor.current;
    if (!run) {
      await this.#rest.interrupt();
      return;
    }
    const ok = await this.#executor.interruptRun(run, 'interrupted');
    if (!ok)
      throw new KernelClientError(
        'INTERRUPT_FAILED',
        `Kernel ${this.id} did not stop within ${this.#s.interruptGraceMs} ms of an interrupt; it may ignore SIGINT. Restart it to recover (its state will be lost).`,
        { kernelId: this.id },
      );
  }

  /** Restart the kernel (state is lost). Pending executions reject with `KERNEL_RESTARTED`. */
  async restart(): Promise<void> {
    if (this.#disposed) throw this.#refusal()!;
    this.#executor.paused = true;
    try {
      this.#failAll(
        new KernelClientError(
          'KERNEL_RESTARTED',
          `Kernel ${this.id} was restarted before this execution ran.`,
          { kernelId: this.id },
        ),
        new KernelClientError(
          'KERNEL_RESTARTED',
          `Kernel ${this.id} was restarted while this execution was running.`,
          { kernelId: this.id },
        ),
      );
      await this.#rest.restart(Math.max(this.#s.readyTimeoutMs, 60_000));
      this.#executor.clearStuck();
      this.#fatal = undefined;
      if (!this.#socket.connected) await this.#socket.ensureConnected();
      await this.#readiness.readyWithIopub(this.#s.readyTimeoutMs);
    } finally {
      this.#executor.paused = false;
      this.#executor.pump();
    }
  }

  /** Server-side status plus our connection state. */
  async status(): Promise<KernelStatus> {
    const info = await this.#rest.get('Getting the status of');
    return {
      id: this.id,
      name: info.name || this.name,
      executionState: info.executionState,
      connection: this.connectionState,
      pending: this.pending,
      stuck: this.stuck,
      lastActivity: info.lastActivity,
    };
  }

  /** Shut the kernel down on the server (and its session, if we bound one) and dispose the handle. */
  async shutdown(): Promise<void> {
    this.dispose();
    await this.#rest.shutdown(this.sessionId);
  }

  /** Close our websocket without stopping the kernel. Pending executions reject with `DISPOSED`. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#failAll(
      new KernelClientError(
        'DISPOSED',
        `The handle for kernel ${this.id} was disposed before this execution ran.`,
        { kernelId: this.id },
      ),
    );
    this.#socket.close();
    this.#s.onDispose?.(this);
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** @internal Drop the websocket as a network failure would (tests, fault drills). */
  dropConnectionForTesting(): void {
    this.#socket.terminate();
  }

  #onKernelDied(state: string): void {
    if (this.#executor.paused) return;
    const dead = state === 'dead';
    const why = dead
      ? 'The kernel process died and Jupyter could not restart it. Start a new kernel.'
      : 'The kernel process died (killed, or out of memory); Jupyter restarted it, so variables and imports are lost. Re-run the cells that set up state.';
    this.#executor.clearStuck();
    const err = (when: string) =>
      new KernelClientError('KERNEL_DIED', `Kernel ${this.id} died ${when}. ${why}`, { kernelId: this.id });
    this.#s.logger.warn('kernel-client: kernel died', { kernelId: this.id, state });
    this.#failAll(err('before this execution ran'), err('while running this execution'));
    if (dead)
      this.#fatal = new KernelClientError('KERNEL_DIED', `Kernel ${this.id} is dead. ${why}`, {
        kernelId: this.id,
      });
  }

  #onDropped(): void {
    this.#executor.current?.collector.addWarning(
      'The websocket to the kernel dropped during this execution and was re-established; the server replayed the output it buffered meanwhile.',
    );
  }

  async #onReconnected(): Promise<void> {
    const run = this.#executor.current;
    if (!run || run.settled) return;
    const lost = (why: string, cause?: unknown) =>
      this.#executor.fail(
        run,
        new KernelClientError('CONNECTION_LOST', `The websocket to kernel ${this.id} dropped ${why}`, {
          kernelId: this.id,
          cause,
        }),
      );
    try {
      // The server replays what it buffered before relaying anything new, so once the kernel answers
      // kernel_info (on control, even while the cell keeps shell busy) the run's messages are here or lost.
      await this.#readiness.ready(10_000);
      if (run.settled) return;
      const info = await this.#rest.get('Checking');
      if (run.settled) return;
      if (info.executionState === 'idle') {
        await new Promise((r) => setTimeout(r, 500));
        if (!run.settled)
          lost(
            'while this execution was running and its result was lost (the kernel is idle now). Check the kernel state and re-run the cell if needed.',
          );
        this.#executor.pump();
      }
    } catch (err) {
      if (!run.settled)
        lost(`while this execution was running: ${err instanceof Error ? err.message : String(err)}`, err);
      this.#executor.pump();
    }
  }

  #onLost(err: KernelClientError): void {
    const runErr = new KernelClientError(
      'CONNECTION_LOST',
      `The connection to kernel ${this.id} was lost while this execution was running: ${err.message}`,
      { kernelId: this.id, cause: err },
    );
    if (err.code === 'KERNEL_NOT_FOUND') this.#fatal = err;
    this.#failAll(err.code === 'KERNEL_NOT_FOUND' ? err : runErr, runErr);
  }
}
