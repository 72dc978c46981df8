/** Bucket bounds (seconds) of the tool-call duration histogram. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export type ToolOutcome = 'ok' | 'error' | 'refused';

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The server's counters, rendered in the Prometheus text exposition format (0.0.4). No labels carry
 * user data: tool names come from the catalogue, outcomes and HTTP routes from a fixed set.
 */
export class Metrics {
  private readonly calls = new Map<string, number>();
  private readonly durations = new Map<string, Histogram>();
  private readonly requests = new Map<string, number>();
  private kernelsStarted = 0;
  private sessionsOpened = 0;
  private sessionsExpired = 0;

  constructor(private readonly gauges: { activeSessions(): number; inflightCalls(): number }) {}

  toolCall(tool: string, outcome: ToolOutcome, seconds: number): void {
    const key = `${tool}\u0000${outcome}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    if (outcome === 'refused') return;
    let h = this.durations.get(tool);
    if (!h) {
      h = { counts: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.durations.set(tool, h);
    }
    for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= DURATION_BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  request(route: string, status: number): void {
    const key = `${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  kernelStarted(n = 1): void {
    this.kernelsStarted += n;
  }

  sessionOpened(): void {
    this.sessionsOpened++;
  }

  sessionExpired(): void {
    this.sessionsExpired++;
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP jupyter_mcp_tool_calls_total MCP tool calls by tool and outcome.');
    out.push('# TYPE jupyter_mcp_tool_calls_total counter');
    for (const [key, n] of [...this.calls].sort()) {
      const [tool, outcome] = key.split('\u0000');
      out.push(`jupyter_mcp_tool_calls_total{tool="${escapeLabel(tool!)}",outcome="${outcome}"} ${n}`);
    }
    out.push(
      '# HELP jupyter_mcp_tool_call_duration_seconds Duration of MCP tool calls (execution included).',
    );
    out.push('# TYPE jupyter_mcp_tool_call_duration_seconds histogram');
    for (const [tool, h] of [...this.durations].sort()) {
      const t = escapeLabel(tool);
      DURATION_BUCKETS.forEach((b, i) => {
        out.push(`jupyter_mcp_tool_call_duration_seconds_bucket{tool="${t}",le="${b}"} ${h.counts[i]}`);
      });
      out.push(`jupyter_mcp_tool_call_duration_seconds_bucket{tool="${t}",le="+Inf"} ${h.count}`);
      out.push(`jupyter_mcp_tool_call_duration_seconds_sum{tool="${t}"} ${h.sum}`);
      out.push(`jupyter_mcp_tool_call_duration_seconds_count{tool="${t}"} ${h.count}`);
    }
    out.push('# HELP jupyter_mcp_active_sessions MCP sessions currently open.');
    out.push('# TYPE jupyter_mcp_active_sessions gauge');
    out.push(`jupyter_mcp_active_sessions ${this.gauges.activeSessions()}`);
    out.push('# HELP jupyter_mcp_inflight_tool_calls Tool calls running now.');
    out.push('# TYPE jupyter_mcp_inflight_tool_calls gauge');
    out.push(`jupyter_mcp_inflight_tool_calls ${this.gauges.inflightCalls()}`);
    out.push('# HELP jupyter_mcp_sessions_opened_total MCP sessions opened.');
    out.push('# TYPE jupyter_mcp_sessions_opened_total counter');
    out.push(`jupyter_mcp_sessions_opened_total ${this.sessionsOpened}`);
    out.push('# HELP jupyter_mcp_sessions_expired_total MCP sessions closed for idleness.');
    out.push('# TYPE jupyter_mcp_sessions_expired_total counter');
    out.push(`jupyter_mcp_sessions_expired_total ${this.sessionsExpired}`);
    out.push('# HELP jupyter_mcp_kernels_started_total Kernels started by MCP sessions of this server.');
    out.push('# TYPE jupyter_mcp_kernels_started_total counter');
    out.push(`jupyter_mcp_kernels_started_total ${this.kernelsStarted}`);
    out.push('# HELP jupyter_mcp_http_requests_total HTTP requests by route and status.');
    out.push('# TYPE jupyter_mcp_http_requests_total counter');
    for (const [key, n] of [...this.requests].sort()) {
      const [route, status] = key.split('\u0000');
      out.push(`jupyter_mcp_http_requests_total{route="${route}",status="${status}"} ${n}`);
    }
    return `${out.join('\n')}\n`;
  }
}
