import { AUTH_METHODS, type AuthMethod } from '@jupyter-mcp/jupyter-auth';
import { ConfigError } from './errors.js';
import { parseBoolean, parseList, parseNumber, parseSize, parseString } from './parsers.js';

/** Where a setting came from (flags > env > config file > defaults). */
export type OptionSource = 'flag' | 'env' | 'file' | 'default';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * One configurable setting, described once and used for commander flags, `--help`, env variables and
 * the JSON config file. Apps apply these to their CLI; `resolveOptions` merges the sources.
 */
export interface OptionSpec<T = unknown> {
  /** Key in the resolved settings and in the JSON config file (camelCase). */
  key: string;
  /** Commander flag, e.g. `--url <url>` or `--read-only`. */
  flag: string;
  /** Environment variables read, first found wins. */
  env: readonly string[];
  description: string;
  /** Shown in `--help` as `(default: …)`. */
  defaultText: string;
  /** The default value (undefined = unset). */
  defaultValue?: T;
  /** The flag may be given several times (values are collected into an array). */
  repeatable?: boolean;
  /** A boolean switch (`--read-only`): no value on the command line. */
  boolean?: boolean;
  /** Settings shown only to the subcommands that use them. */
  group: 'connection' | 'server' | 'general';
  /** Turn a raw value (string from a flag/env, any JSON from the file) into the setting, or throw
   *  `ConfigError` naming what was wrong. */
  parse(raw: unknown, where: string): T;
}

const positiveNumber = (raw: unknown, where: string, unit: string): number =>
  parseNumber(raw, where, unit, { min: 0, exclusive: true });
const positiveInt = (raw: unknown, where: string, unit: string): number =>
  parseNumber(raw, where, unit, { min: 0, exclusive: true, int: true });
const str = parseString;
const bool = parseBoolean;
const list = parseList;

/** Parse `Name: value` into a header pair. */
export function parseHeader(raw: string, where: string): [string, string] {
  const i = raw.indexOf(':');
  const name = i > 0 ? raw.slice(0, i).trim() : '';
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    throw new ConfigError(`${where}: expected a header as 'Name: value', got '${raw.slice(0, 40)}'.`);
  return [name, raw.slice(i + 1).trim()];
}

function headers(raw: unknown, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const h of raw) {
      const [k, v] = parseHeader(str(h, where), where);
      out[k] = v;
    }
    return out;
  }
  if (typeof raw === 'string') {
    const t = raw.trim();
    if (t.startsWith('{')) {
      try {
        return headers(JSON.parse(t), where);
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(`${where}: not valid JSON (${(err as Error).message}).`);
      }
    }
    for (const line of t.split(/\n/)) {
      if (!line.trim()) continue;
      const [k, v] = parseHeader(line, where);
      out[k] = v;
    }
    return out;
  }
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string') throw new ConfigError(`${where}: header '${k}' must be a string.`);
      out[k] = v;
    }
    return out;
  }
  throw new ConfigError(`${where}: expected headers as an object or 'Name: value' lines.`);
}

function url(raw: unknown, where: string): string {
  const s = str(raw, where);
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new ConfigError(
      `${where}: '${s.replace(/token=[^&]*/g, 'token=…')}' is not a URL (expected http(s)://host:port/).`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new ConfigError(`${where}: expected an http:// or https:// URL, got '${u.protocol}'.`);
  return s;
}

/** Every setting of the jupyter-mcp apps. Connection settings are shared by stdio, http and doctor. */
export const CONNECTION_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'url',
    flag: '--url <url>',
    env: ['JUPYTER_URL', 'JUPYTER_MCP_URL'],
    description: 'Jupyter Server URL (any URL you would paste, e.g. http://localhost:8888/lab?token=…)',
    defaultText: 'none: start an embedded Jupyter Server',
    group: 'connection',
    parse: url,
  },
  {
    key: 'token',
    flag: '--token <token>',
    env: ['JUPYTER_TOKEN', 'JUPYTER_MCP_TOKEN'],
    description: 'Jupyter token',
    defaultText: 'from the URL, if any',
    group: 'connection',
    parse: str,
  },
  {
    key: 'tokenFile',
    flag: '--token-file <path>',
    env: ['JUPYTER_MCP_TOKEN_FILE'],
    description: 'read the token from this file (keeps it out of process listings)',
    defaultText: 'none',
    group: 'connection',
    parse: str,
  },
  {
    key: 'passwordEnv',
    flag: '--password-env <VAR>',
    env: ['JUPYTER_MCP_PASSWORD_ENV'],
    description: 'name of the environment variable holding the Jupyter password',
    defaultText: 'none',
    group: 'connection',
    parse: (raw, where) => {
      const s = str(raw, where);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s))
        throw new ConfigError(`${where}: expected an environment variable name, got '${s}'.`);
      return s;
    },
  },
  {
    key: 'headers',
    flag: '--header <"Name: value">',
    env: ['JUPYTER_MCP_HEADERS'],
    description: 'extra HTTP header sent to Jupyter (repeatable)',
    defaultText: 'none',
    repeatable: true,
    group: 'connection',
    parse: headers,
    defaultValue: {},
  },
  {
    key: 'auth',
    flag: '--auth <method>',
    env: ['JUPYTER_MCP_AUTH'],
    description: `auth method: auto, ${AUTH_METHODS.join(', ')}`,
    defaultText: 'auto',
    group: 'connection',
    defaultValue: 'auto',
    parse: (raw, where) => {
      const s = str(raw, where);
      if (s !== 'auto' && !(AUTH_METHODS as readonly string[]).includes(s))
        throw new ConfigError(
          `${where}: unknown auth method '${s}' (expected auto, ${AUTH_METHODS.join(', ')}).`,
        );
      return s as AuthMethod | 'auto';
    },
  },
  {
    key: 'root',
    flag: '--root <dir>',
    env: ['JUPYTER_MCP_ROOT'],
    description: 'root directory of the embedded Jupyter Server (and of notebook paths)',
    defaultText: 'the current directory',
    group: 'connection',
    parse: str,
  },
  {
    key: 'requestTimeout',
    flag: '--request-timeout <seconds>',
    env: ['JUPYTER_MCP_REQUEST_TIMEOUT'],
    description: 'timeout of one HTTP request to Jupyter',
    defaultText: '30',
    defaultValue: 30,
    group: 'connection',
    parse: (raw, where) => positiveNumber(raw, where, 'seconds'),
  },
];

