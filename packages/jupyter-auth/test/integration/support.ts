import { expect } from 'vitest';
import type { Logger } from '../../src/index.js';

/** A logger that keeps every line, so tests can assert no secret reached it. */
export function recordingLogger(): Logger & { lines: string[]; text(): string } {
  const lines: string[] = [];
  const rec =
    (level: string) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      lines.push(`${level} ${msg} ${fields ? JSON.stringify(fields) : ''}`);
    };
  return {
    lines,
    text: () => lines.join('\n'),
    debug: rec('debug'),
    info: rec('info'),
    warn: rec('warn'),
    error: rec('error'),
  };
}

/** Assert none of the secrets occurs in any of the texts (error messages, logs, serialised errors). */
export function expectNoSecrets(texts: (string | undefined)[], secrets: (string | undefined)[]): void {
  for (const t of texts) {
    if (!t) continue;
    for (const s of secrets) {
      if (!s) continue;
      expect(t.includes(s), `secret leaked into: ${t.slice(0, 200)}`).toBe(false);
    }
  }
}

/** Everything an error exposes as text: message, JSON form, and the messages of its cause chain. */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let i = 0; e && i < 2; i++) {
    const o = e as { message?: string; stack?: string };
    parts.push(String(o.message), String(o.stack));
    try {
      parts.push(JSON.stringify(e));
    } catch {
      // circular
    }
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/** Await a rejection and return the error. */
export async function rejectionOf(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}
