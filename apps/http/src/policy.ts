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

export interface ToolPolicy {
  stateless: boolean;
  allowServerControl: boolean;
}

type Args = Record<string, unknown>;

/** True when a trait given as a flag or a predicate holds for these arguments. */
function holds(trait: boolean | ((args: Args) => boolean) | undefined, args: Args): boolean {
  return typeof trait === 'function' ? trait(args) : trait === true;
}

/**
 * Why a call is refused under the HTTP policy, or undefined when it may run. Reads the tool's own
 * traits (server control, session state, which kernel it uses); pure, so the unit tests use it.
 */
export function refusalReason(def: ToolDefinition, args: Args, policy: ToolPolicy): string | undefined {
  const { name, traits = {} } = def;
  if (!policy.allowServerControl && holds(traits.serverControl, args))
    return args.all === true
      ? `Refused: ${name} with all: true would stop the kernels of every client of this HTTP server (and of JupyterLab users). Call it without all to stop the kernels this session started, or ask the operator to restart jupyter-mcp http with --allow-server-control.`
      : `Refused: ${name} starts or stops the Jupyter Server that every client of this HTTP server shares, which jupyter-mcp http does not allow by default. Ask the operator to restart jupyter-mcp http with --allow-server-control if this is wanted.`;
  if (!policy.stateless) return undefined;
  const session = traits.sessionState;
  if (session && (!session.when || session.when(args)))
    return `Refused: ${name} ${session.what}, which needs an MCP session; this server runs with --stateless (no sessions). ${session.instead}`;
  if (traits.kernel === 'session' && !args.kernel_id && !args.notebook_path)
    return `Refused: ${name} needs kernel_id or notebook_path here. This server runs with --stateless, so there is no per-session default kernel: start one with start_kernel and pass its kernel_id, or pass the notebook_path whose kernel to use.`;
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
      const reason = refusalReason(def, (args ?? {}) as Record<string, unknown>, options);
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
