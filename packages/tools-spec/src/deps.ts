import type { JupyterConnection, Logger } from '@jupyter-mcp/jupyter-auth';
import type { NotebookDocuments } from '@jupyter-mcp/notebook-model';
import type { Finding } from './errors.js';
import type { DocumentsContext } from './internal/documents.js';
import type { JobRegistry } from './runs/jobs.js';

/** How tools reach Jupyter. The app implements it (start-up check, embedded server, re-checks). */
export interface JupyterAccess {
  /** A connection that works, or throws `JupyterUnavailableError` with the doctor's finding. Called at
   *  the start of every Jupyter tool call; when the last check failed, it checks again. */
  connection(): Promise<JupyterConnection>;
  /** Tell the access layer a call failed at the connection level (auth, refused): next call re-checks. */
  reportFailure?(error: unknown): void;
  /** Static description for `get_server_info` (URL already redacted). */
  describe(): JupyterDescription;
}

export interface JupyterDescription {
  /** Base URL, token-free. Undefined when no server is known yet. */
  url: string | undefined;
  /** `managed`: the embedded server jupyter-mcp runs; `external`: the user's server. */
  mode: 'managed' | 'external';
  /** One of the auth method identifiers (`token-header`, …). */
  authMethod: string | undefined;
  /** Directory served (embedded server) when known. */
  root: string | undefined;
  state: 'ok' | 'unavailable' | 'unchecked';
  finding?: Finding;
}

/** The doctor, as the app wires it. */
export interface ConnectionDiagnoser {
  diagnose(options?: { signal?: AbortSignal; kernelProbe?: boolean }): Promise<DiagnosisReport>;
}

export interface DiagnosisReport {
  /** True when nothing is wrong. */
  ok: boolean;
  findings: Finding[];
  /** Human-readable report (redacted). */
  text: string;
}

/** The embedded server, as the app wires it. */
export interface ManagedServerControl {
  /** False when connected to an external server (start/stop are refused). */
  readonly enabled: boolean;
  status(): { running: boolean; url?: string; pid?: number; root?: string };
  start(): Promise<{ url: string; pid: number; root: string }>;
  /** Stop it; throws `ToolError('IN_USE')` when other MCP sessions are attached. */
  stop(sessionId: string): Promise<void>;
}

/** A running Jupyter Server found on this machine (runtime dir); never carries the token. */
export interface RunningServerInfo {
  url: string;
  root_dir?: string;
  pid?: number;
  version?: string;
  has_token: boolean;
  managed_by_us?: boolean;
}

export interface ServerDiscovery {
  list(): Promise<RunningServerInfo[]>;
}

/** Who is attached (so the managed server is not stopped under another session's feet). */
export interface SessionRegistry {
  add(sessionId: string): void;
  delete(sessionId: string): void;
  ids(): string[];
}

/** Tool settings (resolved by the app's configuration). */
export interface ToolSettings {
  /** Default `timeout_s` of execution tools. */
  executionTimeoutS: number;
  /** Maximum characters of text in one result. */
  outputLimit: number;
  /** Largest image (decoded bytes) returned as image content. */
  imageLimitBytes: number;
  /** Largest MCP resource read in bytes (default 1 MiB): bigger notebooks are read as their markdown view. */
  resourceLimitBytes?: number;
  /** Allowlist (undefined = all). */
  tools?: string[];
  disabledTools?: string[];
  readOnly?: boolean;
  /** Local directory the server serves, when known: absolute `path` arguments under it are accepted. */
  root?: string;
  /** Largest notebook read, in bytes (default 100 MiB): bigger ones are refused before parsing. */
  maxNotebookSize?: number;
}

/** Everything `registerTools` needs. One `ToolDeps` may serve many MCP sessions. */
export interface ToolDeps {
  jupyter: JupyterAccess;
  settings: ToolSettings;
  logger: Logger;
  diagnoser?: ConnectionDiagnoser;
  server?: ManagedServerControl;
  discovery?: ServerDiscovery;
  sessions?: SessionRegistry;
  /** Removes secrets from any text before it leaves (results, errors). */
  redact?: (text: string) => string;
  /** Name and version of the app, for get_server_info. */
  app?: { name: string; version: string };
  /**
   * A live source of changes to a notebook (real-time collaboration), for `resources/subscribe`: call
   * `onChange` whenever the notebook at `path` (Contents API path) changes, and return a function that
   * stops watching; return undefined when there is no live source for it (the file is then polled).
   */
  watchNotebook?: (path: string, onChange: () => void) => (() => void) | undefined;
  /** Notebook runs kept for the process lifetime (execute_notebook background jobs, get_job, list_jobs,
   *  cancel_job). Undefined: background jobs are unavailable (e.g. stateless HTTP); foreground runs work. */
  jobs?: JobRegistry;
  /**
   * The notebook access backend for a connection (default: the Contents API). Called once per
   * connection; the object must queue through `context.queue` so that one writer per notebook holds
   * across every session and job of the process.
   */
  notebookDocuments?: (connection: JupyterConnection, context: DocumentsContext) => NotebookDocuments;
}
