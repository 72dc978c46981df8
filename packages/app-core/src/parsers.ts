import { ConfigError } from './errors.js';

// Value parsers for option specs (flags, env, config file). Each takes the raw value and where it came
// from (e.g. `--port` or `JUPYTER_MCP_PORT`) and throws a one-line ConfigError naming both.

export function parseString(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || raw.trim() === '')
    throw new ConfigError(`${where}: expected a non-empty string, got ${JSON.stringify(raw)}.`);
  return raw.trim();
}

/** A number ≥ `min` (> `min` when `exclusive`), optionally whole. */
export function parseNumber(
  raw: unknown,
  where: string,
  unit: string,
  { min = 0, exclusive = false, int = false }: { min?: number; exclusive?: boolean; int?: boolean } = {},
): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const tooSmall = exclusive ? n <= min : n < min;
  if (!Number.isFinite(n) || tooSmall) {
    const bound = exclusive && min === 0 ? 'a positive number' : `a number ${exclusive ? '>' : '≥'} ${min}`;
    throw new ConfigError(`${where}: expected ${bound} of ${unit}, got ${JSON.stringify(raw)}.`);
  }
  if (int && !Number.isInteger(n))
    throw new ConfigError(`${where}: expected a whole number of ${unit}, got ${JSON.stringify(raw)}.`);
  return n;
}

export function parseBoolean(raw: unknown, where: string): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  }
  throw new ConfigError(`${where}: expected true or false (1/0, yes/no), got ${JSON.stringify(raw)}.`);
}

/** A comma/space-separated string or a JSON array of strings. */
export function parseList(raw: unknown, where: string): string[] {
  if (Array.isArray(raw)) return raw.map((x) => parseString(x, where));
  if (typeof raw === 'string')
    return raw
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  throw new ConfigError(
    `${where}: expected a comma-separated list or a JSON array, got ${JSON.stringify(raw)}.`,
  );
}

/** A size in bytes (≥ 1024): a number, or `512kb`, `4mb`, `1gib`. */
export function parseSize(raw: unknown, where: string): number {
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
