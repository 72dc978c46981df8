import { KernelClientError } from '../errors.js';
import type { ExecuteOptions, ExecutionResult, ExecutionStatus } from '../types.js';
import {
  applyRunMessage,
  buildResult,
  createRun,
  emptyResult,
  type QueuedExecution,
  type Run,
  settleRun,
} from './execution.js';
import type { HandleSettings } from './handle-settings.js';
import type { Channel, KernelMessage, MessageHeader } from './protocol.js';

/**
 * How long IOPub may stay silent after execute_reply before we check whether its idle status was lost,
 * and how long that check (a fresh request's IOPub status, behind everything published before) may take:
 * a single huge output message can take many seconds in transit on a loaded machine.
 */
const IOPUB_QUIET_MS = 3000;
const IOPUB_FLUSH_MS = 30_000;

/** What the executor needs from the handle it runs on. */
export interface ExecutorHost {
  readonly kernelId: string;
  readonly settings: HandleSettings;
  /** Why the handle refuses work now (disposed, kernel gone), if it does. */
  refusal(): KernelClientError | undefined;
  /** Make sure the websocket is up and the kernel answers, before a run is sent. */
  prepare(): Promise<void>;
  /** Build a message in our kernel session and send it; throws when the websocket is down. */
  send(
    channel: Channel,
    type: string,
    content: Record<string, unknown>,
    parent?: Partial<MessageHeader>,
  ): KernelMessage;
  /** `POST api/kernels/{id}/interrupt`. */
  postInterrupt(): Promise<void>;
  /** Periodic check, while a run lasts, that the kernel still exists. */
  watch(run: Run): void;
  /** True once everything published on IOPub until now has arrived; false after `timeoutMs`. */
  iopubFlushed(timeoutMs: number): Promise<boolean>;
}

/**
 * The executions of one kernel handle, run one after another: the queue, the running run and the
 * messages that belong to it, interrupts and timeouts, and a cell that ignored an interrupt ("stuck").
 */
export class Executor {
  readonly #host: ExecutorHost;
  readonly #queue: QueuedExecution[] = [];
  #run: Run | undefined;
  #starting = false;
  #stuckMsgId: string | undefined;
  /** While true (a restart is under way) nothing new starts. */
  paused = false;

  constructor(host: ExecutorHost) {
    this.#host = host;
  }

  /** Executions waiting or running. */
  get pending(): number {
    return this.#queue.length + (this.#run || this.#starting ? 1 : 0);
  }

  /** The running execution, if any. */
  get current(): Run | undefined {
    return this.#run;
  }

  get stuck(): boolean {
    return this.#stuckMsgId !== undefined;
  }

  clearStuck(): void {
    this.#stuckMsgId = undefined;
  }

