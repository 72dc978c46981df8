import type { ToolDefinition, ToolResult } from '@jupyter-mcp/tools-spec';
import { ALL_TOOLS, SessionState } from '@jupyter-mcp/tools-spec';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../src/metrics.js';
import { applyHttpPolicy, refusalReason } from '../src/policy.js';

const stateful = { stateless: false, allowServerControl: false };
/** The real definition: the policy reads its traits. */
const tool = (name: string): ToolDefinition => ALL_TOOLS.find((t) => t.name === name)!;
const stateless = { stateless: true, allowServerControl: false };

describe('refusalReason', () => {
  it('refuses server-control tools unless allowed, naming the flag', () => {
    for (const t of ['start_jupyter_server', 'stop_jupyter_server'])
      expect(refusalReason(tool(t), {}, stateful)).toContain('--allow-server-control');
    expect(refusalReason(tool('cleanup_kernels'), { all: true }, stateful)).toContain(
      '--allow-server-control',
    );
    expect(refusalReason(tool('cleanup_kernels'), {}, stateful)).toBeUndefined();
    expect(
      refusalReason(tool('start_jupyter_server'), {}, { ...stateful, allowServerControl: true }),
    ).toBeUndefined();
  });
  it('in stateless mode needs kernel_id / notebook_path for session-kernel tools', () => {
    expect(refusalReason(tool('execute_code'), { code: '1' }, stateless)).toMatch(
      /kernel_id or notebook_path/,
    );
    expect(refusalReason(tool('execute_code'), { code: '1', kernel_id: 'k' }, stateless)).toBeUndefined();
    expect(refusalReason(tool('interrupt_kernel'), { notebook_path: 'a.ipynb' }, stateless)).toBeUndefined();
    expect(refusalReason(tool('execute_code'), { code: '1' }, stateful)).toBeUndefined();
    expect(refusalReason(tool('cleanup_kernels'), {}, stateless)).toMatch(/stop_kernel/);
    expect(refusalReason(tool('list_kernels'), {}, stateless)).toBeUndefined();
  });
  it('in stateless mode refuses background jobs', () => {
    expect(refusalReason(tool('execute_notebook'), { path: 'a.ipynb', background: true }, stateless)).toMatch(
      /background job/,
    );
    expect(refusalReason(tool('execute_notebook'), { path: 'a.ipynb' }, stateless)).toBeUndefined();
    expect(refusalReason(tool('get_job'), { job_id: 'j' }, stateless)).toMatch(/background job/);
    expect(refusalReason(tool('get_job'), { job_id: 'j' }, stateful)).toBeUndefined();
  });
});

function fakeTool(name: string, run: () => Promise<ToolResult>, started?: string): ToolDefinition {
  return {
    name,
    traits: tool(name).traits,
    title: name,
    description: '',
    inputSchema: {},
    outputSchema: {},
    annotations: { readOnlyHint: false },
    async handler(_args, ctx) {
      if (started) ctx.session.startedKernels.set(started, { name: 'python3' });
      return run();
    },
  };
}

function ctxFor(session: SessionState, connection: () => Promise<unknown> = async () => ({})) {
  return { session, connection } as any;
}

describe('applyHttpPolicy', () => {
  it('counts calls by outcome, kernels started, and logs one line per call', async () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const metrics = new Metrics({ activeSessions: () => 1, inflightCalls: () => 0 });
    const inflight: number[] = [];
    const [ok, bad, refused] = applyHttpPolicy(
      [
        fakeTool('execute_code', async () => ({ content: [] }), 'k1'),
        fakeTool('read_cell', async () => {
          throw new Error('boom');
        }),
        fakeTool('start_jupyter_server', async () => ({ content: [] })),
      ],
      {
        ...stateful,
        metrics,
        logger: { info: (m, f) => lines.push([m, f]) },
        onCall: (d) => inflight.push(d),
      },
    );
    const session = new SessionState('s1');
    await ok!.handler({ code: '1' }, ctxFor(session));
    await expect(bad!.handler({}, ctxFor(session))).rejects.toThrow('boom');
    const r = await refused!.handler({}, ctxFor(session));
    expect(r.isError).toBe(true);
    expect(inflight).toEqual([1, -1, 1, -1]);
    const text = metrics.render();
    expect(text).toContain('jupyter_mcp_tool_calls_total{tool="execute_code",outcome="ok"} 1');
    expect(text).toContain('jupyter_mcp_tool_calls_total{tool="read_cell",outcome="error"} 1');
    expect(text).toContain('jupyter_mcp_tool_calls_total{tool="start_jupyter_server",outcome="refused"} 1');
    expect(text).toContain('jupyter_mcp_kernels_started_total 1');
    expect(lines.map(([, f]) => [f?.tool, f?.outcome, f?.session])).toEqual([
      ['execute_code', 'ok', 's1'],
      ['read_cell', 'error', 's1'],
      ['start_jupyter_server', 'refused', 's1'],
    ]);
  });
  it('checks the Jupyter connection inside the wrapper, so failures are counted', async () => {
    const metrics = new Metrics({ activeSessions: () => 0, inflightCalls: () => 0 });
    const [t] = applyHttpPolicy([fakeTool('list_kernels', async () => ({ content: [] }))], {
      ...stateful,
      metrics,
      logger: { info: () => {} },
    });
    expect(t!.needsJupyter).toBe(false);
    await expect(
      t!.handler(
        {},
        ctxFor(new SessionState(), async () => {
          throw new Error('down');
        }),
      ),
    ).rejects.toThrow('down');
    expect(metrics.render()).toContain('jupyter_mcp_tool_calls_total{tool="list_kernels",outcome="error"} 1');
  });
});
