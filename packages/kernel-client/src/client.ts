import type { JupyterConnection, Logger } from '@jupyter-mcp/jupyter-auth';
import { KernelClientError, toKernelClientError } from './errors.js';
import { KernelHandle } from './handle.js';
import type { HandleSettings } from './internal/handle-settings.js';
import { normalisePath, toKernelInfo, toKernelSpecList, toSessionInfo } from './internal/rest.js';
import { DEFAULT_RECONNECT, type ReconnectOptions } from './internal/socket.js';
import type { KernelInfo, KernelSpecList, OutputLimits, SessionInfo } from './types.js';

export interface KernelPoolOptions {
  /** Kernels kept started and connected, per kernelspec (default 1). */
  size?: number;
  /** Kernelspecs to pool (default: the server's default kernelspec). */
  specs?: string[];
}

export interface KernelClientOptions {
  connection: JupyterConnection;
  /** Default: the connection's logger. */
  logger?: Logger;
  /** Per-output memory bounds (head + tail characters, outputs per execution, largest mime value). */
  outputLimits?: Partial<OutputLimits>;
  /** Monotonic milliseconds (default `performance.now`). */
  clock?: { now(): number };
  /** How long an interrupt may take before the kernel is reported stuck (default 5,000 ms). */
  interruptGraceMs?: number;
  /** How long to wait for a new or attached kernel to answer (default 60,000 ms). */
  readyTimeoutMs?: number;
  /** While a cell runs, check this often that its kernel still exists (default 3,000 ms; 0 = never). */
  watchdogMs?: number;
  /** Websocket reconnect backoff. */
  reconnect?: Partial<ReconnectOptions>;
  /** Keep pre-started kernels so the first execution does not pay the kernel start. */
  pool?: KernelPoolOptions;
}

export interface StartKernelOptions {
  /** Kernelspec name (default: the server's default). */
  name?: string;
  /** Bind the kernel to this notebook as a Jupyter session, so JupyterLab shows the same kernel. */
  notebookPath?: string;
}

/**
 * Kernels, sessions and execution on one Jupyter Server. `close()` closes our websockets and
 * shuts down pooled kernels nobody took; it never stops kernels handed out.
 */
export class KernelClient {
  readonly connection: JupyterConnection;
  readonly #settings: HandleSettings;
  readonly #handles = new Set<KernelHandle>();
  readonly #pool = new Map<string, KernelHandle[]>();
  readonly #poolStarting = new Map<string, Set<Promise<void>>>();
  readonly #poolOptions: KernelPoolOptions | undefined;
  #poolSpecs: string[] | undefined;
  #closed = false;

