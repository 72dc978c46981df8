import type { AuthMethod, Logger } from '@jupyter-mcp/jupyter-auth';
import type WebSocket from 'ws';
import type { CheckId, FindingCode } from './catalogue.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** One line. */
  summary: string;
  /** What was observed (requests, statuses, server messages — redacted) and what it means. */
  explanation: string;
  /** The exact setting or client change. */
  fix: string;
}

/** Network failure codes a probe can record (from jupyter-auth's classification). */
export type ProbeError =
  | 'CONNECTION_REFUSED'
  | 'DNS_FAILED'
  | 'TLS_ERROR'
  | 'TIMEOUT'
  | 'NETWORK_ERROR'
  | 'ABORTED';

/** Auth method a probe used: the public method ids plus `cookie-no-xsrf` (login cookie, no X-XSRFToken). */
export type ProbeAuth = AuthMethod | 'cookie-no-xsrf';

/** One raw request or websocket handshake and what came back (all text redacted). */
export interface Probe {
  /** Stable id, e.g. `api`, `http:status:token-header`, `write:password`, `ws:kernel:query`. */
  id: string;
  /** HTTP method, or `WS` for a websocket handshake. */
  method: string;
  /** Path from the server origin (query redacted). */
  path: string;
  auth: ProbeAuth;
  /** HTTP status (101 for an accepted websocket handshake), null when no answer. */
  status: number | null;
  error: ProbeError | null;
  ms: number;
  /** Server message (JSON `message`, page title or text excerpt), redacted; '' when none. */
  message: string;
  /** Origin header sent, when the probe set one. */
  origin?: string;
  /** Redirect target (redacted) for 3xx answers. */
  location?: string;
  contentType?: string;
}

export type ServerKind = 'jupyter_server' | 'notebook' | 'jupyterhub-singleuser' | 'unknown';

/** A local server found in a Jupyter runtime dir (`jpserver-*.json`); never carries the token itself. */
export interface DiscoveredServer {
  url: string;
  baseUrl: string;
  port: number;
  pid: number | null;
  version: string | null;
  rootDir: string | null;
  /** The runtime file it was read from. */
  file: string;
  hasToken: boolean;
  hasPassword: boolean;
  /** Whether the process is still running (null: unknown). */
  alive: boolean | null;
}

/** Everything the probes saw: the input of the pure `diagnose`. JSON-serialisable and secret-free. */
export interface Observations {
  /** The URL as given, redacted. */
  url: string;
  /** The server base URL the probes used. */
  baseUrl: string;
  /** True when the given URL named a UI page (`/lab`, `/tree/x.ipynb`) or carried a token. */
  urlHadUiPath: boolean;
  urlHadToken: boolean;
  credentials: {
    token: boolean;
    /** The token has leading/trailing whitespace (a token file with a newline). */
    tokenWhitespace: boolean;
    password: boolean;
    /** Names (lower case) of the extra headers given. */
    headers: string[];
    /** Scheme of an `Authorization` header given with `headers` (`basic`, `bearer`, `token`, `` for none). */
    headerAuthScheme?: string;
    /** `Origin` header the user's client sends (given with `headers`). */
    origin?: string;
  };
  server: { version: string | null; kind: ServerKind };
  probes: Probe[];
  /** Base URL that answered Jupyter JSON when the given one did not. */
  suggestedBaseUrl?: string | null;
  /** `/hub/api` answered JupyterHub JSON. */
  hubDetected?: boolean;
  /** The login page shows a password-only form (`Password:` without token). */
  loginPage?: { passwordOnly: boolean; tokenAvailable: boolean } | null;
  /** Local servers on the same port as the URL, from the runtime dirs; `tokenMatches` compares tokens. */
  discovered?: (DiscoveredServer & { tokenMatches: boolean | null })[];
  /** `/api/me?permissions=` asked for `requested`, the server granted `granted`. */
  permissions?: { requested: Record<string, string[]>; granted: Record<string, string[]> } | null;
  kernel?: { source: 'existing' | 'started' | 'none'; error?: string };
}

export interface CheckResult {
  id: CheckId;
  label: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
}

export interface MatrixRow {
  /** e.g. `GET /api/status`. */
  endpoint: string;
  statuses: Partial<Record<ProbeAuth, number | string | null>>;
}

/** The doctor's report; also the `--json` document (public API). */
export interface DoctorReport {
  ok: boolean;
  /** The URL as given, redacted. */
  url: string;
  baseUrl: string;
  server: { version: string | null; kind: ServerKind };
  auth: { working: AuthMethod[]; recommended: AuthMethod | null };
  checks: CheckResult[];
  probes: Probe[];
  findings: Finding[];
  matrix?: MatrixRow[];
  servers?: DiscoveredServer[];
  durationMs: number;
}

export interface DoctorOptions {
  url: string;
  token?: string;
  password?: string;
  headers?: Record<string, string>;
  /** Per-probe timeout (default 5000 ms). */
  timeoutMs?: number;
  /** Start a kernel when none runs, to probe its channels (default true); deleted afterwards. */
  kernelProbe?: boolean;
  /** Include the endpoint × auth method matrix in the report. */
  matrix?: boolean;
  /** Include the local servers found in `runtimeDirs` in the report. */
  discover?: boolean;
  /** Jupyter runtime dirs to read `jpserver-*.json` from (the app passes `jupyter --runtime-dir`). */
  runtimeDirs?: string[];
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
  logger?: Logger;
  signal?: AbortSignal;
}
