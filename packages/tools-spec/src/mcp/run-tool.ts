import type { ToolDeps } from '../deps.js';
import { JupyterUnavailableError } from '../errors.js';
import { errorText, toToolError } from '../internal/convert.js';
import { notebookFiles } from '../internal/documents.js';
import { kernelClientFor } from '../internal/kernel-clients.js';
import { boundText } from '../render/text.js';
import type { SessionState } from '../session.js';
import type { ToolContext, ToolDefinition, ToolResult } from '../tool.js';

/** What the protocol layer passes to a tool call (a subset of the SDK's request extra). */
export interface CallExtra {
  signal: AbortSignal;
  /** The client's progress token (`_meta.progressToken`), when it asked for progress. */
  progressToken?: string | number;
  sendNotification(notification: { method: string; params: Record<string, unknown> }): Promise<void>;
}

/** The context a handler runs with: progress notifications (increasing), Jupyter access, cancellation. */
export function toolContext(deps: ToolDeps, session: SessionState, extra: CallExtra): ToolContext {
  let lastProgress = -1;
  return {
    deps,
    session,
    logger: deps.logger,
    signal: extra.signal,
    progress(progress, total, message) {
      if (extra.progressToken === undefined) return;
      const p = Math.max(progress, lastProgress + 1e-6); // progress must increase
      lastProgress = p;
      void extra
        .sendNotification({
          method: 'notifications/progress',
          params: {
            progressToken: extra.progressToken,
            progress: p,
            ...(total !== undefined ? { total } : {}),
            ...(message ? { message } : {}),
          },
        })
        .catch(() => {});
    },
    connection: () => deps.jupyter.connection(),
    async kernels() {
      return kernelClientFor(deps, await deps.jupyter.connection());
    },
    async files() {
      return notebookFiles(deps, await deps.jupyter.connection());
    },
  };
}

/**
 * Run one tool call with validated arguments. Never throws: a failure becomes an `isError` result whose
 * text says what failed, why and what to do. Text blocks are bounded and secrets redacted.
 */
export async function runTool(
  def: ToolDefinition,
  args: Record<string, unknown>,
  deps: ToolDeps,
  session: SessionState,
  extra: CallExtra,
): Promise<ToolResult> {
  const ctx = toolContext(deps, session, extra);
  const limit = deps.settings.outputLimit;
  try {
    if (def.needsJupyter !== false) await deps.jupyter.connection();
    // biome-ignore lint/suspicious/noExplicitAny: arguments were validated against this tool's schema
    const result = await def.handler(args as any, ctx);
    // Last line of defence: no text block over the limit.
    for (const c of result.content)
      if (c.type === 'text' && c.text.length > limit + 2000) c.text = boundText(c.text, limit).text;
    return redactResult(result, deps.redact);
  } catch (err) {
    const te = toToolError(err);
    if (te.code === 'JUPYTER_UNAVAILABLE' && !(err instanceof JupyterUnavailableError))
      deps.jupyter.reportFailure?.(te.cause ?? err);
    if (te.code === 'INTERNAL')
      deps.logger.error(`${def.name} failed: ${(err as Error)?.stack ?? String(err)}`);
    else deps.logger.debug(`${def.name}: ${te.code}: ${te.message}`);
    return errorResult(errorText(te), deps.redact);
  }
}

/** An `isError` result with readable text (redacted). */
export function errorResult(text: string, redact?: (t: string) => string): ToolResult {
  return { content: [{ type: 'text', text: redact ? redact(text) : text }], isError: true };
}

function redactResult(result: ToolResult, redact: ((t: string) => string) | undefined): ToolResult {
  if (!redact) return result;
  const content = result.content.map((c) => (c.type === 'text' ? { ...c, text: redact(c.text) } : c));
  let structuredContent = result.structuredContent;
  if (structuredContent) {
    const json = JSON.stringify(structuredContent);
    const red = redact(json);
    if (red !== json) {
      try {
        structuredContent = JSON.parse(red) as Record<string, unknown>;
      } catch {
        structuredContent = undefined;
      }
    }
  }
  return { ...result, content, ...(structuredContent ? { structuredContent } : {}) };
}
