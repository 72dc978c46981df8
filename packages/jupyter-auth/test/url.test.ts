import { describe, expect, it } from 'vitest';
import { JupyterAuthError } from '../src/errors.js';
import { hubUserUrl, type ParsedJupyterUrl, parseJupyterUrl } from '../src/url.js';

type Expect = Partial<ParsedJupyterUrl>;

const ok: [string, Expect][] = [
  [
    'http://localhost:8888',
    { baseUrl: 'http://localhost:8888/', wsUrl: 'ws://localhost:8888/', token: undefined },
  ],
  ['http://localhost:8888/', { baseUrl: 'http://localhost:8888/', path: undefined }],
  ['http://localhost:8888///', { baseUrl: 'http://localhost:8888/' }],
  [
    'http://127.0.0.1:8888/lab?token=abc123',
    { baseUrl: 'http://127.0.0.1:8888/', token: 'abc123', path: undefined },
  ],
  ['http://127.0.0.1:8888/lab/', { baseUrl: 'http://127.0.0.1:8888/' }],
  ['http://127.0.0.1:8888/tree', { baseUrl: 'http://127.0.0.1:8888/', path: undefined }],
  ['http://127.0.0.1:8888/tree/dir/sub', { baseUrl: 'http://127.0.0.1:8888/', path: 'dir/sub' }],
  ['http://h:8888/notebooks/x.ipynb', { baseUrl: 'http://h:8888/', path: 'x.ipynb' }],
  ['http://h:8888/notebooks/My%20Notes/x%20y.ipynb?token=t0k', { path: 'My Notes/x y.ipynb', token: 't0k' }],
  ['http://h:8888/lab/tree/a/b.ipynb', { baseUrl: 'http://h:8888/', path: 'a/b.ipynb' }],
  ['http://h:8888/lab/workspaces/auto-x/tree/a.ipynb', { baseUrl: 'http://h:8888/', path: 'a.ipynb' }],
  ['http://h:8888/doc/tree/a.ipynb', { path: 'a.ipynb' }],
  ['http://h:8888/edit/script.py', { path: 'script.py' }],
  [
    'http://h:8888/lab/tree/user/x.ipynb',
    { baseUrl: 'http://h:8888/', path: 'user/x.ipynb', hubUser: undefined },
  ],
  ['http://h:8888/login?next=%2Flab', { baseUrl: 'http://h:8888/' }],
  ['http://h:8888/api/contents', { baseUrl: 'http://h:8888/' }],
  ['http://h/jupyter/lab?token=a', { baseUrl: 'http://h/jupyter/', basePath: '/jupyter/', token: 'a' }],
  [
    'https://hub.example.org/user/alice/lab/tree/x.ipynb',
    {
      baseUrl: 'https://hub.example.org/user/alice/',
      wsUrl: 'wss://hub.example.org/user/alice/',
      hubUser: 'alice',
      hubServerName: undefined,
      path: 'x.ipynb',
    },
  ],
  [
    'https://hub.example.org/user/alice',
    { baseUrl: 'https://hub.example.org/user/alice/', hubUser: 'alice' },
  ],
  [
    'https://hub.example.org/user/alice/servername/',
    {
      baseUrl: 'https://hub.example.org/user/alice/servername/',
      hubUser: 'alice',
      hubServerName: 'servername',
    },
  ],
  [
    'https://hub.example.org/user/alice/gpu/lab/tree/y.ipynb?token=z',
    { baseUrl: 'https://hub.example.org/user/alice/gpu/', hubServerName: 'gpu', path: 'y.ipynb', token: 'z' },
  ],
  ['https://hub.example.org/hub/user/alice/lab', { baseUrl: 'https://hub.example.org/user/alice/' }],
  ['https://h.org/prefix/user/bob/tree', { baseUrl: 'https://h.org/prefix/user/bob/', hubUser: 'bob' }],
  ['https://h.org/user/a%40b.c/lab', { baseUrl: 'https://h.org/user/a%40b.c/', hubUser: 'a@b.c' }],
  [
    'http://[::1]:8888/lab',
    { baseUrl: 'http://[::1]:8888/', wsUrl: 'ws://[::1]:8888/', origin: 'http://[::1]:8888' },
  ],
  ['http://[fe80::1]/tree', { baseUrl: 'http://[fe80::1]/' }],
  ['localhost:8888', { baseUrl: 'http://localhost:8888/' }],
  ['127.0.0.1:8888/lab?token=abc', { baseUrl: 'http://127.0.0.1:8888/', token: 'abc' }],
  ['[::1]:8888', { baseUrl: 'http://[::1]:8888/' }],
  ['  "http://h:8888/lab"  ', { baseUrl: 'http://h:8888/' }],
  ['<http://h:8888/>', { baseUrl: 'http://h:8888/' }],
  ['HTTPS://Example.COM:443/Lab', { baseUrl: 'https://example.com/Lab/' }],
  ['https://example.com:8443/tree?token=x#frag', { baseUrl: 'https://example.com:8443/', token: 'x' }],
  ['http://user:pw@h:8888/lab', { baseUrl: 'http://h:8888/' }],
  // JupyterHub pages that name the user: the server URL follows from the URL alone.
  [
    'https://h.org/hub/spawn/alice/gpu',
    {
      baseUrl: 'https://h.org/user/alice/gpu/',
      hubUser: 'alice',
      hubServerName: 'gpu',
      hubUrl: 'https://h.org/',
      hubPage: { page: 'spawn', userUnknown: false },
    },
  ],
  [
    'https://h.org/jhub/hub/spawn-pending/bob',
    { baseUrl: 'https://h.org/jhub/user/bob/', hubUrl: 'https://h.org/jhub/' },
  ],
  [
    'https://h.org/hub/login?next=%2Fhub%2Fuser%2Falice%2Flab%2Ftree%2Fx.ipynb',
    { baseUrl: 'https://h.org/user/alice/', path: 'x.ipynb', hubPage: { page: 'login', userUnknown: false } },
  ],
  ['https://h.org/user/alice/lab', { hubUrl: 'https://h.org/' }],
  ['http://h:8888/lab', { hubUrl: undefined }],
  // Pages that do not: only the Hub is known until its API says whose token it is.
  [
    'https://h.org/hub/home',
    {
      baseUrl: 'https://h.org/',
      hubUrl: 'https://h.org/',
      hubUser: undefined,
      hubPage: { page: 'home', userUnknown: true, next: '' },
    },
  ],
  ['https://h.org/hub/', { hubPage: { page: 'home', userUnknown: true } }],
  [
    'https://h.org/jhub/hub/spawn',
    { baseUrl: 'https://h.org/jhub/', hubPage: { page: 'spawn', userUnknown: true } },
  ],
  ['https://h.org/hub/token', { hubPage: { page: 'token', userUnknown: true } }],
  [
    'https://h.org/hub/user-redirect/lab/tree/a%20b.ipynb?token=t0k3n',
    { token: 't0k3n', hubPage: { page: 'user-redirect', userUnknown: true, next: 'lab/tree/a%20b.ipynb' } },
  ],
  [
    'https://h.org/hub/login?next=%2Fhub%2Fuser-redirect%2Flab',
    { hubPage: { page: 'user-redirect', userUnknown: true, next: 'lab' } },
  ],
];

