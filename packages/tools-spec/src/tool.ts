import type { JupyterConnection, Logger } from '@jupyter-mcp/jupyter-auth';
import type { KernelClient } from '@jupyter-mcp/kernel-client';
import type { z } from 'zod';
import type { ToolDeps } from './deps.js';
import type { NotebookFiles } from './internal/notebooks.js';
import type { SessionState } from './session.js';

export type TextBlock = { type: 'text'; text: string };
export type ImageContent = { type: 'image'; data: string; mimeType: string };
export type ContentBlock = TextBlock | ImageContent;

export interface ToolResult {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  [key: string]: unknown;
}

export interface ToolAnnotations {
  title?: string;
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/**
 * What a tool is, beyond the MCP annotations (which say read-only and destructive): apps decide policy
 * from these (the HTTP app refuses server control unless allowed, and session-bound calls when
 * stateless), prompts are offered only with the tools they need, and tasks only for long tools.
 */
export interface ToolTraits {
  /** The kernel it uses: `session` — kernel_id, else the kernel of notebook_path, else this MCP
   *  session's default kernel; `notebook` — the kernel of the notebook it acts on; `fresh` — one it
   *  starts for the call (or a given kernel_id). */
  kernel?: 'session' | 'notebook' | 'fresh';
  /** Starts or stops the Jupyter Server every client shares, or stops every kernel on it. A predicate
   *  when only some arguments do (cleanup_kernels with all: true). */
  serverControl?: boolean | ((args: Record<string, unknown>) => boolean);
  /** Needs state kept between calls of one MCP session. A refusal (stateless HTTP) reads "<tool>
   *  <what>, which needs an MCP session… <instead>"; `when` limits it to some arguments. */
  sessionState?: { what: string; instead: string; when?: (args: Record<string, unknown>) => boolean };
  /** Can run for minutes: offered as an MCP task (2025-11-25 `tools/call` with `task`) to clients
   *  that support tasks. */
  longRunning?: boolean;
}

/** What a handler gets besides its arguments. */
export interface ToolContext {
  deps: ToolDeps;
  session: SessionState;
  logger: Logger;
  /** Aborted when the client cancels the request. */
  signal: AbortSignal;
  /** Send a progress notification (no-op unless the client sent a progressToken). */
  progress(progress: number, total?: number, message?: string): void;
  /** A working connection (throws `JupyterUnavailableError` with the doctor's finding). */
  connection(): Promise<JupyterConnection>;
  /** The shared kernel client of the current connection. */
  kernels(): Promise<KernelClient>;
  /** Notebook and file access through the Contents API. */
  files(): Promise<NotebookFiles>;
}

/** One MCP tool: its contract (name, description, schemas, annotations) and its handler. */
export interface ToolDefinition<
  I extends z.ZodRawShape = z.ZodRawShape,
  O extends z.ZodRawShape = z.ZodRawShape,
> {
  name: string;
  title: string;
  /** LLM-facing: what it does, when to use it, what it returns. */
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
  /** False for tools that work without Jupyter (e.g. diagnose_connection). Default true. */
  needsJupyter?: boolean;
  traits?: ToolTraits;
  handler(args: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<ToolResult>;
}

/** Typed helper so each tool file infers its argument type from its schema. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(
  def: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return def;
}

/** A successful result: readable text plus structured content (and optional images). */
export function ok(
  text: string,
  structured: Record<string, unknown>,
  images: ImageContent[] = [],
): ToolResult {
  return { content: [{ type: 'text', text }, ...images], structuredContent: structured };
}
