import { NotebookError } from '../errors.js';

interface Lane {
  /** The last exclusive operation (settles, never rejects). */
  tail: Promise<void>;
  /** Shared operations started after `tail`. */
  readers: Set<Promise<void>>;
  /** Operations queued or running in this lane. */
  pending: number;
}

const settled = (p: Promise<unknown>): Promise<void> =>
  p.then(
    () => {},
    () => {},
  );

function cancelled(key: string, signal: AbortSignal): NotebookError {
  const why = signal.reason instanceof Error ? `: ${signal.reason.message}` : '';
  return new NotebookError(
    'CANCELLED',
    `The operation on '${key}' was cancelled before it ran${why}. Nothing was written.`,
    {
      path: key,
    },
  );
}

/**
 * One lane per key (a notebook path): exclusive operations (writes) run one at a time, in call order;
 * shared operations (reads) run together, after the writes queued before them and before the writes
 * queued after them. Share one queue between everything in a process that writes notebooks.
 */
export class PathQueue {
  readonly #lanes = new Map<string, Lane>();

  #lane(key: string): Lane {
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { tail: Promise.resolve(), readers: new Set(), pending: 0 };
      this.#lanes.set(key, lane);
    }
    return lane;
  }

  #done(key: string, lane: Lane): void {
    lane.pending--;
    if (lane.pending === 0 && this.#lanes.get(key) === lane) this.#lanes.delete(key);
  }

  /** Run `fn` alone on `key`, after everything queued before it. */
  exclusive<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const lane = this.#lane(key);
    const before = Promise.all([lane.tail, ...lane.readers]);
    const run = this.#start(key, lane, before, fn, signal);
    // The next writer waits for this one and for everything before it (this one may end early when
    // its signal fires while it waits).
    lane.tail = settled(before.then(() => run));
    lane.readers = new Set();
    return run;
  }

  /** Run `fn` on `key` alongside other shared operations, but never alongside an exclusive one. */
  shared<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const lane = this.#lane(key);
    const run = this.#start(key, lane, lane.tail, fn, signal);
    const mark = settled(run);
    lane.readers.add(mark);
    void mark.then(() => lane.readers.delete(mark));
    return run;
  }

  /** Operations queued or running (all keys). */
  get size(): number {
    let n = 0;
    for (const lane of this.#lanes.values()) n += lane.pending;
    return n;
  }

  /** Resolves when everything queued so far has finished. */
  async idle(): Promise<void> {
    while (this.#lanes.size) {
      await Promise.all([...this.#lanes.values()].flatMap((l) => [l.tail, ...l.readers]));
      await Promise.resolve();
    }
  }

  #start<T>(
    key: string,
    lane: Lane,
    before: Promise<unknown>,
    fn: () => Promise<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    lane.pending++;
    const run = (async () => {
      try {
        if (signal?.aborted) throw cancelled(key, signal);
        if (signal) {
          let onAbort: (() => void) | undefined;
          const aborted = new Promise<never>((_, reject) => {
            onAbort = () => reject(cancelled(key, signal));
            signal.addEventListener('abort', onAbort, { once: true });
          });
          try {
            await Promise.race([before, aborted]);
          } finally {
            signal.removeEventListener('abort', onAbort!);
          }
        } else await before;
        return await fn();
      } finally {
        this.#done(key, lane);
      }
    })();
    return run;
  }
}