const bad: [string, RegExp][] = [
  ['', /empty/],
  ['   ', /empty/],
  ['ftp://h/lab', /Unsupported URL scheme "ftp:"/],
  ['file:///home/me/x.ipynb', /Unsupported URL scheme "file:"/],
  ['ws://h:8888/', /Unsupported URL scheme "ws:"/],
  ['javascript:alert(1)', /Unsupported URL scheme/],
  ['mailto:me@example.com', /Unsupported URL scheme/],
  ['not a url', /contains spaces/],
  ['http://', /not a valid URL/],
  ['http:/h:8888', /expected "http:\/\/host/],
  ['http://::1:8888/', /IPv6 address needs brackets/],
  ['http://h:99999/', /not a valid URL/],
  ['http://h/%E0%A4%A', /malformed %-escape/],
];

describe('hubPage', () => {
  it('is absent for user servers and plain servers', () => {
    expect(parseJupyterUrl('https://h.org/user/alice/lab').hubPage).toBeUndefined();
    expect(parseJupyterUrl('http://h:8888/lab').hubPage).toBeUndefined();
  });
});

describe('hubUserUrl', () => {
  it('puts the user (and server) where the Hub page leads', () => {
    const p = parseJupyterUrl('https://h.org/jhub/hub/user-redirect/lab/tree/x.ipynb?token=abcd1234');
    expect(hubUserUrl(p, 'alice')).toBe('https://h.org/jhub/user/alice/lab/tree/x.ipynb');
    expect(parseJupyterUrl(hubUserUrl(p, 'alice'))).toMatchObject({
      baseUrl: 'https://h.org/jhub/user/alice/',
      path: 'x.ipynb',
    });
    expect(hubUserUrl(parseJupyterUrl('https://h.org/hub/home'), 'a b', 'gpu')).toBe(
      'https://h.org/user/a%20b/gpu/',
    );
  });
});

describe('parseJupyterUrl', () => {
  it.each(ok)('%s', (input, expected) => {
    expect(parseJupyterUrl(input)).toMatchObject(expected);
  });

  it.each(bad)('rejects %j with INVALID_URL', (input, message) => {
    let err: unknown;
    try {
      parseJupyterUrl(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JupyterAuthError);
    expect((err as JupyterAuthError).code).toBe('INVALID_URL');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/e\.g\. http:\/\/127\.0\.0\.1:8888\//);
  });

  it('never echoes a token in an INVALID_URL message', () => {
    expect(() => parseJupyterUrl('ftp://h/lab?token=supersecret123')).toThrow(/^(?!.*supersecret123)/s);
  });
});
