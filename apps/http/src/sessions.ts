import { randomUUID } from 'node:crypto';
import type { McpSession } from '@jupyter-mcp/app-core';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { BoundedEventStore, SSE_RETRY_MS } from './event-store.js';
import type { Metrics } from './metrics.js';
import { callSession } from './policy.js';

/** One stateful MCP session over HTTP: its MCP server (with its own tool state) and transport. */
export interface SessionEntry {
  id: string;
  mcp: McpSession;
  transport: StreamableHTTPServerTransport;
  lastActive: number;
  /** Non-GET requests in progress (an open GET stream does not keep a session alive). */
  active: number;
  /** tools/call requests in progress (429 above the limit). */
  calls: number;
  /** True once `initialize` succeeded (the session id was handed out). */
  registered: boolean;
  closing?: Promise<void>;
}

export type CloseReason = 'deleted' | 'expired' | 'shutdown' | 'failed';

/**
 * The open sessions of one server: created on `initialize`, closed on DELETE, idle expiry (swept) and
 * shutdown. Closing aborts the session's running calls and stops the kernels it started.
 */
export class HttpSessions {
  private readonly map = new Map<string, SessionEntry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly options: {
      newSession: (id: string) => McpSession;
      idleTimeoutMs: number;
      keepAliveMs: number;
      maxBodyBytes: number;
      metrics: Metrics;
      log: (msg: string, fields: Record<string, unknown>) => void;
      /** Cancel the session's running background jobs and wait for them to stop (bounded). */
      cancelJobs?: (sessionId: string) => Promise<void>;
    },
  ) {
    const every = Math.max(250, Math.min(30_000, options.idleTimeoutMs / 4));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  get size(): number {
    return this.map.size;
  }

  get(id: string): SessionEntry | undefined {
    return this.map.get(id);
  }

  /** A new session, registered once its `initialize` succeeds. */
  async create(): Promise<SessionEntry> {
    const id = randomUUID();
    const mcp = this.options.newSession(id);
    const entry: SessionEntry = {
      id,
      mcp,
      lastActive: Date.now(),
      active: 0,
      calls: 0,
      registered: false,
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: () => id,
        onsessioninitialized: () => {
          entry.registered = true;
          this.map.set(id, entry);
          this.options.metrics.sessionOpened();
          this.options.log('session opened', { event: 'session_opened', session: id });
        },
        // Awaited by the transport before it answers the DELETE: the kernels are gone by then.
        onsessionclosed: () => this.close(entry, 'deleted'),
        keepAliveMs: this.options.keepAliveMs,
        maxRequestBodySize: this.options.maxBodyBytes,
        // SSE events carry ids; a client that lost its stream resumes with Last-Event-ID.
        eventStore: new BoundedEventStore(),
        retryInterval: SSE_RETRY_MS,
      }),
    };
    await mcp.server.connect(entry.transport);
    return entry;
  }

  close(entry: SessionEntry, reason: CloseReason): Promise<void> {
    // Records of the cleanup (kernels stopped, jobs cancelled) belong to this session only.
    entry.closing ??= callSession.run(entry.id, async () => {
      this.map.delete(entry.id);
      if (reason === 'expired') this.options.metrics.sessionExpired();
      await entry.transport.close().catch(() => {});
      await this.options.cancelJobs?.(entry.id).catch(() => {});
      await entry.mcp.close().catch(() => {});
      await entry.mcp.server.close().catch(() => {});
      if (entry.registered)
        this.options.log('session closed', { event: 'session_closed', session: entry.id, reason });
    });
    return entry.closing;
  }

  /** Close every session (shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.map.values()].map((e) => this.close(e, 'shutdown')));
  }

  private sweep(): void {
    const now = Date.now();
    for (const e of this.map.values())
      if (e.active === 0 && now - e.lastActive > this.options.idleTimeoutMs) {
        this.options.log('session idle: closing it', { event: 'session_expired', session: e.id });
        void this.close(e, 'expired');
      }
  }
}
