import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  type AuthMethod,
  type ConnectionOptions,
  type Logger,
  parseJupyterUrl,
} from '@jupyter-mcp/jupyter-auth';
import { ConfigError } from './errors.js';
import { APP_OPTIONS, flagAttribute, type LogLevel, type OptionSource, type OptionSpec } from './options.js';

export interface ConfigInput {
  /** Parsed command-line flags, keyed by commander attribute name (`tokenFile`, `header`, …). */
  flags?: Record<string, unknown>;
  /** Environment (apps pass their own environment). */
  env?: Record<string, string | undefined>;
  /** Directory relative paths given by flags/env are resolved against (default `process.cwd()`). */
  cwd?: string;
  /** Reads the config file and the token file (default: fs.readFileSync utf8). */
  readFile?: (path: string) => string;
  /** Settings to resolve (default: `APP_OPTIONS`). Apps with extra settings pass a longer list. */
  options?: readonly OptionSpec[];
}

export interface ResolvedOptions {
  values: Record<string, unknown>;
  sources: Record<string, OptionSource>;
  /** Absolute path of the config file read, if any. */
  configFile: string | undefined;
  /** Keys of the config file no option knows (the app may warn about them). */
  unknownFileKeys: string[];
}

const PATH_KEYS = new Set(['root', 'tokenFile', 'jupyterCommand']);

function defaultRead(path: string): string {
  return readFileSync(path, 'utf8');
}

function fail(message: string): never {
  throw new ConfigError(message);
}

/**
 * Merge flags > env > config file > defaults for the given option specs. Throws `ConfigError` (one line,
 * naming the setting, its source and what was expected) on any invalid value.
 */