export const SERVER_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'jupyterCommand',
    flag: '--jupyter-command <path>',
    env: ['JUPYTER_MCP_JUPYTER_COMMAND'],
    description: 'the `jupyter` executable used for the embedded server',
    defaultText: './.venv/bin/jupyter, then jupyter on PATH',
    group: 'server',
    parse: str,
  },
  {
    key: 'executionTimeout',
    flag: '--execution-timeout <seconds>',
    env: ['JUPYTER_MCP_EXECUTION_TIMEOUT'],
    description: 'default timeout_s of execute_code / execute_cell',
    defaultText: '120',
    defaultValue: 120,
    group: 'server',
    parse: (raw, where) => positiveNumber(raw, where, 'seconds'),
  },
  {
    key: 'outputLimit',
    flag: '--output-limit <chars>',
    env: ['JUPYTER_MCP_OUTPUT_LIMIT'],
    description: 'maximum characters of text in one tool result (head + tail kept)',
    defaultText: '20000',
    defaultValue: 20_000,
    group: 'server',
    parse: (raw, where) => positiveInt(raw, where, 'characters'),
  },
  {
    key: 'imageLimit',
    flag: '--image-limit <bytes>',
    env: ['JUPYTER_MCP_IMAGE_LIMIT'],
    description: 'largest image returned as image content; bigger ones are described instead',
    defaultText: '524288',
    defaultValue: 512 * 1024,
    group: 'server',
    parse: (raw, where) => positiveInt(raw, where, 'bytes'),
  },
  {
    key: 'resourceLimit',
    flag: '--resource-limit <bytes>',
    env: ['JUPYTER_MCP_RESOURCE_LIMIT'],
    description:
      'largest MCP resource read (a notebook as JSON, a file); bigger notebooks are read as their markdown view',
    defaultText: '1mb',
    defaultValue: 1024 * 1024,
    group: 'server',
    parse: parseSize,
  },
  {
    key: 'tools',
    flag: '--tools <names>',
    env: ['JUPYTER_MCP_TOOLS'],
    description: 'comma-separated allowlist of tools',
    defaultText: 'all',
    group: 'server',
    parse: list,
  },
  {
    key: 'disabledTools',
    flag: '--disabled-tools <names>',
    env: ['JUPYTER_MCP_DISABLED_TOOLS'],
    description: 'comma-separated tools to hide',
    defaultText: 'none',
    defaultValue: [],
    group: 'server',
    parse: list,
  },
  {
    key: 'readOnly',
    flag: '--read-only',
    env: ['JUPYTER_MCP_READ_ONLY'],
    description: 'only offer tools that change nothing',
    defaultText: 'false',
    defaultValue: false,
    boolean: true,
    group: 'server',
    parse: bool,
  },
];

export const GENERAL_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'logLevel',
    flag: '--log-level <level>',
    env: ['JUPYTER_MCP_LOG_LEVEL'],
    description: `stderr log level: ${LOG_LEVELS.join(', ')}`,
    defaultText: 'info',
    defaultValue: 'info',
    group: 'general',
    parse: (raw, where) => {
      const s = str(raw, where).toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(s))
        throw new ConfigError(`${where}: unknown log level '${s}' (expected ${LOG_LEVELS.join(', ')}).`);
      return s as LogLevel;
    },
  },
  {
    key: 'config',
    flag: '--config <file>',
    env: ['JUPYTER_MCP_CONFIG'],
    description: 'JSON config file (keys as in the README; flags and env override it)',
    defaultText: 'none',
    group: 'general',
    parse: str,
  },
];

/** Every option the MCP server apps (stdio, http) take. */
export const APP_OPTIONS: readonly OptionSpec[] = [
  ...CONNECTION_OPTIONS,
  ...SERVER_OPTIONS,
  ...GENERAL_OPTIONS,
];

/** Commander's attribute name for a flag (`--token-file <path>` → `tokenFile`). */
export function flagAttribute(spec: OptionSpec): string {
  const long = spec.flag.split(/[ ,]/)[0]!.replace(/^--/, '');
  const camel = long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return spec.key === 'headers' ? 'header' : camel;
}

/** `description (default: …; env: …)` for `--help`. */
export function helpText(spec: OptionSpec): string {
  const env = spec.env.length ? `; env ${spec.env.join(' or ')}` : '';
  return `${spec.description} (default: ${spec.defaultText}${env})`;
}
