import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

describe("createLogger({ format: 'json' })", () => {
  it('writes one JSON object per line, fields included, secrets redacted', () => {
    const lines: string[] = [];
    const logger = createLogger({
      format: 'json',
      write: (l) => lines.push(l),
      secrets: ['s3cr3t-token-value'],
      clock: () => new Date('2026-01-02T03:04:05.678Z'),
    });
    logger.info('request', { event: 'request', status: 200, path: '/mcp?token=s3cr3t-token-value' });
    logger.debug('hidden at info');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const doc = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(doc).toMatchObject({
      time: '2026-01-02T03:04:05.678Z',
      level: 'info',
      name: 'jupyter-mcp',
      msg: 'request',
      event: 'request',
      status: 200,
    });
    expect(lines[0]).not.toContain('s3cr3t-token-value');
  });
});
