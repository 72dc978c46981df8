/**
 * Notebook runs the server keeps for its whole lifetime: started by `execute_notebook`, polled with
 * `get_job`, listed per MCP session with `list_jobs`, cancelled with `cancel_job`. A job outlives the
 * MCP session (and the client connection) that started it; `close()` cancels what still runs when the
 * process shuts down.
 */
import { randomUUID } from 'node:crypto';
import type { JupyterConnection, Logger } from '@jupyter-mcp/jupyter-auth';
import { KernelClient } from '@jupyter-mcp/kernel-client';
import type { Notebook } from '@jupyter-mcp/notebook-model';
import type { RunEvent, RunNotebookResult } from './runner.js';

export type JobStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobCurrentCell {
  index: number;
  cellId: string | null;
  startedAt: number;
}

/** A job as `get_job` reports it (live fields are updated by the run's events). */
export interface Job {
  readonly id: string;
  /** MCP session that started it. */
  readonly sessionId: string;
  readonly path: string;
  readonly outputPath: string;
  readonly background: boolean;
  readonly startedAt: Date;
  status: JobStatus;
  endedAt: Date | undefined;
  kernelId: string | undefined;
  kernelName: string | undefined;
  /** True when the run started its kernel (and shuts it down at the end). */
  ownsKernel: boolean;
  /** The Jupyter connection the job's kernel lives on. */
  connection: JupyterConnection | undefined;
  cellsDone: number;
  cellsTotal: number;
  current: JobCurrentCell | undefined;
  errors: { index: number; cellId: string | null; ename: string; evalue: string }[];
  /** Set when the run ended (dropped for older finished jobs to bound memory; status and errors stay). */
  result: RunNotebookResult | undefined;
  /** The notebook being run (live: outputs appear as cells finish); cleared when the job ends. */
  live: Notebook | undefined;
  /** Set when the run could not start or crashed (not a cell error). */
  failure: Error | undefined;
  /** Resolves when the run ended (never rejects). */
  readonly done: Promise<void>;
  /** Ask the run to stop (interrupts the running cell). */
  cancel(): void;
  readonly cancelRequested: boolean;
}

export interface JobRegistryOptions {
  logger?: Logger;
  /** Finished jobs kept for get_job / list_jobs (oldest dropped first; default 200). */
  keepFinished?: number;
  /** Finished jobs that keep their full result (outputs) for get_job include_outputs (default 20). */
  keepResults?: number;
  /** Extra options of the kernel clients the registry creates (one per connection). */
  outputLimits?: { headChars?: number; tailChars?: number; maxOutputs?: number };
}

export interface StartJobOptions {
  sessionId: string;
  path: string;
  outputPath: string;
  background: boolean;
  cellsTotal: number;
  /** The notebook the run mutates, for get_job outputs while it runs. */
  live?: Notebook;
  /** The run: gets the job's abort signal and an event sink; resolves with the result. */
  run(signal: AbortSignal, onEvent: (e: RunEvent) => void, job: Job): Promise<RunNotebookResult>;
}

const DEFAULT_OUTPUT_LIMITS = { headChars: 500_000, tailChars: 500_000, maxOutputs: 2000 };

/** Process-wide job table (one per server process; the app creates it and closes it at shutdown). */
export class JobRegistry {
  readonly #jobs = new Map<string, Job>();
  readonly #logger: Logger | undefined;
  readonly #keep: number;
  readonly #keepResults: number;
  readonly #clients = new Map<JupyterConnection, KernelClient>();
  readonly #outputLimits: JobRegistryOptions['outputLimits'];
  #closed = false;