  /** Why a new execution is refused now: the host's reason, or a stuck cell. */
  refusal(): KernelClientError | undefined {
    const host = this.#host.refusal();
    if (host) return host;
    if (this.#stuckMsgId)
      return new KernelClientError(
        'KERNEL_STUCK',
        `Kernel ${this.#host.kernelId} is still running an earlier cell that did not stop when interrupted (it may ignore SIGINT). Restart the kernel to use it again.`,
        { kernelId: this.#host.kernelId },
      );
    return undefined;
  }

  execute(code: string, options: ExecuteOptions): Promise<ExecutionResult> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    return new Promise<ExecutionResult>((resolve, reject) => {
      const queued: QueuedExecution = { code, options, resolve, reject };
      const signal = options.signal;
      if (signal) {
        if (signal.aborted) {
          resolve(emptyResult('aborted', ['Cancelled before it started.']));
          return;
        }
        const onAbort = () => {
          const i = this.#queue.indexOf(queued);
          if (i >= 0) {
            this.#queue.splice(i, 1);
            resolve(emptyResult('aborted', ['Cancelled before it started.']));
          } else if (this.#run?.queued === queued) {
            void this.interruptRun(this.#run, 'interrupted');
          }
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const done = () => signal.removeEventListener('abort', onAbort);
        queued.resolve = (r) => {
          done();
          resolve(r);
        };
        queued.reject = (e) => {
          done();
          reject(e);
        };
      }
      this.#queue.push(queued);
      this.pump();
    });
  }

  /** Start the next queued execution when nothing runs. */
  pump(): void {
    if (this.#run || this.#starting || this.paused) return;
    const queued = this.#queue.shift();
    if (!queued) return;
    this.#starting = true;
    void this.#start(queued).finally(() => {
      this.#starting = false;
      if (!this.#run) this.pump();
    });
  }

  async #start(queued: QueuedExecution): Promise<void> {
    const refusal = this.refusal();
    if (refusal) {
      queued.reject(refusal);
      return;
    }
    try {
      await this.#host.prepare();
    } catch (err) {
      queued.reject(err);
      return;
    }
    const o = queued.options;
    if (o.signal?.aborted) {
      queued.resolve(emptyResult('aborted', ['Cancelled before it started.']));
      return;
    }
    const s = this.#host.settings;
    let run: Run;
    try {
      const msg = this.#host.send('shell', 'execute_request', {
        code: queued.code,
        silent: o.silent ?? false,
        store_history: o.storeHistory ?? !(o.silent ?? false),
        user_expressions: o.userExpressions ?? {},
        allow_stdin: false,
        stop_on_error: true,
      });
      run = createRun(queued, msg.header.msg_id, s.outputLimits, s.logger, s.now());
    } catch (err) {
      queued.reject(err);
      return;
    }
    this.#run = run;
    if (o.signal?.aborted) void this.interruptRun(run, 'interrupted');
    if (o.timeoutMs !== undefined)
      run.timer = setTimeout(() => void this.interruptRun(run, 'timeout'), o.timeoutMs);
    if (s.watchdogMs > 0) run.watchdog = setInterval(() => this.#host.watch(run), s.watchdogMs);
  }

  /** A message whose parent is one of our executions (the running one, or a stuck one). */
  handle(msg: KernelMessage): void {
    const parentId = msg.parent_header?.msg_id;
    if (parentId && parentId === this.#stuckMsgId) {
      if (msg.channel === 'shell' && msg.header?.msg_type === 'execute_reply') {
        this.#stuckMsgId = undefined;
        this.#host.settings.logger.info('kernel-client: the stuck cell finished', {
          kernelId: this.#host.kernelId,
        });
      }
      return;
    }
    const run = this.#run;
    if (!run || parentId !== run.msgId) return;
    if (applyRunMessage(run, msg) === 'input_request') {
      try {
        this.#host.send('stdin', 'input_reply', { status: 'error', value: '' }, msg.header);
      } catch {
        // the connection is down; the run fails through the socket events
      }
    }
    if (run.reply && run.idle) this.finish(run);
    else if (run.reply && msg.channel === 'iopub') run.quietTimer?.refresh();
    else if (run.reply && !run.quietTimer) {
      // The reply came but IOPub's idle has not: normally it follows within milliseconds. If IOPub
      // stays silent, either a huge output is still in transit or its messages were lost (e.g. the
      // server was still subscribing to a restarted kernel). A fresh request's IOPub status comes
      // behind anything still in transit: once it is here and our idle is not, finish with what
      // arrived rather than hang.
      run.quietTimer = setTimeout(() => {
        void this.#host.iopubFlushed(IOPUB_FLUSH_MS).then(() => {
          if (run.settled) return;
          run.collector.addWarning(
            'The kernel replied but its IOPub "idle" status never arrived; outputs may be incomplete.',
          );
          this.finish(run);
        });
      }, IOPUB_QUIET_MS);
    }
  }

  finish(run: Run, override?: { status: ExecutionStatus; warning?: string }): void {
    if (!settleRun(run)) return;
    if (this.#run === run) this.#run = undefined;
    const result = buildResult(run, this.#host.settings.now(), override);
    for (const f of run.onSettled) f();
    run.queued.resolve(result);
    queueMicrotask(() => this.pump());
  }

  fail(run: Run, err: KernelClientError): void {
    if (!settleRun(run)) return;
    if (this.#run === run) this.#run = undefined;
    for (const f of run.onSettled) f();
    run.queued.reject(err);
  }

  /** Reject the running execution with `runErr` and every queued one with `err`. */
  failAll(err: KernelClientError, runErr: KernelClientError = err): void {
    const run = this.#run;
    if (run) this.fail(run, runErr);
    for (const queued of this.#queue.splice(0)) queued.reject(err);
  }

  /** Interrupt a run; resolves true if it ended within the grace period. */
  interruptRun(run: Run, reason: 'timeout' | 'interrupted'): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      if (run.settled) {
        resolve(true);
        return;
      }
      let gaveUp = false;
      run.onSettled.push(() => resolve(!gaveUp && !run.gaveUp));
      if (run.reason) return;
      run.reason = reason;
      this.#host.postInterrupt().catch((err) => {
        run.collector.addWarning(
          `Interrupting the kernel failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
      const graceMs = this.#host.settings.interruptGraceMs;
      run.graceTimer = setTimeout(() => {
        if (run.settled) return;
        gaveUp = true;
        run.gaveUp = true;
        this.#stuckMsgId = run.msgId;
        const secs = Math.round(graceMs / 100) / 10;
        this.finish(run, {
          status: reason,
          warning: `${reason === 'timeout' ? `Timed out after ${run.queued.options.timeoutMs} ms, and the` : 'The'} kernel did not stop within ${secs} s of an interrupt (SIGINT): it is still running this cell and may ignore interrupts. Restart the kernel to use it again (its state will be lost).`,
        });
        const stuck = this.refusal()!;
        for (const queued of this.#queue.splice(0)) queued.reject(stuck);
        resolve(false);
      }, graceMs);
    });
  }
}
