import { APP_OPTIONS, loadConfig } from '@jupyter-mcp/app-core';
import { describe, expect, it } from 'vitest';
import { HTTP_OPTIONS, httpSettingsFrom } from '../src/options.js';

const load = (flags: Record<string, unknown>, env: Record<string, string> = {}) =>
  httpSettingsFrom(loadConfig({ flags, env, cwd: '/tmp', options: [...APP_OPTIONS, ...HTTP_OPTIONS] }));

describe('HTTP settings', () => {
  it('defaults to a safe loopback server', () => {
    expect(load({})).toEqual({
      host: '127.0.0.1',
      port: 8765,
      authToken: undefined,
      noAuth: false,
      allowedHosts: [],
      allowedOrigins: [],
      sessionIdleTimeoutMs: 1_800_000,
      maxBodyBytes: 4 * 1024 * 1024,
      maxConcurrentCalls: 8,
      publicMetrics: false,
      shutdownTimeoutMs: 20_000,
      stateless: false,
      allowServerControl: false,
      sseKeepaliveMs: 15_000,
    });
  });
  it('reads flags over env (JUPYTER_MCP_AUTH_TOKEN, sizes, lists)', () => {
    const s = load(
      { port: '0', maxBody: '512kb', allowedOrigins: 'https://a.example.com/, http://b.example.com:8080' },
      {
        JUPYTER_MCP_AUTH_TOKEN: 'a-long-enough-token-123',
        JUPYTER_MCP_STATELESS: '1',
        JUPYTER_MCP_PORT: '9',
      },
    );
    expect(s.port).toBe(0);
    expect(s.authToken).toBe('a-long-enough-token-123');
    expect(s.stateless).toBe(true);
    expect(s.maxBodyBytes).toBe(512 * 1024);
    expect(s.allowedOrigins).toEqual(['https://a.example.com', 'http://b.example.com:8080']);
  });
  it('rejects bad values with the setting named', () => {
    expect(() => load({ port: '70000' })).toThrow(/--port/);
    expect(() => load({ authToken: 'short' })).toThrow(/at least 16/);
    expect(() => load({ allowedOrigins: '*' })).toThrow(/not allowed/);
    expect(() => load({ maxBody: '12' })).toThrow(/--max-body/);
    expect(() => load({ sessionIdleTimeout: '0' })).toThrow(/--session-idle-timeout/);
  });
});
