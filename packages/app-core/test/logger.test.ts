import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

describe('createLogger', () => {
  it('writes leveled lines, redacts secrets, and feeds sinks', () => {
    const lines: string[] = [];
    const seen: string[] = [];
    const log = createLogger({
      level: 'info',
      write: (l) => lines.push(l),
      secrets: ['supersecret-token'],
      clock: () => new Date('2026-01-01T10:20:30.456Z'),
    });
    log.addSink((level, msg) => seen.push(`${level}:${msg}`));
    log.debug('hidden');
    log.info('using supersecret-token now', { url: 'http://h/?token=abcdef' });
    log.addSecret('late-secret-1');
    log.warn('late-secret-1 leaked?');
    expect(lines).toEqual([
      '10:20:30.456 jupyter-mcp info: using [REDACTED] now url=http://h/?token=[REDACTED]\n',
      '10:20:30.456 jupyter-mcp warn: [REDACTED] leaked?\n',
    ]);
    // Sinks see every level (they filter themselves), redacted.
    expect(seen).toEqual(['debug:hidden', 'info:using [REDACTED] now', 'warn:[REDACTED] leaked?']);
  });

  it('is silent at level silent and survives a throwing sink', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'silent', write: (l) => lines.push(l) });
    log.addSink(() => {
      throw new Error('boom');
    });
    log.error('x');
    expect(lines).toEqual([]);
  });
});
