import { type AppConfig, ConfigError, type OptionSpec } from '@jupyter-mcp/app-core';

function str(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new ConfigError(`${where}: expected a non-empty string, got ${JSON.stringify(raw)}.`);
  return raw.trim();
}

function num(raw: unknown, where: string, unit: string, { min = 0, int = false } = {}): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < min || (int && !Number.isInteger(n)))
    throw new ConfigError(
      `${where}: expected ${int ? 'a whole' : 'a'} number of ${unit} ≥ ${min}, got ${JSON.stringify(raw)}.`,
    );
  return n;
}

function bool(raw: unknown, where: string): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  }
  throw new ConfigError(`${where}: expected true or false (1/0, yes/no), got ${JSON.stringify(raw)}.`);
}

function list(raw: unknown, where: string): string[] {
  if (Array.isArray(raw)) return raw.map((x) => str(x, where));
  if (typeof raw === 'string')
    return raw
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  throw new ConfigError(
    `${where}: expected a comma-separated list or a JSON array, got ${JSON.stringify(raw)}.`,
  );
}

function sizeBytes(raw: unknown, where: string): number {
  if (typeof raw === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$/i.exec(raw);
    if (m) {
      const unit = (m[2] ?? 'b').toLowerCase()[0];
      const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
      const n = Math.floor(Number(m[1]) * mult);
      if (n >= 1024) return n;
    }
  }
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1024) return raw;
  throw new ConfigError(
    `${where}: expected a size of at least 1024 bytes (e.g. 4194304, 512kb, 4mb), got ${JSON.stringify(raw)}.`,
  );
}

/** Settings only `jupyter-mcp http` takes (on top of every stdio option). */
export const HTTP_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'host',
    flag: '--host <host>',
    env: ['JUPYTER_MCP_HOST'],
    description: 'interface to listen on; anything but loopback needs an auth token',
    defaultText: '127.0.0.1',
    defaultValue: '127.0.0.1',
    group: 'server',
    parse: str,
  },
  {
    key: 'port',
    flag: '--port <port>',
    env: ['JUPYTER_MCP_PORT'],
    description: 'TCP port (0 = any free port, printed at start)',
    defaultText: '8765',
    defaultValue: 8765,
    group: 'server',
    parse: (raw, where) => {
      const n = num(raw, where, 'port', { min: 0, int: true });
      if (n > 65535) throw new ConfigError(`${where}: expected a port 0–65535, got ${n}.`);
      return n;
    },
  },
  {
    key: 'authToken',
    flag: '--auth-token <token>',
    env: ['JUPYTER_MCP_AUTH_TOKEN'],
    description: 'bearer token clients must send (Authorization: Bearer …)',
    defaultText: 'generated on loopback and written to the runtime dir',
    group: 'server',
    parse: (raw, where) => {
      const s = str(raw, where);
      if (s.length < 16)
        throw new ConfigError(`${where}: an auth token needs at least 16 characters (got ${s.length}).`);
      return s;
    },
  },
  {
    key: 'noAuth',
    flag: '--no-auth',
    env: ['JUPYTER_MCP_NO_AUTH'],
    description: 'accept requests without a bearer token (loopback hosts only)',
    defaultText: 'false',
    defaultValue: false,
    boolean: true,
    group: 'server',
    parse: bool,
  },
  {
    key: 'allowedHosts',
    flag: '--allowed-hosts <hosts>',
    env: ['JUPYTER_MCP_ALLOWED_HOSTS'],
    description: 'extra Host header names accepted (comma-separated; name or name:port)',
    defaultText: 'the bound host; localhost names on loopback',
    defaultValue: [],
    group: 'server',
    parse: list,
  },
  {
    key: 'allowedOrigins',
    flag: '--allowed-origins <origins>',
    env: ['JUPYTER_MCP_ALLOWED_ORIGINS'],
    description: 'browser origins accepted besides our own (comma-separated, e.g. https://app.example.com)',
    defaultText: 'none',
    defaultValue: [],
    group: 'server',
    parse: (raw, where) =>
      list(raw, where).map((o) => {
        if (o === '*') throw new ConfigError(`${where}: '*' is not allowed; list each origin.`);
        try {
          return new URL(o).origin;
        } catch {
          throw new ConfigError(`${where}: '${o}' is not an origin (expected scheme://host[:port]).`);
        }
      }),
  },
  {
    key: 'sessionIdleTimeout',
    flag: '--session-idle-timeout <seconds>',
    env: ['JUPYTER_MCP_SESSION_IDLE_TIMEOUT'],
    description: 'close a session (and stop its kernels) after this long without a request',
    defaultText: '1800',
    defaultValue: 1800,
    group: 'server',
    parse: (raw, where) => num(raw, where, 'seconds', { min: 1 }),
  },
  {
    key: 'maxBody',
    flag: '--max-body <bytes>',
    env: ['JUPYTER_MCP_MAX_BODY'],
    description: 'largest request body accepted (413 above)',
    defaultText: '4mb',
    defaultValue: 4 * 1024 * 1024,
    group: 'server',
    parse: sizeBytes,
  },
  {
    key: 'maxConcurrentCalls',
    flag: '--max-concurrent-calls <n>',
    env: ['JUPYTER_MCP_MAX_CONCURRENT_CALLS'],
    description: 'tool calls one session may have running at once (429 above)',
    defaultText: '8',
    defaultValue: 8,
    group: 'server',
    parse: (raw, where) => num(raw, where, 'calls', { min: 1, int: true }),
  },
  {
    key: 'publicMetrics',
    flag: '--public-metrics',
    env: ['JUPYTER_MCP_PUBLIC_METRICS'],
    description: 'serve /metrics without the bearer token',
    defaultText: 'false',
    defaultValue: false,
    boolean: true,
    group: 'server',
    parse: bool,
  },
  {
    key: 'shutdownTimeout',
    flag: '--shutdown-timeout <seconds>',
    env: ['JUPYTER_MCP_SHUTDOWN_TIMEOUT'],
    description: 'on SIGTERM/SIGINT, how long running tool calls may finish before they are interrupted',
    defaultText: '20',
    defaultValue: 20,
    group: 'server',
    parse: (raw, where) => num(raw, where, 'seconds', { min: 0 }),
  },
  {
    key: 'stateless',
    flag: '--stateless',
    env: ['JUPYTER_MCP_STATELESS'],
    description: 'no MCP sessions (for load-balanced fleets): kernel tools need kernel_id or notebook_path',
    defaultText: 'false',
    defaultValue: false,
    boolean: true,
    group: 'server',
    parse: bool,
  },
  {
    key: 'allowServerControl',
    flag: '--allow-server-control',
    env: ['JUPYTER_MCP_ALLOW_SERVER_CONTROL'],
    description: 'allow start/stop_jupyter_server and cleanup_kernels(all) over HTTP',
    defaultText: 'false',
    defaultValue: false,
    boolean: true,
    group: 'server',
    parse: bool,
  },
  {
    key: 'sseKeepalive',
    flag: '--sse-keepalive <seconds>',
    env: ['JUPYTER_MCP_SSE_KEEPALIVE'],
    description: 'interval of SSE keep-alive comments (0 = none)',
    defaultText: '15',
    defaultValue: 15,
    group: 'server',
    parse: (raw, where) => num(raw, where, 'seconds', { min: 0 }),
  },
];

