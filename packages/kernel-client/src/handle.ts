import type { JupyterConnection, Logger } from '@jupyter-mcp/jupyter-auth';
import { KernelClientError, toKernelClientError } from './errors.js';
import {
  applyRunMessage,
  buildResult,
  createRun,
  emptyResult,
  type Job,
  largeStreamOptions,
  type Run,
  settleRun,
} from './internal/execution.js';
import { type KernelMessage, makeMessage } from './internal/protocol.js';
import { PendingRequests } from './internal/requests.js';
import { toKernelInfo } from './internal/rest.js';
import { KernelSocket, type ReconnectOptions } from './internal/socket.js';
import type {
  ExecuteOptions,
  ExecutionResult,
  ExecutionStatus,
  KernelExecutionState,
  KernelStatus,
  OutputLimits,
} from './types.js';

/** Internal settings a `KernelClient` passes to each handle. */
export interface HandleSettings {
  connection: JupyterConnection;
  logger: Logger;
  outputLimits: Partial<OutputLimits>;
  now: () => number;
  /** How long an interrupt may take before the kernel is reported stuck (default 5,000 ms). */
  interruptGraceMs: number;
  /** How long to wait for `kernel_info_reply` on connect (default 60,000 ms). */
  readyTimeoutMs: number;
  /** Period of the kernel-exists check while a cell runs (0 = off). */
  watchdogMs: number;
  reconnect: ReconnectOptions;
  onDispose?: (handle: KernelHandle) => void;
}

/** How long IOPub may stay silent after execute_reply before a run finishes without its idle status. */
const IOPUB_QUIET_MS = 3000;
const RESTARTING_STATES = new Set(['restarting', 'autorestarting', 'dead']);