  constructor(options: JobRegistryOptions = {}) {
    this.#logger = options.logger;
    this.#keep = options.keepFinished ?? 200;
    this.#keepResults = options.keepResults ?? 20;
    this.#outputLimits = options.outputLimits ?? DEFAULT_OUTPUT_LIMITS;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * A kernel client owned by the registry for this connection: jobs keep their kernel websockets even
   * when the MCP session that started them ends or the tools' own client is replaced.
   */
  kernelClient(connection: JupyterConnection): KernelClient {
    let c = this.#clients.get(connection);
    if (!c) {
      c = new KernelClient({
        connection,
        ...(this.#logger ? { logger: this.#logger } : {}),
        outputLimits: this.#outputLimits ?? DEFAULT_OUTPUT_LIMITS,
      });
      this.#clients.set(connection, c);
    }
    return c;
  }

  /** Start a job; the run begins at once (the caller has validated everything it could). */
  start(options: StartJobOptions): Job {
    if (this.#closed) throw new Error('The job registry was closed (the server is shutting down).');
    const abort = new AbortController();
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => {
      resolveDone = r;
    });
    const job: Job = {
      id: `job-${randomUUID().slice(0, 8)}`,
      sessionId: options.sessionId,
      path: options.path,
      outputPath: options.outputPath,
      background: options.background,
      startedAt: new Date(),
      status: 'running',
      endedAt: undefined,
      kernelId: undefined,
      kernelName: undefined,
      ownsKernel: false,
      connection: undefined,
      cellsDone: 0,
      cellsTotal: options.cellsTotal,
      current: undefined,
      errors: [],
      result: undefined,
      live: options.live,
      failure: undefined,
      done,
      cancel: () => abort.abort(),
      get cancelRequested() {
        return abort.signal.aborted;
      },
    };
    this.#jobs.set(job.id, job);
    const onEvent = (e: RunEvent) => {
      if (e.type === 'cell-start') {
        job.current = { index: e.index, cellId: e.cellId, startedAt: Date.now() };
        job.cellsTotal = e.total;
      } else if (e.type === 'cell-end') {
        job.current = undefined;
        job.cellsDone = e.done;
        if (e.error) job.errors.push({ index: e.index, cellId: e.cellId, ...e.error });
      }
    };
    void (async () => {
      try {
        const result = await options.run(abort.signal, onEvent, job);
        job.result = result;
        job.status = result.status;
        job.errors = result.errors.map((e) => ({
          index: e.index,
          cellId: e.cellId,
          ename: e.ename,
          evalue: e.evalue,
        }));
        job.cellsDone = result.cells.filter(
          (c) => c.cellType === 'code' && (c.status === 'completed' || c.status === 'failed'),
        ).length;
      } catch (err) {
        job.failure = err instanceof Error ? err : new Error(String(err));
        job.status = abort.signal.aborted ? 'cancelled' : 'failed';
        this.#logger?.warn(`notebook job ${job.id} (${job.path}) failed: ${job.failure.message}`);
      } finally {
        job.current = undefined;
        job.live = undefined;
        job.endedAt = new Date();
        this.#prune();
        resolveDone();
      }
    })();
    return job;
  }

  get(id: string): Job | undefined {
    return this.#jobs.get(id);
  }

  /** Jobs of one MCP session (all jobs when `sessionId` is undefined), oldest first. */
  list(sessionId?: string): Job[] {
    return [...this.#jobs.values()].filter((j) => sessionId === undefined || j.sessionId === sessionId);
  }

  /**
   * Cancel every running job and wait for them to save and stop their kernels (bounded by `timeoutMs`,
   * which fits the app's shutdown budget); kernels of jobs still stopping after that are shut down.
   */
  async close(timeoutMs = 6000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const running = [...this.#jobs.values()].filter((j) => j.status === 'running');
    for (const j of running) j.cancel();
    if (running.length) {
      this.#logger?.info(`cancelling ${running.length} running notebook job(s)`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(running.map((j) => j.done)),
        new Promise<void>((r) => {
          timer = setTimeout(r, timeoutMs);
          timer.unref?.();
        }),
      ]);
      if (timer) clearTimeout(timer);
      const stuck = running.filter(
        (j) => j.status === 'running' && j.ownsKernel && j.kernelId && j.connection,
      );
      await Promise.all(
        stuck.map((j) =>
          j
            .connection!.request('DELETE', `api/kernels/${encodeURIComponent(j.kernelId!)}`, {
              allowStatus: [404],
              timeoutMs: 3000,
            })
            .then((r) => r.arrayBuffer())
            .catch((err: unknown) =>
              this.#logger?.warn(`could not stop the kernel of job ${j.id}: ${(err as Error).message}`),
            ),
        ),
      );
    }
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  }

  #prune(): void {
    const finished = [...this.#jobs.values()].filter((j) => j.status !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - this.#keep))) this.#jobs.delete(j.id);
    for (const j of finished.slice(0, Math.max(0, finished.length - this.#keepResults))) j.result = undefined;
  }
}
