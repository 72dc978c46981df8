import { type Logger, Redactor } from '@jupyter-mcp/jupyter-auth';
import type { LogLevel } from './options.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
type Level = Exclude<LogLevel, 'silent'>;

/** A sink that receives every log record at or above its own level (e.g. MCP log notifications). */
export type LogSink = (level: Level, msg: string, fields: Record<string, unknown> | undefined) => void;

export interface AppLogger extends Logger {
  level: LogLevel;
  /** Add a sink (returns a remover). Sinks see redacted text and may not throw. */
  addSink(sink: LogSink): () => void;
  /** Register more secrets to redact (e.g. the embedded server's token). */
  addSecret(secret: string | undefined): void;
  readonly redactor: Redactor;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go (default: process.stderr). Never stdout: in stdio mode stdout is JSON-RPC. */
  write?: (line: string) => void;
  secrets?: Iterable<string | undefined>;
  /** Prefix of each line (default `jupyter-mcp`). */
  name?: string;
  clock?: () => Date;
  /** `text` (default): `time name level: message k=v`; `json`: one JSON object per line
   *  (`{"time","level","name","msg",...fields}`), for log collectors (HTTP mode). */
  format?: 'text' | 'json';
}

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    parts.push(`${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** A leveled, redacting logger writing one line per record to stderr, plus optional sinks. */
export function createLogger(options: LoggerOptions = {}): AppLogger {
  const redactor = new Redactor(options.secrets ?? []);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const name = options.name ?? 'jupyter-mcp';
  const clock = options.clock ?? (() => new Date());
  const sinks = new Set<LogSink>();
  const logger: AppLogger = {
    level: options.level ?? 'info',
    redactor,
    addSink(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    addSecret(secret) {
      redactor.add(secret);
    },
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
  function log(level: Level, msg: string, fields?: Record<string, unknown>): void {
    const text = redactor.redact(msg);
    const extra = redactor.redact(formatFields(fields));
    if (ORDER[level] >= ORDER[logger.level]) {
      const line =
        options.format === 'json'
          ? redactor.redact(
              JSON.stringify({ time: clock().toISOString(), level, name, msg, ...(fields ?? {}) }),
            )
          : `${clock().toISOString().slice(11, 23)} ${name} ${level}: ${text}${extra}`;
      try {
        write(`${line}\n`);
      } catch {
        // stderr gone: nothing to do
      }
    }
    if (sinks.size) {
      const safeFields = fields
        ? (JSON.parse(redactor.redact(JSON.stringify(fields))) as Record<string, unknown>)
        : undefined;
      for (const s of sinks) {
        try {
          s(level, text, safeFields);
        } catch {
          // a sink never breaks logging
        }
      }
    }
  }
  return logger;
}