export function resolveOptions(input: ConfigInput = {}): ResolvedOptions {
  const specs = input.options ?? APP_OPTIONS;
  const flags = input.flags ?? {};
  const env = input.env ?? {};
  const cwd = input.cwd ?? process.cwd();
  const read = input.readFile ?? defaultRead;

  // The config file path itself: flag > env.
  const configFlag = flags.config;
  const configEnv = env.JUPYTER_MCP_CONFIG;
  let configFile: string | undefined;
  let file: Record<string, unknown> = {};
  const configRaw =
    typeof configFlag === 'string' && configFlag ? configFlag : configEnv ? configEnv : undefined;
  if (configRaw !== undefined) {
    configFile = resolve(cwd, configRaw);
    let text: string;
    try {
      text = read(configFile);
    } catch (err) {
      fail(
        `config file ${configFile}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Check --config / JUPYTER_MCP_CONFIG.`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      fail(`config file ${configFile}: not valid JSON (${(err as Error).message}).`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      fail(`config file ${configFile}: expected a JSON object of settings, e.g. {"executionTimeout": 60}.`);
    file = parsed as Record<string, unknown>;
  }
  const fileDir = configFile ? dirname(configFile) : cwd;

  const values: Record<string, unknown> = {};
  const sources: Record<string, OptionSource> = {};
  for (const spec of specs) {
    if (spec.key === 'config') {
      if (configFile) {
        values.config = configFile;
        sources.config = typeof configFlag === 'string' && configFlag ? 'flag' : 'env';
      }
      continue;
    }
    const attr = flagAttribute(spec);
    const flagValue = flags[attr];
    let value: unknown;
    let source: OptionSource = 'default';
    if (flagValue !== undefined && !(Array.isArray(flagValue) && flagValue.length === 0)) {
      value = spec.parse(flagValue, `--${spec.flag.split(' ')[0]!.replace(/^--/, '')}`);
      source = 'flag';
    } else {
      const envName = spec.env.find((n) => env[n] !== undefined && env[n] !== '');
      if (envName !== undefined) {
        value = spec.parse(env[envName], envName);
        source = 'env';
      } else if (file[spec.key] !== undefined && file[spec.key] !== null) {
        value = spec.parse(file[spec.key], `config file key "${spec.key}"`);
        source = 'file';
      } else {
        value = spec.defaultValue;
      }
    }
    if (typeof value === 'string' && PATH_KEYS.has(spec.key) && source !== 'default') {
      const base = source === 'file' ? fileDir : cwd;
      if (spec.key !== 'jupyterCommand' || value.includes('/'))
        value = isAbsolute(value) ? value : resolve(base, value);
    }
    if (value !== undefined) {
      values[spec.key] = value;
      sources[spec.key] = source;
    }
  }
  const known = new Set(specs.map((s) => s.key));
  const unknownFileKeys = Object.keys(file).filter((k) => !known.has(k) && k !== '$schema');
  return { values, sources, configFile, unknownFileKeys };
}

/** Everything the MCP server apps need, resolved and validated. */
export interface AppConfig {
  /** Jupyter Server URL; undefined = start an embedded server. */
  url: string | undefined;
  token: string | undefined;
  password: string | undefined;
  headers: Record<string, string>;
  auth: AuthMethod | 'auto';
  /** Absolute root directory (embedded server root; base for notebook paths). */
  root: string;
  requestTimeoutMs: number;
  jupyterCommand: string | undefined;
  executionTimeoutS: number;
  outputLimit: number;
  imageLimitBytes: number;
  /** Largest MCP resource read, in bytes. */
  resourceLimitBytes: number;
  /** Allowlist (undefined = all tools). */
  tools: string[] | undefined;
  disabledTools: string[];
  readOnly: boolean;
  logLevel: LogLevel;
  configFile: string | undefined;
  sources: Record<string, OptionSource>;
  unknownFileKeys: string[];
  /** Every other resolved option (e.g. an app's own extra settings), keyed by option key. */
  extra: Record<string, unknown>;
}

/**
 * Resolve the app configuration: flags > env > config file > defaults, then read the token file and
 * the password variable. Throws `ConfigError` on anything invalid.
 */
export function loadConfig(input: ConfigInput = {}): AppConfig {
  const env = input.env ?? {};
  const cwd = input.cwd ?? process.cwd();
  const read = input.readFile ?? defaultRead;
  const r = resolveOptions(input);
  const v = r.values;
  let token = v.token as string | undefined;
  if (v.tokenFile !== undefined) {
    const path = v.tokenFile as string;
    let text: string;
    try {
      text = read(path);
    } catch (err) {
      fail(
        `token file ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Check --token-file.`,
      );
    }
    const t = text.trim();
    if (!t) fail(`token file ${path} is empty. Put the Jupyter token in it (one line).`);
    // An explicit --token beats a token file from a lower-priority source.
    const tokenRank = rank(r.sources.token);
    if (token === undefined || rank(r.sources.tokenFile) <= tokenRank) token = t;
  }
  let password: string | undefined;
  if (v.passwordEnv !== undefined) {
    const name = v.passwordEnv as string;
    password = env[name];
    if (!password)
      fail(
        `--password-env ${name}: the environment variable ${name} is not set or empty. Export the password in it.`,
      );
  }
  const known = new Set([
    'url',
    'token',
    'tokenFile',
    'passwordEnv',
    'headers',
    'auth',
    'root',
    'requestTimeout',
    'jupyterCommand',
    'executionTimeout',
    'outputLimit',
    'imageLimit',
    'resourceLimit',
    'tools',
    'disabledTools',
    'readOnly',
    'logLevel',
    'config',
  ]);
  const extra: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (!known.has(k)) extra[k] = val;
  return {
    url: v.url as string | undefined,
    token,
    password,
    headers: (v.headers as Record<string, string> | undefined) ?? {},
    auth: (v.auth as AuthMethod | 'auto' | undefined) ?? 'auto',
    root: (v.root as string | undefined) ?? cwd,
    requestTimeoutMs: ((v.requestTimeout as number | undefined) ?? 30) * 1000,
    jupyterCommand: v.jupyterCommand as string | undefined,
    executionTimeoutS: (v.executionTimeout as number | undefined) ?? 120,
    outputLimit: (v.outputLimit as number | undefined) ?? 20_000,
    imageLimitBytes: (v.imageLimit as number | undefined) ?? 512 * 1024,
    resourceLimitBytes: (v.resourceLimit as number | undefined) ?? 1024 * 1024,
    tools: v.tools as string[] | undefined,
    disabledTools: (v.disabledTools as string[] | undefined) ?? [],
    readOnly: (v.readOnly as boolean | undefined) ?? false,
    logLevel: (v.logLevel as LogLevel | undefined) ?? 'info',
    configFile: r.configFile,
    sources: r.sources,
    unknownFileKeys: r.unknownFileKeys,
    extra,
  };
}

function rank(source: OptionSource | undefined): number {
  return source === 'flag' ? 0 : source === 'env' ? 1 : source === 'file' ? 2 : 3;
}

/** Options for `new JupyterConnection(...)` from a config (url required: the embedded server's when
 *  the user gave none). */
export function connectionOptionsFrom(
  config: Pick<AppConfig, 'token' | 'password' | 'headers' | 'auth' | 'requestTimeoutMs'>,
  url: string,
  logger?: Logger,
): ConnectionOptions {
  return {
    url,
    token: config.token,
    password: config.password,
    headers: config.headers,
    auth: config.auth,
    timeoutMs: config.requestTimeoutMs,
    logger,
  };
}

/** The secrets a config holds (for log redaction). */
export function configSecrets(config: Pick<AppConfig, 'token' | 'password' | 'headers' | 'url'>): string[] {
  let urlToken: string | undefined;
  try {
    urlToken = config.url ? parseJupyterUrl(config.url).token : undefined;
  } catch {
    urlToken = undefined;
  }
  return [config.token, config.password, urlToken, ...Object.values(config.headers)].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}
