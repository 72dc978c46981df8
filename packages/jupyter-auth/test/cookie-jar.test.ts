import { describe, expect, it } from 'vitest';
import { CookieJar } from '../src/internal/cookie-jar.js';

describe('CookieJar', () => {
  const base = 'http://127.0.0.1:8888/user/alice/';

  it('keeps cookies for the server origin + base path only', () => {
    const seen: string[] = [];
    const jar = new CookieJar(base, (v) => seen.push(v));
    jar.store(`${base}login`, [
      '_xsrf=2|ab|cd|1; Path=/',
      'username-127-0-0-1-8888="2|1:0|x"; HttpOnly; Path=/',
    ]);
    jar.store('http://evil.example/user/alice/login', ['stolen=1; Path=/']);
    jar.store('http://127.0.0.1:8888/user/bob/x', ['other=1; Path=/']);
    expect(jar.names()).toEqual(['_xsrf', 'username-127-0-0-1-8888']);
    expect(jar.header(`${base}api/status`)).toBe('_xsrf=2|ab|cd|1; username-127-0-0-1-8888="2|1:0|x"');
    expect(jar.header('ws://127.0.0.1:8888/user/alice/api/kernels/k/channels')).toContain('_xsrf=');
    expect(jar.header('http://127.0.0.1:9999/user/alice/api')).toBe('');
    expect(jar.header('http://127.0.0.1:8888/user/bob/api')).toBe('');
    expect(jar.get('_xsrf')).toBe('2|ab|cd|1');
    expect(seen).toContain('2|1:0|x'); // unquoted value registered for redaction too
  });

  it('honours deletion, Max-Age and Expires', () => {
    let now = 1_000_000;
    const jar = new CookieJar(
      base,
      () => {},
      () => now,
    );
    jar.store(base, ['a=1; Max-Age=10', 'b=2; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'c=3']);
    expect(jar.names()).toEqual(['a', 'c']);
    now += 11_000;
    expect(jar.names()).toEqual(['c']);
    jar.store(base, ['c=; Path=/']);
    expect(jar.names()).toEqual([]);
    jar.set('_xsrf', 'abcd');
    expect(jar.has('_x')).toBe(true);
    jar.clear();
    expect(jar.header(base)).toBe('');
  });
});