  constructor(options: KernelClientOptions) {
    if (!options?.connection) {
      throw new KernelClientError(
        'INVALID_ARGUMENT',
        'new KernelClient({ connection }): a JupyterConnection is required.',
      );
    }
    this.connection = options.connection;
    const clock = options.clock ?? performance;
    this.#settings = {
      connection: options.connection,
      logger: options.logger ?? options.connection.logger,
      outputLimits: options.outputLimits ?? {},
      now: () => clock.now(),
      interruptGraceMs: options.interruptGraceMs ?? 5000,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
      watchdogMs: options.watchdogMs ?? 3000,
      reconnect: { ...DEFAULT_RECONNECT, ...options.reconnect },
      onDispose: (h) => this.#handles.delete(h),
    };
    this.#poolOptions = options.pool;
  }

  async listKernelSpecs(): Promise<KernelSpecList> {
    return toKernelSpecList(await this.#json('GET', 'api/kernelspecs', 'Listing kernelspecs'));
  }

  async listKernels(): Promise<KernelInfo[]> {
    const list = await this.#json('GET', 'api/kernels', 'Listing kernels');
    return (Array.isArray(list) ? list : []).map(toKernelInfo);
  }

  async listSessions(): Promise<SessionInfo[]> {
    const list = await this.#json('GET', 'api/sessions', 'Listing sessions');
    return (Array.isArray(list) ? list : []).map(toSessionInfo);
  }

  /** Start a kernel (from the pool when one is ready), optionally bound to a notebook as a session. */
  async startKernel(options: StartKernelOptions = {}): Promise<KernelHandle> {
    this.#assertOpen();
    const name = options.name ?? (await this.#defaultSpec());
    const pooled = await this.#takeFromPool(name);
    this.#refill(name);
    if (pooled) {
      this.#handles.add(pooled);
      if (options.notebookPath === undefined) return pooled;
      // Bind the warm kernel to the notebook: POST /api/sessions with its id.
      try {
        const session = await this.#createSession(options.notebookPath, { id: pooled.id });
        pooled._bindSession(session.id, session.path);
        return pooled;
      } catch (err) {
        await pooled.shutdown().catch(() => {});
        throw err;
      }
    }
    if (options.notebookPath !== undefined) {
      const session = await this.#createSession(options.notebookPath, { name }).catch(async (err) => {
        throw await this.#specError(name, err);
      });
      return this.#connect({
        id: session.kernel.id,
        name: session.kernel.name || name,
        sessionId: session.id,
        notebookPath: session.path,
      });
    }
    let model: ReturnType<typeof toKernelInfo>;
    try {
      model = toKernelInfo(
        await this.#json('POST', 'api/kernels', `Starting a "${name}" kernel`, { body: { name } }),
      );
    } catch (err) {
      throw await this.#specError(name, err);
    }
    return this.#connect({ id: model.id, name: model.name || name });
  }

  /** Connect to a running kernel by id. */
  async attachKernel(kernelId: string): Promise<KernelHandle> {
    this.#assertOpen();
    if (!kernelId || typeof kernelId !== 'string')
      throw new KernelClientError(
        'INVALID_ARGUMENT',
        'attachKernel(kernelId): kernelId must be a non-empty string.',
      );
    const model = toKernelInfo(
      await this.#json(
        'GET',
        `api/kernels/${encodeURIComponent(kernelId)}`,
        `Attaching to kernel ${kernelId}`,
        {},
        {
          notFound: 'KERNEL_NOT_FOUND',
          notFoundHint: 'No running kernel has that id; listKernels() shows the running ones.',
          kernelId,
        },
      ),
    );
    const session = (await this.listSessions()).find((s) => s.kernel.id === kernelId);
    return this.#connect({
      id: model.id,
      name: model.name,
      sessionId: session?.id,
      notebookPath: session?.path,
    });
  }

  /** The kernel of the notebook's Jupyter session, if there is one. */
  async findKernelForNotebook(path: string): Promise<KernelHandle | undefined> {
    this.#assertOpen();
    const want = normalisePath(path);
    const session = (await this.listSessions()).find((s) => s.path === want);
    if (!session) return undefined;
    return this.#connect({
      id: session.kernel.id,
      name: session.kernel.name,
      sessionId: session.id,
      notebookPath: session.path,
    });
  }

  /** Start the pool's kernels now (otherwise they start on the first `startKernel`). */
  async warmPool(): Promise<void> {
    this.#assertOpen();
    if (!this.#poolOptions) return;
    for (const spec of await this.#poolSpecNames()) this.#refill(spec);
    await Promise.allSettled(this.#allStarting());
  }

  /** Pooled kernels ready per kernelspec. */
  poolSize(): Record<string, number> {
    return Object.fromEntries([...this.#pool].map(([k, v]) => [k, v.length]));
  }

  /** Close every websocket we opened and shut down pooled kernels nobody took. Kernels handed out keep running. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled(this.#allStarting());
    const pooled = [...this.#pool.values()].flat();
    this.#pool.clear();
    await Promise.allSettled(pooled.map((h) => h.shutdown()));
    for (const h of [...this.#handles]) h.dispose();
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new KernelClientError('DISPOSED', 'This KernelClient was closed; create a new one.');
  }

  async #connect(init: {
    id: string;
    name: string;
    sessionId?: string;
    notebookPath?: string;
  }): Promise<KernelHandle> {
    const handle = new KernelHandle(init, this.#settings);
    this.#handles.add(handle);
    try {
      return await handle.connect();
    } catch (err) {
      handle.dispose();
      throw err;
    }
  }

  #allStarting(): Promise<void>[] {
    return [...this.#poolStarting.values()].flatMap((set) => [...set]);
  }

  async #createSession(notebookPath: string, kernel: { name?: string; id?: string }): Promise<SessionInfo> {
    const path = normalisePath(notebookPath);
    if (!path)
      throw new KernelClientError('INVALID_ARGUMENT', 'startKernel: notebookPath must not be empty.');
    const name = path.split('/').pop() ?? path;
    return toSessionInfo(
      await this.#json(
        'POST',
        'api/sessions',
        `Starting a session for ${path}`,
        {
          body: { path, name, type: 'notebook', kernel },
        },
        {
          notFound: kernel.id ? 'KERNEL_NOT_FOUND' : 'KERNELSPEC_NOT_FOUND',
          notFoundHint: kernel.id ? 'The kernel no longer exists.' : `No kernelspec named "${kernel.name}".`,
        },
      ),
    );
  }

  /** Jupyter answers 500 for an unknown kernelspec: name the real cause when that is it. */
  async #specError(name: string, err: unknown): Promise<unknown> {
    const known = await this.listKernelSpecs().catch(() => undefined);
    if (known && !known.specs.some((s) => s.name === name)) {
      return new KernelClientError(
        'KERNELSPEC_NOT_FOUND',
        `No kernelspec named "${name}" is installed on the server (installed: ${known.specs.map((s) => s.name).join(', ') || 'none'}). Pick one of those.`,
        { cause: err },
      );
    }
    return err;
  }

  async #defaultSpec(): Promise<string> {
    const specs = await this.listKernelSpecs();
    if (!specs.default)
      throw new KernelClientError(
        'KERNELSPEC_NOT_FOUND',
        'The server reports no default kernelspec; pass a name.',
      );
    return specs.default;
  }

  async #poolSpecNames(): Promise<string[]> {
    this.#poolSpecs ??= this.#poolOptions?.specs ?? [await this.#defaultSpec()];
    return this.#poolSpecs;
  }

  /** A ready pooled kernel; waits for one being started rather than starting yet another. */
  async #takeFromPool(name: string): Promise<KernelHandle | undefined> {
    if (!this.#poolOptions) return undefined;
    for (;;) {
      const list = this.#pool.get(name) ?? [];
      while (list.length) {
        const h = list.shift()!;
        if (!h.disposed && h.connectionState === 'connected' && !h.stuck) return h;
        void h.shutdown().catch(() => {});
      }
      const starting = [...(this.#poolStarting.get(name) ?? [])];
      if (!starting.length || this.#closed) return undefined;
      await Promise.race(starting.map((p) => p.catch(() => {})));
    }
  }

  #refill(name: string): void {
    const opts = this.#poolOptions;
    if (!opts || this.#closed) return;
    if (opts.specs && !opts.specs.includes(name)) return;
    if (this.#poolSpecs && !this.#poolSpecs.includes(name)) return;
    const want = opts.size ?? 1;
    const starting = this.#poolStarting.get(name) ?? new Set<Promise<void>>();
    this.#poolStarting.set(name, starting);
    const have = (this.#pool.get(name)?.length ?? 0) + starting.size;
    for (let i = have; i < want; i++) {
      const p = (async () => {
        const model = toKernelInfo(
          await this.#json('POST', 'api/kernels', `Starting a pooled "${name}" kernel`, { body: { name } }),
        );
        const h = new KernelHandle({ id: model.id, name: model.name || name }, this.#settings);
        try {
          await h.connect();
        } catch (err) {
          await h.shutdown().catch(() => {});
          throw err;
        }
        if (this.#closed) {
          await h.shutdown().catch(() => {});
          return;
        }
        const list = this.#pool.get(name) ?? [];
        list.push(h);
        this.#pool.set(name, list);
      })();
      starting.add(p);
      p.catch((err) =>
        this.#settings.logger.warn('kernel-client: pool kernel failed to start', {
          error: err instanceof Error ? err.message : String(err),
        }),
      ).finally(() => starting.delete(p));
    }
  }

  async #json(
    method: string,
    path: string,
    context: string,
    opts: { body?: unknown } = {},
    extra?: {
      notFound?: 'KERNEL_NOT_FOUND' | 'KERNELSPEC_NOT_FOUND';
      notFoundHint?: string;
      kernelId?: string;
    },
  ): Promise<unknown> {
    try {
      // Starting a kernel (POST) waits for it to come up, which can take long on a loaded machine.
      const timeoutMs =
        method === 'POST' ? Math.max(this.#settings.readyTimeoutMs, this.connection.timeoutMs) : undefined;
      return await this.connection.json(
        method,
        path,
        timeoutMs === undefined ? opts : { ...opts, timeoutMs },
      );
    } catch (err) {
      throw toKernelClientError(err, context, extra);
    }
  }
}