/** The HTTP settings, resolved. */
export interface HttpSettings {
  host: string;
  port: number;
  /** Undefined: generate one (loopback) — see `resolveAuth`. */
  authToken: string | undefined;
  noAuth: boolean;
  allowedHosts: string[];
  allowedOrigins: string[];
  sessionIdleTimeoutMs: number;
  maxBodyBytes: number;
  maxConcurrentCalls: number;
  publicMetrics: boolean;
  shutdownTimeoutMs: number;
  stateless: boolean;
  allowServerControl: boolean;
  sseKeepaliveMs: number;
}

/** Read the HTTP settings out of an `AppConfig` loaded with `HTTP_OPTIONS` (its `extra`). */
export function httpSettingsFrom(config: Pick<AppConfig, 'extra'>): HttpSettings {
  const x = config.extra;
  const get = <T>(key: string): T => {
    const v = x[key];
    return (v === undefined ? HTTP_OPTIONS.find((o) => o.key === key)?.defaultValue : v) as T;
  };
  return {
    host: get<string>('host'),
    port: get<number>('port'),
    authToken: get<string | undefined>('authToken'),
    noAuth: get<boolean>('noAuth'),
    allowedHosts: get<string[]>('allowedHosts'),
    allowedOrigins: get<string[]>('allowedOrigins'),
    sessionIdleTimeoutMs: get<number>('sessionIdleTimeout') * 1000,
    maxBodyBytes: get<number>('maxBody'),
    maxConcurrentCalls: get<number>('maxConcurrentCalls'),
    publicMetrics: get<boolean>('publicMetrics'),
    shutdownTimeoutMs: get<number>('shutdownTimeout') * 1000,
    stateless: get<boolean>('stateless'),
    allowServerControl: get<boolean>('allowServerControl'),
    sseKeepaliveMs: get<number>('sseKeepalive') * 1000,
  };
}
