import { describe, expect, it } from 'vitest';
import { DURATION_BUCKETS, Metrics } from '../src/metrics.js';

describe('Metrics', () => {
  it('renders the Prometheus text format with cumulative histogram buckets', () => {
    const m = new Metrics({ activeSessions: () => 3, inflightCalls: () => 1 });
    m.toolCall('execute_code', 'ok', 0.02);
    m.toolCall('execute_code', 'ok', 3);
    m.toolCall('execute_code', 'error', 0.5);
    m.kernelStarted(2);
    m.sessionOpened();
    m.request('/mcp', 200);
    m.request('/mcp', 401);
    const text = m.render();
    expect(text).toContain('# TYPE jupyter_mcp_tool_calls_total counter');
    expect(text).toContain('jupyter_mcp_tool_calls_total{tool="execute_code",outcome="ok"} 2');
    expect(text).toContain('jupyter_mcp_tool_calls_total{tool="execute_code",outcome="error"} 1');
    expect(text).toContain('jupyter_mcp_tool_call_duration_seconds_bucket{tool="execute_code",le="0.025"} 1');
    expect(text).toContain('jupyter_mcp_tool_call_duration_seconds_bucket{tool="execute_code",le="0.5"} 2');
    expect(text).toContain('jupyter_mcp_tool_call_duration_seconds_bucket{tool="execute_code",le="5"} 3');
    expect(text).toContain('jupyter_mcp_tool_call_duration_seconds_bucket{tool="execute_code",le="+Inf"} 3');
    expect(text).toContain('jupyter_mcp_tool_call_duration_seconds_count{tool="execute_code"} 3');
    expect(text).toContain('jupyter_mcp_active_sessions 3');
    expect(text).toContain('jupyter_mcp_inflight_tool_calls 1');
    expect(text).toContain('jupyter_mcp_kernels_started_total 2');
    expect(text).toContain('jupyter_mcp_http_requests_total{route="/mcp",status="401"} 1');
    expect(DURATION_BUCKETS).toEqual([...DURATION_BUCKETS].sort((a, b) => a - b));
    // Every sample line is `name{labels} value` or `name value`.
    for (const line of text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#')))
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
  });
});
