import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppLogger } from '@jupyter-mcp/app-core';
import type { ToolDefinition, ToolResult } from '@jupyter-mcp/tools-spec';
import type { Metrics, ToolOutcome } from './metrics.js';

/** The MCP session a tool call (and everything it starts, e.g. a background job) runs for: log records
 *  emitted there reach only that session's client as MCP log messages. */
export const callSession = new AsyncLocalStorage<string>();

/** True when a log record emitted now may go to session `id` (its own, or a process-wide one). */
export function recordVisibleTo(id: string): boolean {
  const owner = callSession.getStore();
  return owner === undefined || owner === id;
}

/** Tools that control the Jupyter Server process itself (refused over HTTP unless allowed). */
export const SERVER_CONTROL_TOOLS = ['start_jupyter_server', 'stop_jupyter_server'] as const;

/** Kernel tools that fall back to the session's default kernel without kernel_id / notebook_path. */
export const SESSION_KERNEL_TOOLS = [
  'execute_code',
  'get_kernel_status',
  'interrupt_kernel',
  'restart_kernel',
  'stop_kernel',
] as const;

export interface ToolPolicy {
  stateless: boolean;
  allowServerControl: boolean;
}

/**
 * Why a call is refused under the HTTP policy, or undefined when it may run. Pure: the wrapper and
 * the unit tests use it.
 */
export function refusalReason(
  tool: string,
  args: Record<string, unknown>,
  policy: ToolPolicy,
): string | undefined {
  if (!policy.allowServerControl) {
    if ((SERVER_CONTROL_TOOLS as readonly string[]).includes(tool))
      return `Refused: ${tool} starts or stops the Jupyter Server that every client of this HTTP server shares, which jupyter-mcp http does not allow by default. Ask the operator to restart jupyter-mcp http with --allow-server-control if this is wanted.`;
    if (tool === 'cleanup_kernels' && args.all === true)
      return 'Refused: cleanup_kernels with all: true would stop the kernels of every client of this HTTP server (and of JupyterLab users). Call it without all to stop the kernels this session started, or ask the operator to restart jupyter-mcp http with --allow-server-control.';
  }
  if (policy.stateless) {
    if (args.background === true || /(^|_)jobs?(_|$)/.test(tool))
      return `Refused: ${tool} runs a background job, which needs an MCP session; this server runs with --stateless (no sessions). Run the work in the foreground, or use a jupyter-mcp http server without --stateless.`;
    if ((SESSION_KERNEL_TOOLS as readonly string[]).includes(tool) && !args.kernel_id && !args.notebook_path)
      return `Refused: ${tool} needs kernel_id or notebook_path here. This server runs with --stateless, so there is no per-session default kernel: start one with start_kernel and pass its kernel_id, or pass the notebook_path whose kernel to use.`;
    if (tool === 'cleanup_kernels')
      return 'Refused: cleanup_kernels stops the kernels this session started, and this server runs with --stateless (no sessions). Stop a kernel with stop_kernel and its kernel_id.';
  }
  return undefined;
}

export interface PolicyOptions extends ToolPolicy {
  metrics?: Metrics;
  logger: Pick<AppLogger, 'info'>;
  /** Called when a call starts and ends (in-flight gauge). */
  onCall?: (delta: 1 | -1) => void;
}

/**
 * Wrap the catalogue for HTTP: refusals (server control, stateless), one JSON log line and metrics
 * per call (tool, outcome, duration, kernels started). The Jupyter connection check runs inside the
 * wrapper so failures while Jupyter is down are counted too.
 */
export function applyHttpPolicy(defs: readonly ToolDefinition[], options: PolicyOptions): ToolDefinition[] {
  return defs.map((def) => ({
    ...def,
    needsJupyter: false,
    handler: wrap(def),
  }));

  function wrap(def: ToolDefinition): ToolDefinition['handler'] {
    return (args, ctx) => callSession.run(ctx.session.id, () => guarded(args, ctx));
    async function guarded(
      args: Parameters<ToolDefinition['handler']>[0],
      ctx: Parameters<ToolDefinition['handler']>[1],
    ): Promise<ToolResult> {
      const t0 = performance.now();
      const session = ctx.session.id;
      const finish = (outcome: ToolOutcome, kernelsStarted = 0) => {
        const seconds = (performance.now() - t0) / 1000;
        options.metrics?.toolCall(def.name, outcome, seconds);
        if (kernelsStarted) options.metrics?.kernelStarted(kernelsStarted);
        options.logger.info('tool call', {
          event: 'tool_call',
          session: options.stateless ? undefined : session,
          tool: def.name,
          duration_ms: Math.round(seconds * 1000),
          outcome,
        });
      };
      const reason = refusalReason(def.name, (args ?? {}) as Record<string, unknown>, options);
      if (reason) {
        finish('refused');
        return { content: [{ type: 'text', text: reason }], isError: true };
      }
      const before = new Set(ctx.session.startedKernels.keys());
      let outcome: ToolOutcome = 'error';
      options.onCall?.(1);
      try {
        if (def.needsJupyter !== false) await ctx.connection();
        const result = await def.handler(args, ctx);
        outcome = result.isError ? 'error' : 'ok';
        return result;
      } finally {
        options.onCall?.(-1);
        let started = 0;
        for (const id of ctx.session.startedKernels.keys()) if (!before.has(id)) started++;
        finish(outcome, started);
      }
    }
  }
}