/**
 * One kernel we are connected to. Executions are serialized: each waits for the previous one's reply.
 * Create with `KernelClient.startKernel` / `attachKernel` / `findKernelForNotebook`.
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
  readonly #queue: Job[] = [];
  readonly #requests: PendingRequests;
  #run: Run | undefined;
  #starting = false;
  #stuckMsgId: string | undefined;
  #fatal: KernelClientError | undefined;
  #restarting = false;
  readonly #iopubWaiters = new Map<string, () => void>();
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
  }

  /** @internal Open the websocket and wait until the kernel answers `kernel_info_request`. */
  async connect(): Promise<this> {
    await this.#socket.open();
    await this.#ready();
    return this;
  }

  /**
   * Wait until the kernel answers `kernel_info_request`. Sent on shell and on control at once: control
   * answers even while another client's cell keeps shell busy (ipykernel handles it there); shell is the
   * channel every kernel implements. The first reply wins.
   */
  async #ready(timeoutMs = this.#s.readyTimeoutMs): Promise<void> {
    const shell = this.#requests.request('kernel_info_request', {}, timeoutMs, 'shell');
    const control = this.#requests.request('kernel_info_request', {}, timeoutMs, 'control');
    shell.promise.catch(() => {});
    control.promise.catch(() => {});
    try {
      const reply = await Promise.any([shell.promise, control.promise]).catch((agg: AggregateError) => {
        throw agg.errors[0];
      });
      this.languageInfo = (reply.content.language_info as Record<string, unknown>) ?? {};
    } finally {
      shell.cancel();
      control.cancel();
    }
  }

  /**
   * After a restart the server re-subscribes to the new kernel's IOPub, and messages published before
   * that subscription takes are lost (ZMQ's slow joiner). Like jupyter_server's own "nudge": repeat
   * kernel_info_request until its IOPub status arrives too, so the next execution's outputs are seen.
   */
  async #readyWithIopub(timeoutMs = this.#s.readyTimeoutMs): Promise<void> {
    const deadline = this.#s.now() + timeoutMs;
    // A kernel that publishes no status for kernel_info would keep us nudging: stop after a few seconds
    // (a run whose IOPub idle then never comes still finishes, see IOPUB_QUIET_MS).
    const nudgeUntil = Math.min(deadline, this.#s.now() + 5000);
    for (;;) {
      const req = this.#requests.request(
        'kernel_info_request',
        {},
        Math.max(1, deadline - this.#s.now()),
        'shell',
      );
      const seen = new Promise<boolean>((resolve) => this.#iopubWaiters.set(req.id, () => resolve(true)));
      try {
        const reply = await req.promise;
        this.languageInfo = (reply.content.language_info as Record<string, unknown>) ?? {};
        const quiet = new Promise<boolean>((resolve) => setTimeout(resolve, 300, false).unref());
        if ((await Promise.race([seen, quiet])) || this.#s.now() >= nudgeUntil) return;
      } finally {
        this.#iopubWaiters.delete(req.id);
        req.cancel();
      }
    }
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
    return this.#queue.length + (this.#run || this.#starting ? 1 : 0);
  }

  /** True while a cell that ignored an interrupt is still running. */
  get stuck(): boolean {
    return this.#stuckMsgId !== undefined;
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
    const refusal = this.#refusal();
    if (refusal) return Promise.reject(refusal);
    return new Promise<ExecutionResult>((resolve, reject) => {
      const job: Job = { code, options, resolve, reject };
      const signal = options.signal;
      if (signal) {
        const onAbort = () => {
          const i = this.#queue.indexOf(job);
          if (i >= 0) {
            this.#queue.splice(i, 1);
            resolve(emptyResult('aborted', ['Cancelled before it started.']));
          } else if (this.#run?.job === job) {
            void this.#interruptRun(this.#run, 'interrupted');
          }
        };
        if (signal.aborted) {
          resolve(emptyResult('aborted', ['Cancelled before it started.']));
          return;
        }
        signal.addEventListener('abort', onAbort, { once: true });
        const done = () => signal.removeEventListener('abort', onAbort);
        job.resolve = (r) => {
          done();
          resolve(r);
        };
        job.reject = (e) => {
          done();
          reject(e);
        };
      }
      this.#queue.push(job);
      this.#pump();
    });
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
    if (this.#fatal) return this.#fatal;
    if (this.#stuckMsgId)
      return new KernelClientError(
        'KERNEL_STUCK',
        `Kernel ${this.id} is still running an earlier cell that did not stop when interrupted (it may ignore SIGINT). Restart the kernel to use it again.`,
        { kernelId: this.id },
      );
    return undefined;
  }

  #pump(): void {
    if (this.#run || this.#starting || this.#restarting) return;
    const job = this.#queue.shift();
    if (!job) return;
    this.#starting = true;
    void this.#start(job).finally(() => {
      this.#starting = false;
      if (!this.#run) this.#pump();
    });
  }

  async #start(job: Job): Promise<void> {
    const refusal = this.#refusal();
    if (refusal) {
      job.reject(refusal);
      return;
    }
    try {
      if (!this.#socket.connected) {
        await this.#socket.ensureConnected();
        if (!this.#restarting) await this.#ready();
      }
    } catch (err) {
      job.reject(toKernelClientError(err, `Connecting to kernel ${this.id}`, { kernelId: this.id }));
      return;
    }
    const o = job.options;
    if (o.signal?.aborted) {
      job.resolve(emptyResult('aborted', ['Cancelled before it started.']));
      return;
    }
    const msg = makeMessage(
      'shell',
      'execute_request',
      {
        code: job.code,
        silent: o.silent ?? false,
        store_history: o.storeHistory ?? !(o.silent ?? false),
        user_expressions: o.userExpressions ?? {},
        allow_stdin: false,
        stop_on_error: true,
      },
      this.#socket.sessionId,
    );
    const run = createRun(job, msg.header.msg_id, this.#s.outputLimits, this.#s.logger, this.#s.now());
    try {
      this.#socket.send(msg);
    } catch (err) {
      job.reject(err);
      return;
    }
    this.#run = run;
    if (o.signal?.aborted) void this.#interruptRun(run, 'interrupted');
    if (o.timeoutMs !== undefined)
      run.timer = setTimeout(() => void this.#interruptRun(run, 'timeout'), o.timeoutMs);
    if (this.#s.watchdogMs > 0) run.watchdog = setInterval(() => void this.#watch(run), this.#s.watchdogMs);
  }

  /**
   * While a cell runs, check now and then that the kernel still exists: when another client shuts it
   * down the server keeps our websocket open and sends nothing, which would otherwise hang the run.
   */
  async #watch(run: Run): Promise<void> {
    if (run.settled || this.#watching) return;
    this.#watching = true;
    try {
      const info = toKernelInfo(await this.#kernelApi('GET', '', 'Checking'));
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
    if (parentId && msg.channel === 'iopub') this.#iopubWaiters.get(parentId)?.();
    if (msg.channel === 'iopub' && type === 'status') {
      const state = String(msg.content.execution_state ?? 'unknown') as KernelExecutionState;
      this.#state = state;
      if (!parentId && RESTARTING_STATES.has(state)) {
        this.#onKernelDied(state);
        return;
      }
    }
    if (parentId && msg.channel !== 'iopub' && this.#requests.settle(msg)) return;
    if (parentId && parentId === this.#stuckMsgId) {
      if (msg.channel === 'shell' && type === 'execute_reply') {
        this.#stuckMsgId = undefined;
        this.#s.logger.info('kernel-client: the stuck cell finished', { kernelId: this.id });
      }
      return;
    }
    const run = this.#run;
    if (!run || parentId !== run.msgId) return;
    if (applyRunMessage(run, msg) === 'input_request') {
      try {
        this.#socket.send(
          makeMessage(
            'stdin',
            'input_reply',
            { status: 'error', value: '' },
            this.#socket.sessionId,
            msg.header,
          ),
        );
      } catch {
        // the connection is down; the run fails through the socket events
      }
    }
    if (run.reply && run.idle) this.#finish(run);
    else if (run.reply && msg.channel === 'iopub') run.quietTimer?.refresh();
    else if (run.reply && !run.quietTimer) {
      // The reply came but IOPub's idle has not: normally it follows within milliseconds. If IOPub
      // stays silent, its messages were lost (e.g. the server was still subscribing to a restarted
      // kernel): finish with what arrived rather than hang.
      run.quietTimer = setTimeout(() => {
        run.collector.warnings.push(
          `The kernel replied but its IOPub "idle" status never arrived (${IOPUB_QUIET_MS / 1000} s of silence); outputs may be incomplete.`,
        );
        this.#finish(run);
      }, IOPUB_QUIET_MS);
    }
  }

  #finish(run: Run, override?: { status: ExecutionStatus; warning?: string }): void {
    if (!settleRun(run)) return;
    if (this.#run === run) this.#run = undefined;
    const result = buildResult(run, this.#s.now(), override);
    for (const f of run.onSettled) f();
    run.job.resolve(result);
    queueMicrotask(() => this.#pump());
  }

  #fail(run: Run, err: KernelClientError): void {
    if (!settleRun(run)) return;
    if (this.#run === run) this.#run = undefined;
    for (const f of run.onSettled) f();
    run.job.reject(err);
  }

  #failAll(err: KernelClientError, runErr: KernelClientError = err): void {
    const run = this.#run;
    if (run) this.#fail(run, runErr);
    for (const job of this.#queue.splice(0)) job.reject(err);
    this.#requests.rejectAll(err);
  }

  /** Interrupt a run; resolves true if it ended within the grace period. */
  #interruptRun(run: Run, reason: 'timeout' | 'interrupted'): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (run.settled) {
        resolve(true);
        return;
      }
      let gaveUp = false;
      run.onSettled.push(() => resolve(!gaveUp && !run.gaveUp));
      if (run.reason) return;
      run.reason = reason;
      this.#postInterrupt().catch((err) => {
        run.collector.addWarning(
          `Interrupting the kernel failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
      run.graceTimer = setTimeout(() => {
        if (run.settled) return;
        gaveUp = true;
        run.gaveUp = true;
        this.#stuckMsgId = run.msgId;
        const secs = Math.round(this.#s.interruptGraceMs / 100) / 10;
        this.#finish(run, {
          status: reason,
          warning: `${reason === 'timeout' ? `Timed out after ${run.job.options.timeoutMs} ms, and the` : 'The'} kernel did not stop within ${secs} s of an interrupt (SIGINT): it is still running this cell and may ignore interrupts. Restart the kernel to use it again (its state will be lost).`,
        });
        const stuck = this.#refusal()!;
        for (const job of this.#queue.splice(0)) job.reject(stuck);
        resolve(false);
      }, this.#s.interruptGraceMs);
    });
  }

  /** `POST|GET api/kernels/{id}[/action]` as JSON, errors converted (404 → KERNEL_NOT_FOUND). */
  async #kernelApi(method: string, action: string, what: string, timeoutMs?: number): Promise<unknown> {
    try {
      const path = `api/kernels/${encodeURIComponent(this.id)}${action ? `/${action}` : ''}`;
      return await this.#s.connection.json(method, path, { timeoutMs });
    } catch (err) {
      throw toKernelClientError(err, `${what} kernel ${this.id}`, {
        kernelId: this.id,
        notFound: 'KERNEL_NOT_FOUND',
        notFoundHint: 'The kernel no longer exists (shut down, or the server restarted). Start a new one.',
      });
    }
  }

  async #postInterrupt(): Promise<void> {
    await this.#kernelApi('POST', 'interrupt', 'Interrupting');
  }

  /**
   * Interrupt the kernel (SIGINT, or an interrupt_request for message-mode kernels). The running
   * execution resolves with status `interrupted`. Throws `INTERRUPT_FAILED` when it does not stop within
   * the grace period — the kernel is then reported stuck; `restart()` recovers it.
   */
  async interrupt(): Promise<void> {
    const refusal = this.#disposed || this.#fatal ? this.#refusal() : undefined;
    if (refusal) throw refusal;
    const run = this.#run;
    if (!run) {
      await this.#postInterrupt();
      return;
    }
    const ok = await this.#interruptRun(run, 'interrupted');
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
    this.#restarting = true;
    try {
      this.#failAll(
        new KernelClientError(
          'KERNEL_RESTARTED',
          `Kernel ${this.id} was restarted before this execution ran.`,
          {
            kernelId: this.id,
          },
        ),
        new KernelClientError(
          'KERNEL_RESTARTED',
          `Kernel ${this.id} was restarted while this execution was running.`,
          {
            kernelId: this.id,
          },
        ),
      );
      await this.#kernelApi('POST', 'restart', 'Restarting', Math.max(this.#s.readyTimeoutMs, 60_000));
      this.#stuckMsgId = undefined;
      this.#fatal = undefined;
      if (!this.#socket.connected) await this.#socket.ensureConnected();
      await this.#readyWithIopub();
    } finally {
      this.#restarting = false;
      this.#pump();
    }
  }

  /** Server-side status plus our connection state. */
  async status(): Promise<KernelStatus> {
    const model = await this.#kernelApi('GET', '', 'Getting the status of');
    const info = toKernelInfo(model);
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
    const path = this.sessionId
      ? `api/sessions/${encodeURIComponent(this.sessionId)}`
      : `api/kernels/${encodeURIComponent(this.id)}`;
    this.dispose();
    try {
      await this.#s.connection.request('DELETE', path, { allowStatus: [404] });
      if (this.sessionId)
        await this.#s.connection.request('DELETE', `api/kernels/${encodeURIComponent(this.id)}`, {
          allowStatus: [404],
        });
    } catch (err) {
      throw toKernelClientError(err, `Shutting down kernel ${this.id}`, { kernelId: this.id });
    }
  }

  /** Close our websocket without stopping the kernel. Pending executions reject with `DISPOSED`. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#failAll(
      new KernelClientError(
        'DISPOSED',
        `The handle for kernel ${this.id} was disposed before this execution ran.`,
        {
          kernelId: this.id,
        },
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
    if (this.#restarting) return;
    const dead = state === 'dead';
    const why = dead
      ? 'The kernel process died and Jupyter could not restart it. Start a new kernel.'
      : 'The kernel process died (killed, or out of memory); Jupyter restarted it, so variables and imports are lost. Re-run the cells that set up state.';
    this.#stuckMsgId = undefined;
    const runErr = new KernelClientError(
      'KERNEL_DIED',
      `Kernel ${this.id} died while running this execution. ${why}`,
      {
        kernelId: this.id,
      },
    );
    const queuedErr = new KernelClientError(
      'KERNEL_DIED',
      `Kernel ${this.id} died before this execution ran. ${why}`,
      {
        kernelId: this.id,
      },
    );
    this.#s.logger.warn('kernel-client: kernel died', { kernelId: this.id, state });
    this.#failAll(queuedErr, runErr);
    if (dead)
      this.#fatal = new KernelClientError('KERNEL_DIED', `Kernel ${this.id} is dead. ${why}`, {
        kernelId: this.id,
      });
  }

  #onDropped(): void {
    this.#run?.collector.addWarning(
      'The websocket to the kernel dropped during this execution and was re-established; the server replayed the output it buffered meanwhile.',
    );
  }

  async #onReconnected(): Promise<void> {
    const run = this.#run;
    if (!run || run.settled) return;
    try {
      // The server replays what it buffered before relaying anything new, so once the kernel answers
      // kernel_info (on control, even while the cell keeps shell busy) the run's messages are here or lost.
      await this.#ready(10_000);
      if (run.settled) return;
      const model = await this.#kernelApi('GET', '', 'Checking');
      if (run.settled) return;
      if (toKernelInfo(model).executionState === 'idle') {
        await new Promise((r) => setTimeout(r, 500));
        if (!run.settled)
          this.#fail(
            run,
            new KernelClientError(
              'CONNECTION_LOST',
              `The websocket to kernel ${this.id} dropped while this execution was running and its result was lost (the kernel is idle now). Check the kernel state and re-run the cell if needed.`,
              { kernelId: this.id },
            ),
          );
        this.#pump();
      }
    } catch (err) {
      if (!run.settled)
        this.#fail(
          run,
          new KernelClientError(
            'CONNECTION_LOST',
            `The websocket to kernel ${this.id} dropped while this execution was running: ${err instanceof Error ? err.message : String(err)}`,
            { kernelId: this.id, cause: err },
          ),
        );
      this.#pump();
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
