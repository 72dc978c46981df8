/** Public data shapes of @jupyter-mcp/kernel-client. */

export interface KernelSpecInfo {
  name: string;
  displayName: string;
  language: string;
}

export interface KernelSpecList {
  /** Name of the server's default kernelspec. */
  default: string;
  specs: KernelSpecInfo[];
}

export type KernelExecutionState =
  | 'starting'
  | 'idle'
  | 'busy'
  | 'restarting'
  | 'autorestarting'
  | 'dead'
  | 'terminating'
  | 'unknown';

export interface KernelInfo {
  id: string;
  /** Kernelspec name, e.g. `python3`. */
  name: string;
  executionState: KernelExecutionState;
  /** Number of websocket connections the server counts. */
  connections: number;
  /** ISO timestamp of the last kernel activity, when the server reports one. */
  lastActivity: string | undefined;
}

export interface SessionInfo {
  id: string;
  /** Notebook path relative to the server root (no leading slash). */
  path: string;
  name: string;
  type: string;
  kernel: KernelInfo;
}

/** nbformat v4 output objects. Text is always a single string (not a list of lines). */
export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: string;
}
export type MimeBundle = Record<string, unknown>;
export interface DisplayDataOutput {
  output_type: 'display_data';
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

/** What was cut from one output to keep memory bounded. */
export interface OutputTruncation {
  /** Index of the output in `outputs`. */
  index: number;
  /** Characters dropped from the middle of a stream (or of a text mime value). */
  droppedChars: number;
  /** Line breaks among them (for a cut of whole lines: the lines dropped). */
  droppedLines: number;
  /** Mime types removed because they exceeded `maxMimeChars`. */
  droppedMimeTypes?: string[];
}

export interface TruncationReport {
  outputs: OutputTruncation[];
  /** Whole outputs dropped from the middle because the cell produced more than `maxOutputs`. */
  droppedOutputs: number;
  /** Characters dropped in total. */
  droppedChars: number;
  /** Line breaks dropped in total. */
  droppedLines: number;
}

/** Per-output memory bounds. */
export interface OutputLimits {
  /** Characters kept from the start of each stream/text output (default 20,000). */
  headChars: number;
  /** Characters kept from the end of each stream/text output (default 20,000). */
  tailChars: number;
  /** Outputs kept per execution; the middle ones are dropped past this (default 500). */
  maxOutputs: number;
  /** Largest non-text mime value kept (e.g. a base64 PNG), in characters (default 10,000,000). */
  maxMimeChars: number;
}

export type ExecutionStatus = 'ok' | 'error' | 'timeout' | 'interrupted' | 'aborted';

export interface ExecutionResult {
  status: ExecutionStatus;
  /** The kernel's execution counter for this cell (null when it never ran). */
  executionCount: number | null;
  outputs: Output[];
  durationMs: number;
  /** Things the caller should know that are not the cell's output (rate limits, stuck interrupt, input()). */
  warnings: string[];
  /** Present when outputs were cut to stay within the limits. */
  truncated?: TruncationReport;
  /** For status `error`: the error's name and value (also in `outputs`). */
  error?: { ename: string; evalue: string };
}

/** One incremental event of a running execution. */
export type OutputEvent =
  /** A new output, or for streams the new chunk (`output.text` is only the chunk). */
  | { kind: 'output'; output: Output }
  /** Outputs were cleared (`clear_output`). */
  | { kind: 'clear' }
  /** An `update_display_data` changed a display. */
  | { kind: 'update'; displayId: string; output: DisplayDataOutput };

export interface ExecuteOptions {
  /** Interrupt and resolve with status `timeout` after this many milliseconds (default: none). */
  timeoutMs?: number;
  /** Abort → interrupt and resolve with status `interrupted` (or `aborted` if it never started). */
  signal?: AbortSignal;
  onOutput?: (event: OutputEvent) => void;
  /** Kernel `silent` flag: no outputs, no history, no counter increment. */
  silent?: boolean;
  /** Kernel `store_history` flag (default true). */
  storeHistory?: boolean;
  /** Expressions to evaluate after the code (`user_expressions`). */
  userExpressions?: Record<string, string>;
}

export interface KernelStatus {
  id: string;
  name: string;
  /** Server-side state from `GET /api/kernels/{id}`. */
  executionState: KernelExecutionState;
  /** Our connection to the kernel websocket. */
  connection: 'connected' | 'reconnecting' | 'disconnected';
  /** Executions queued behind the running one (including it). */
  pending: number;
  /** True when a cell ignored an interrupt; `restart()` clears it. */
  stuck: boolean;
  lastActivity: string | undefined;
}
