import { describe, expect, it } from 'vitest';
import { HttpAppError } from '../src/errors.js';
import {
  bearerToken,
  hostAllowed,
  isLoopbackHost,
  originAllowed,
  resolveAuth,
  splitHostHeader,
  tokenMatches,
} from '../src/security.js';

const loopback = {
  bindHost: '127.0.0.1',
  port: 8765,
  allowedHosts: [] as string[],
  allowedOrigins: [] as string[],
};

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['example.com', false],
    ['127.example.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('hostAllowed (DNS rebinding)', () => {
  it('accepts the loopback names on our port', () => {
    for (const h of ['127.0.0.1:8765', 'localhost:8765', '[::1]:8765', 'LOCALHOST:8765', 'localhost'])
      expect(hostAllowed(h, loopback)).toBe(true);
  });
  it('refuses foreign names, other ports and a missing header', () => {
    expect(hostAllowed('evil.example.com', loopback)).toBe(false);
    expect(hostAllowed('evil.example.com:8765', loopback)).toBe(false);
    expect(hostAllowed('127.0.0.1:9999', loopback)).toBe(false);
    expect(hostAllowed(undefined, loopback)).toBe(false);
  });
  it('accepts --allowed-hosts entries (bare name: any port; name:port: that port only)', () => {
    const p = { ...loopback, allowedHosts: ['mcp.example.com', 'proxy.local:443'] };
    expect(hostAllowed('mcp.example.com', p)).toBe(true);
    expect(hostAllowed('mcp.example.com:8443', p)).toBe(true);
    expect(hostAllowed('proxy.local:443', p)).toBe(true);
    expect(hostAllowed('proxy.local:80', p)).toBe(false);
  });
  it('on a wildcard bind accepts loopback names and the machine name, nothing else', () => {
    const p = { ...loopback, bindHost: '0.0.0.0', localNames: ['box1'] };
    expect(hostAllowed('box1:8765', p)).toBe(true);
    expect(hostAllowed('127.0.0.1:8765', p)).toBe(true);
    expect(hostAllowed('10.0.0.7:8765', p)).toBe(false);
  });
  it('splits IPv6 Host headers', () => {
    expect(splitHostHeader('[::1]:80')).toEqual({ name: '[::1]', port: '80' });
    expect(splitHostHeader('Example.com')).toEqual({ name: 'example.com', port: undefined });
  });
});

describe('originAllowed', () => {
  it('allows no Origin, our own origin and listed origins; refuses others and null', () => {
    expect(originAllowed(undefined, '127.0.0.1:8765', loopback)).toBe(true);
    expect(originAllowed('http://127.0.0.1:8765', '127.0.0.1:8765', loopback)).toBe(true);
    expect(originAllowed('http://localhost:8765', '127.0.0.1:8765', loopback)).toBe(false);
    expect(originAllowed('http://evil.example.com', '127.0.0.1:8765', loopback)).toBe(false);
    expect(originAllowed('null', '127.0.0.1:8765', loopback)).toBe(false);
    const p = { ...loopback, allowedOrigins: ['https://app.example.com'] };
    expect(originAllowed('https://app.example.com', '127.0.0.1:8765', p)).toBe(true);
    expect(originAllowed('https://app.example.com.evil.io', '127.0.0.1:8765', p)).toBe(false);
  });
});

describe('bearer tokens', () => {
  it('parses Authorization: Bearer', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('token abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
  it('compares in constant time, any length', () => {
    expect(tokenMatches('secret-token-123456', 'secret-token-123456')).toBe(true);
    expect(tokenMatches('secret-token-12345', 'secret-token-123456')).toBe(false);
    expect(tokenMatches('', 'secret-token-123456')).toBe(false);
    expect(tokenMatches(undefined, 'secret-token-123456')).toBe(false);
  });
});

describe('resolveAuth', () => {
  it('uses a given token', () => {
    expect(resolveAuth({ host: '0.0.0.0', authToken: 't'.repeat(20), noAuth: false })).toEqual({
      mode: 'token',
      token: 't'.repeat(20),
      generated: false,
    });
  });
  it('generates one on loopback when none is given', () => {
    expect(resolveAuth({ host: '127.0.0.1', authToken: undefined, noAuth: false }, () => 'gen')).toEqual({
      mode: 'token',
      token: 'gen',
      generated: true,
    });
  });
  it('refuses a non-loopback host without a token, and --no-auth off loopback', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'example.com']) {
      const e = (() => {
        try {
          resolveAuth({ host, authToken: undefined, noAuth: false });
        } catch (err) {
          return err;
        }
      })();
      expect(e).toBeInstanceOf(HttpAppError);
      expect((e as HttpAppError).code).toBe('AUTH_REQUIRED');
      expect(() => resolveAuth({ host, authToken: undefined, noAuth: true })).toThrow(
        /only allowed on a loopback/,
      );
    }
  });
  it('allows --no-auth on loopback and rejects it together with a token', () => {
    expect(resolveAuth({ host: 'localhost', authToken: undefined, noAuth: true })).toEqual({ mode: 'none' });
    expect(() => resolveAuth({ host: 'localhost', authToken: 'x'.repeat(20), noAuth: true })).toThrow(
      /contradict/,
    );
  });
});
