import type { Readable } from 'node:stream';
import type { Logger } from '@jupyter-mcp/jupyter-auth';

export type ShutdownReason =
  | 'SIGINT'
  | 'SIGTERM'
  | 'SIGHUP'
  | 'stdin-closed'
  | 'parent-died'
  | 'client-closed'
  | 'requested';

export interface LifecycleOptions {
  logger: Logger;
  /** Cleanup run once, whatever the reason (stop kernels, stop the embedded server). */
  cleanup: (reason: ShutdownReason) => Promise<void>;
  /** Watch this stream's end/close (stdio mode: process.stdin). */
  stdin?: Readable;
  /** Poll the parent pid and shut down when the parent dies (default true). */
  watchParent?: boolean;
  parentPollMs?: number;
  /** Upper bound of the cleanup before `done` resolves anyway (default 10 s). */
  cleanupTimeoutMs?: number;
}

export interface Lifecycle {
  /** Start shutting down (idempotent). */
  shutdown(reason: ShutdownReason): Promise<void>;
  /** Resolves with the reason once cleanup finished. */
  readonly done: Promise<ShutdownReason>;
  readonly stopping: boolean;
}

/**
 * Wires process-level shutdown: SIGINT, SIGTERM, SIGHUP, stdin closed, parent death. Calls `cleanup`
 * once and resolves `done`; the caller (the CLI's main) decides how to exit.
 */
export function createLifecycle(options: LifecycleOptions): Lifecycle {
  let resolveDone!: (r: ShutdownReason) => void;
  const done = new Promise<ShutdownReason>((r) => {
    resolveDone = r;
  });
  let started: Promise<void> | undefined;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = new Map<NodeJS.Signals, () => void>();
  let timer: NodeJS.Timeout | undefined;

  const detach = () => {
    for (const [s, h] of handlers) process.off(s, h);
    if (timer) clearInterval(timer);
    options.stdin?.off('end', onStdinEnd);
    options.stdin?.off('close', onStdinEnd);
  };

  const shutdown = (reason: ShutdownReason): Promise<void> => {
    if (started) return started;
    options.logger.info(`shutting down (${reason})`);
    started = (async () => {
      const limit = options.cleanupTimeoutMs ?? 10_000;
      let t: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          options.cleanup(reason),
          new Promise<void>((r) => {
            t = setTimeout(() => {
              options.logger.warn(`cleanup took longer than ${limit} ms; exiting anyway`);
              r();
            }, limit);
          }),
        ]);
      } catch (err) {
        options.logger.error(`cleanup failed: ${(err as Error).message}`);
      } finally {
        if (t) clearTimeout(t);
        detach();
        resolveDone(reason);
      }
    })();
    return started;
  };

  function onStdinEnd() {
    void shutdown('stdin-closed');
  }

  for (const s of signals) {
    const h = () => {
      if (started) {
        // A second signal while cleaning up: stop waiting.
        detach();
        resolveDone(s as ShutdownReason);
        return;
      }
      void shutdown(s as ShutdownReason);
    };
    handlers.set(s, h);
    process.on(s, h);
  }
  if (options.stdin) {
    options.stdin.on('end', onStdinEnd);
    options.stdin.on('close', onStdinEnd);
  }
  if (options.watchParent !== false) {
    const parent = process.ppid;
    timer = setInterval(() => {
      let alive = process.ppid === parent;
      if (alive) {
        try {
          process.kill(parent, 0);
        } catch (err) {
          alive = (err as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (!alive) void shutdown('parent-died');
    }, options.parentPollMs ?? 1000);
    timer.unref();
  }
  return {
    shutdown,
    done,
    get stopping() {
      return started !== undefined;
    },
  };
}
