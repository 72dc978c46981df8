import {
  type AppConfig,
  ConfigError,
  type OptionSpec,
  parseBoolean,
  parseList,
  parseNumber,
  parseSize,
  parseString,
} from '@jupyter-mcp/app-core';

const str = parseString;
const bool = parseBoolean;
const list = parseList;
const sizeBytes = parseSize;
const num = parseNumber;

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
