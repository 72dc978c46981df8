import type { ExecutionResult, KernelClient, KernelHandle, OutputEvent } from '@jupyter-mcp/kernel-client';
import { ToolError } from '../errors.js';
import { renderOutputs } from '../render/outputs.js';
import { boundText } from '../render/text.js';
import type { ImageContent, ToolContext } from '../tool.js';
import { toApiPath } from './paths.js';

const handlesByClient = new WeakMap<KernelClient, Map<string, KernelHandle>>();

function cache(client: KernelClient): Map<string, KernelHandle> {
  let m = handlesByClient.get(client);
  if (!m) {
    m = new Map();
    handlesByClient.set(client, m);
  }
  return m;
}

/** Remember a handle so later calls reuse its websocket. */
export function rememberHandle(client: KernelClient, handle: KernelHandle): KernelHandle {
  cache(client).set(handle.id, handle);
  return handle;
}

export function forgetHandle(client: KernelClient, id: string): void {
  const m = cache(client);
  const h = m.get(id);
  m.delete(id);
  if (h && !h.disposed) h.dispose();
}

/** A connected handle for a kernel id (reused across calls). */
export async function attach(client: KernelClient, kernelId: string): Promise<KernelHandle> {
  const m = cache(client);
  const h = m.get(kernelId);
  if (h && !h.disposed) return h;
  return rememberHandle(client, await client.attachKernel(kernelId));
}

/** Kernel id of the notebook's Jupyter session, if any. */
export async function kernelIdForNotebook(
  client: KernelClient,
  apiPath: string,
): Promise<string | undefined> {
  const sessions = await client.listSessions();
  return sessions.find((s) => s.path === apiPath)?.kernel.id;
}

export interface KernelTarget {
  kernel_id?: string;
  notebook_path?: string;
}

/**
 * The kernel a call targets: `kernel_id`, else the kernel of `notebook_path` (started and bound to
 * the notebook when `create`), else this session's default kernel (started on first use).
 */
export async function resolveKernel(
  ctx: ToolContext,
  target: KernelTarget,
  options: { create: boolean; kernelName?: string },
): Promise<KernelHandle> {
  const client = await ctx.kernels();
  if (target.kernel_id && target.notebook_path)
    throw new ToolError('INVALID_ARGUMENT', 'Both kernel_id and notebook_path were given.', {
      hint: 'Pass only one of them.',
    });
  if (target.kernel_id) return attach(client, target.kernel_id);
  if (target.notebook_path) {
    const path = toApiPath(target.notebook_path, ctx.deps.settings.root, 'notebook_path');
    const id = await kernelIdForNotebook(client, path);
    if (id) return attach(client, id);
    if (!options.create)
      throw new ToolError('KERNEL_NOT_FOUND', `No kernel is attached to the notebook '${path}'.`, {
        hint: 'start_kernel with notebook_path starts one bound to it (execute_cell does it automatically).',
      });
    const h = rememberHandle(
      client,
      await client.startKernel({ name: options.kernelName, notebookPath: path }),
    );
    ctx.session.startedKernels.set(h.id, { name: h.name, notebookPath: path });
    return h;
  }
  const def = ctx.session.defaultKernelId;
  if (def) {
    try {
      const h = await attach(client, def);
      const st = await h.status();
      if (st.executionState !== 'dead') return h;
    } catch {
      // gone: start a new default below
    }
    ctx.session.defaultKernelId = undefined;
  }
  if (!options.create)
    throw new ToolError('KERNEL_NOT_FOUND', 'This session has no default kernel yet.', {
      hint: 'Pass kernel_id or notebook_path, or run execute_code once (it starts a default kernel).',
    });
  const h = rememberHandle(client, await client.startKernel({ name: options.kernelName }));
  ctx.session.startedKernels.set(h.id, { name: h.name });
  ctx.session.defaultKernelId = h.id;
  ctx.logger.info(`started the session's default kernel ${h.id} (${h.name})`);
  return h;
}

export interface RunOutcome {
  result: ExecutionResult;
  text: string;
  images: ImageContent[];
  truncated: boolean;
  error: { ename: string; evalue: string } | undefined;
}

/**
 * Execute code on a handle with progress notifications per output, cancellation → interrupt, and
 * the rendered, bounded result.
 */
export async function runCode(
  ctx: ToolContext,
  handle: KernelHandle,
  code: string,
  timeoutS: number | undefined,
  location: string,
): Promise<RunOutcome> {
  const timeout = timeoutS ?? ctx.deps.settings.executionTimeoutS;
  let outputs = 0;
  let lastSent = 0;
  const onOutput = (ev: OutputEvent) => {
    if (ev.kind !== 'output') return;
    outputs++;
    const now = Date.now();
    // At most ~10 notifications a second: a chatty cell must not flood the client.
    if (now - lastSent < 100) return;
    lastSent = now;
    const o = ev.output;
    let msg: string = o.output_type;
    if (o.output_type === 'stream') {
      const lines = o.text
        .replace(/\r/g, '\n')
        .split('\n')
        .filter((l) => l.trim());
      msg = (lines[lines.length - 1] ?? '').slice(0, 200);
    }
    ctx.progress(outputs, undefined, msg);
  };
  ctx.progress(0, undefined, 'running');
  const result = await handle.execute(code, { timeoutMs: timeout * 1000, signal: ctx.signal, onOutput });
  const rendered = renderOutputs(result.outputs, {
    imageLimitBytes: ctx.deps.settings.imageLimitBytes,
    location,
  });
  const header = statusLine(result, handle, timeout);
  const warnings = result.warnings.length
    ? `\n${result.warnings.map((w) => `warning: ${w}`).join('\n')}`
    : '';
  const body = rendered.text ? `\n${rendered.text}` : '\n(no output)';
  const b = boundText(
    header + warnings + body,
    ctx.deps.settings.outputLimit,
    `the full output stays in ${location}`,
  );
  return {
    result,
    text: b.text,
    images: rendered.images,
    truncated: b.omitted > 0 || Boolean(result.truncated?.droppedChars),
    error: rendered.error ?? result.error,
  };
}

function statusLine(result: ExecutionResult, handle: KernelHandle, timeoutS: number): string {
  const secs = (result.durationMs / 1000).toFixed(2);
  const exec = result.executionCount != null ? `[${result.executionCount}] ` : '';
  switch (result.status) {
    case 'ok':
      return `${exec}ok in ${secs} s (kernel ${handle.id})`;
    case 'error':
      return `${exec}error in ${secs} s (kernel ${handle.id})`;
    case 'timeout':
      return `${exec}timed out after ${timeoutS} s and was interrupted (kernel ${handle.id}). Pass a larger timeout_s, or make the code faster; variables set before the interrupt are kept.`;
    case 'interrupted':
      return `${exec}interrupted after ${secs} s (kernel ${handle.id})`;
    default:
      return `${exec}${result.status} after ${secs} s (kernel ${handle.id})`;
  }
}
