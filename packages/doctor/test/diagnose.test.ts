import { describe, expect, it } from 'vitest';
import { authSummary, diagnose, FINDING_CODES, type FindingCode, type Observations } from '../src/index.js';
import { API_OK, endpoints, observations, probe } from './observations.js';

const codes = (o: Observations) => diagnose(o).map((f) => f.code);
const finding = (o: Observations, code: FindingCode) => diagnose(o).find((f) => f.code === code)!;

/** A healthy jupyter_server 2.x seen with a right token. */
const healthy = () =>
  observations({
    probes: [
      API_OK,
      ...endpoints('token-header', 200),
      ...endpoints('bearer-header', 200),
      ...endpoints('query', 200),
      ...endpoints('none', 403),
      probe('write:token-header', 400, 'Invalid JSON in body of request'),
      probe('write:none', 403, "'_xsrf' argument missing from POST"),
      probe('origin:none', 200, '', { auth: 'token-header' }),
      probe('origin:foreign', 200, '', { auth: 'token-header', origin: 'https://x.invalid' }),
      probe('ws:events:token-header', 101),
      probe('ws:events:query', 101),
      probe('ws:kernel:token-header', 101),
      probe('ws:kernel:query', 101),
    ],
    permissions: {
      requested: { kernels: ['read', 'execute'] },
      granted: { kernels: ['read', 'write', 'execute'] },
    },
  });

/** Swap probes by id. */
function withProbes(o: Observations, ...ps: ReturnType<typeof probe>[]): Observations {
  const ids = new Set(ps.map((p) => p.id));
  return { ...o, probes: [...o.probes.filter((p) => !ids.has(p.id)), ...ps] };
}

describe('diagnose', () => {
  it('finds nothing wrong with a healthy server and recommends token-header', () => {
    expect(diagnose(healthy())).toEqual([]);
    expect(authSummary(healthy())).toEqual({
      working: ['token-header', 'bearer-header', 'query'],
      recommended: 'token-header',
    });
  });

  it('SERVER_UNREACHABLE: connection refused, and nothing else is judged', () => {
    const o = observations({
      probes: [probe('api', null, 'ECONNREFUSED', { error: 'CONNECTION_REFUSED' })],
      server: { version: null, kind: 'unknown' },
    });
    expect(codes(o)).toEqual(['SERVER_UNREACHABLE']);
    expect(finding(o, 'SERVER_UNREACHABLE').explanation).toMatch(/refused/);
  });

  it('SERVER_UNREACHABLE: DNS and timeout say why', () => {
    const dns = observations({
      probes: [probe('api', null, 'ENOTFOUND', { error: 'DNS_FAILED' })],
      server: { version: null, kind: 'unknown' },
    });
    expect(finding(dns, 'SERVER_UNREACHABLE').fix).toMatch(/host name/);
    const slow = observations({
      probes: [probe('api', null, '', { error: 'TIMEOUT' })],
      server: { version: null, kind: 'unknown' },
    });
    expect(finding(slow, 'SERVER_UNREACHABLE').explanation).toMatch(/timeout/);
  });

  it('TLS_ERROR: https against a plain-http server', () => {
    const o = observations({
      baseUrl: 'https://127.0.0.1:8888/',
      probes: [probe('api', null, 'ERR_SSL_WRONG_VERSION_NUMBER', { error: 'TLS_ERROR' })],
      server: { version: null, kind: 'unknown' },
    });
    expect(codes(o)).toEqual(['TLS_ERROR']);
    expect(finding(o, 'TLS_ERROR').fix).toContain('http://127.0.0.1:8888/');
  });

  it('NOT_JUPYTER: an HTML page and no Jupyter prefix anywhere', () => {
    const o = observations({
      probes: [probe('api', 200, 'Hello', { contentType: 'text/html' })],
      server: { version: null, kind: 'unknown' },
      suggestedBaseUrl: null,
      hubDetected: false,
    });
    expect(codes(o)).toEqual(['NOT_JUPYTER']);
  });

  it('BASE_URL_WRONG: a prefix found by the base search', () => {
    const o = observations({
      probes: [probe('api', 404, 'Jupyter Server')],
      server: { version: null, kind: 'unknown' },
      suggestedBaseUrl: 'http://127.0.0.1:8888/user/alice/',
    });
    expect(codes(o)).toEqual(['BASE_URL_WRONG']);
    expect(finding(o, 'BASE_URL_WRONG').fix).toContain('http://127.0.0.1:8888/user/alice/');
  });

  it('BASE_URL_WRONG: the Hub itself instead of a user server', () => {
    const o = observations({
      baseUrl: 'https://hub.example.org/',
      probes: [probe('api', 404, 'Not Found'), probe('hub-api', 200, 'version 5.3.0')],
      server: { version: null, kind: 'unknown' },
      suggestedBaseUrl: null,
      hubDetected: true,
    });
    expect(codes(o)).toEqual(['BASE_URL_WRONG']);
    expect(finding(o, 'BASE_URL_WRONG').fix).toContain('/user/<your-name>/');
  });

  it('URL_NORMALISED: a pasted UI URL with a token is an info finding only', () => {
    const o = { ...healthy(), urlHadUiPath: true, urlHadToken: true };
    const f = diagnose(o);
    expect(f.map((x) => x.code)).toEqual(['URL_NORMALISED']);
    expect(f[0]!.severity).toBe('info');
  });

  it('HOST_BLOCKED: unauthenticated GET /api is 403', () => {
    const o = observations({
      probes: [probe('api', 403, 'Forbidden', { contentType: 'application/json' })],
      server: { version: null, kind: 'unknown' },
    });
    expect(codes(o)).toEqual(['HOST_BLOCKED']);
    expect(finding(o, 'HOST_BLOCKED').fix).toMatch(/allow_remote_access|local_hostnames/);
  });

  it('PROXY_BLOCKED: a non-Jupyter 403 on /api (an SSO proxy wanting its header)', () => {
    const base = observations({
      probes: [probe('api', 403, 'proxy: missing required header', { contentType: 'text/plain' })],
      server: { version: null, kind: 'unknown' },
    });
    const o = { ...base, credentials: { ...base.credentials, headers: ['x-sso'] } };
    expect(codes(o)).toEqual(['PROXY_BLOCKED']);
    expect(finding(o, 'PROXY_BLOCKED').explanation).toContain('x-sso');
    expect(finding(o, 'PROXY_BLOCKED').fix).toMatch(/--header/);
  });

  it('PROXY_BLOCKED: 401 basic auth in front of Jupyter', () => {
    const o = observations({
      probes: [probe('api', 401, 'Unauthorized', { contentType: 'text/html' })],
      server: { version: null, kind: 'unknown' },
    });
    expect(codes(o)).toEqual(['PROXY_BLOCKED']);
  });

  it('HUB_SERVER_STOPPED: 424 from the Hub (recorded JupyterHub 5)', () => {
    const o = observations({
      baseUrl: 'https://hub.example.org/user/alice/',
      probes: [probe('api', 424, 'Server not running')],
      server: { version: null, kind: 'unknown' },
    });
    expect(codes(o)).toEqual(['HUB_SERVER_STOPPED']);
  });

  it('HUB_SERVER_STOPPED: 503 on a /user/<name>/ URL', () => {
    const o = observations({
      baseUrl: 'https://hub.example.org/user/alice/',
      probes: [probe('api', 503, 'Service Unavailable')],
      server: { version: null, kind: 'unknown' },
    });
    expect(codes(o)).toEqual(['HUB_SERVER_STOPPED']);
  });

  it('HUB_SERVER_STOPPED: the Hub redirects a /user/<name>/ API call to its login page', () => {
    const o = observations({
      baseUrl: 'https://hub.example.org/user/alice/',
      probes: [probe('api', 302, '', { location: '/hub/login?next=%2Fhub%2Fuser%2Falice%2Fapi' })],
      server: { version: null, kind: 'unknown' },
    });
    expect(codes(o)).toEqual(['HUB_SERVER_STOPPED']);
  });

  it('NOT_JUPYTER names a redirect (SSO proxy) when there is one', () => {
    const o = observations({
      probes: [probe('api', 302, '', { location: 'https://sso.example.org/login' })],
      server: { version: null, kind: 'unknown' },
    });
    expect(finding(o, 'NOT_JUPYTER').explanation).toContain('https://sso.example.org/login');
  });

  it('TOKEN_MISSING: no credentials, API 403', () => {
    const o = observations({
      credentials: { token: false, tokenWhitespace: false, password: false, headers: [] },
      probes: [
        API_OK,
        ...endpoints('none', 403),
        probe('write:none', 403, "'_xsrf' argument missing from POST"),
      ],
    });
    expect(codes(o)).toEqual(['TOKEN_MISSING']);
    expect(authSummary(o)).toEqual({ working: [], recommended: null });
  });

  it('TOKEN_REJECTED: every token form 403, the write asks for XSRF, and the local runtime file differs', () => {
    const o = observations({
      probes: [
        API_OK,
        ...endpoints('token-header', 403),
        ...endpoints('bearer-header', 403),
        ...endpoints('query', 403),
        ...endpoints('none', 403),
        probe('write:token-header', 403, "'_xsrf' argument missing from POST"),
      ],
      discovered: [
        {
          url: 'http://127.0.0.1:8888/',
          baseUrl: '/',
          port: 8888,
          pid: 4242,
          version: '2.21.1',
          rootDir: '/home/u',
          file: '/run/jupyter/jpserver-4242.json',
          hasToken: true,
          hasPassword: false,
          alive: true,
          tokenMatches: false,
        },
      ],
    });
    const f = finding(o, 'TOKEN_REJECTED');
    expect(codes(o)).toEqual(['TOKEN_REJECTED']);
    expect(f.explanation).toMatch(/XSRF/);
    expect(f.explanation).toContain('jpserver-4242.json');
    expect(f.explanation).toMatch(/restarted/);
    expect(f.fix).toContain('jpserver-4242.json');
  });

  it('TOKEN_REJECTED: a token with a trailing newline is called out', () => {
    const base = observations({
      probes: [
        API_OK,
        ...endpoints('token-header', 403),
        ...endpoints('bearer-header', 403),
        ...endpoints('query', 403),
      ],
    });
    const o = { ...base, credentials: { ...base.credentials, tokenWhitespace: true } };
    expect(finding(o, 'TOKEN_REJECTED').fix).toMatch(/whitespace/);
  });

  it('TOKEN_REJECTED on JupyterHub mentions the access scope', () => {
    const o = observations({
      baseUrl: 'https://hub.example.org/user/alice/',
      server: { version: '2.14.0', kind: 'jupyterhub-singleuser' },
      loginPage: null,
      probes: [
        API_OK,
        ...endpoints('token-header', 403),
        ...endpoints('bearer-header', 403),
        ...endpoints('query', 403),
      ],
    });
    expect(finding(o, 'TOKEN_REJECTED').explanation).toMatch(/access:servers/);
  });

  it('AUTH_SCHEME_UNSUPPORTED: Bearer refused on jupyter_server 1.x (recorded)', () => {
    const o = observations({
      server: { version: '1.24.0', kind: 'jupyter_server' },
      probes: [
        probe('api', 200, 'version 1.24.0'),
        ...endpoints('token-header', 200),
        ...endpoints('bearer-header', 403),
        ...endpoints('query', 200),
      ],
    });
    expect(codes(o)).toEqual(['AUTH_SCHEME_UNSUPPORTED']);
    expect(finding(o, 'AUTH_SCHEME_UNSUPPORTED').explanation).toMatch(/1\.24\.0/);
    expect(authSummary(o).recommended).toBe('token-header');
  });

  it('AUTH_SCHEME_UNSUPPORTED: a Basic Authorization header given with --header is an error', () => {
    const o = observations({
      credentials: {
        token: false,
        tokenWhitespace: false,
        password: false,
        headers: ['authorization'],
        headerAuthScheme: 'basic',
      },
      probes: [API_OK, ...endpoints('custom-headers', 403)],
    });
    expect(codes(o)).toEqual(['AUTH_SCHEME_UNSUPPORTED']);
    expect(finding(o, 'AUTH_SCHEME_UNSUPPORTED').severity).toBe('error');
  });

  it('AUTH_HEADER_STRIPPED: header 403, query 200', () => {
    const o = withProbes(
      healthy(),
      ...endpoints('token-header', 403),
      ...endpoints('bearer-header', 403),
      probe('ws:events:token-header', 403),
      probe('ws:kernel:token-header', 403),
    );
    expect(codes(o)).toEqual(['AUTH_HEADER_STRIPPED']);
    expect(authSummary(o).recommended).toBe('query');
  });

  it('QUERY_TOKEN_IGNORED: JupyterHub 5 ignores ?token= (recorded)', () => {
    const o = withProbes(
      { ...healthy(), server: { version: '2.14.0', kind: 'jupyterhub-singleuser' }, hubDetected: true },
      ...endpoints('query', 403),
      probe('ws:kernel:query', 403),
      probe('ws:events:query', 403),
    );
    expect(codes(o)).toEqual(['QUERY_TOKEN_IGNORED']);
    expect(finding(o, 'QUERY_TOKEN_IGNORED').explanation).toMatch(/JUPYTERHUB_ALLOW_TOKEN_IN_URL/);
  });

  it('QUERY_TOKEN_IGNORED: HTTP query fine but the websocket URL token refused', () => {
    const o = withProbes(healthy(), probe('ws:kernel:query', 403), probe('ws:events:query', 403));
    expect(codes(o)).toEqual(['QUERY_TOKEN_IGNORED']);
  });

  it('PASSWORD_REQUIRED: a token against a password-only server', () => {
    const o = observations({
      loginPage: { passwordOnly: true, tokenAvailable: false },
      probes: [
        API_OK,
        ...endpoints('token-header', 403),
        ...endpoints('bearer-header', 403),
        ...endpoints('query', 403),
      ],
    });
    expect(codes(o)).toEqual(['PASSWORD_REQUIRED']);
  });

  it('PASSWORD_REQUIRED: nothing given to a password-only server', () => {
    const o = observations({
      credentials: { token: false, tokenWhitespace: false, password: false, headers: [] },
      loginPage: { passwordOnly: true, tokenAvailable: false },
      probes: [API_OK, ...endpoints('none', 403)],
    });
    expect(codes(o)).toEqual(['PASSWORD_REQUIRED']);
    expect(finding(o, 'PASSWORD_REQUIRED').fix).toMatch(/--password-env/);
  });

  it('PASSWORD_REJECTED: 401 on POST /login', () => {
    const o = observations({
      credentials: { token: false, tokenWhitespace: false, password: true, headers: [] },
      loginPage: { passwordOnly: true, tokenAvailable: false },
      probes: [API_OK, probe('login', 401, 'Invalid credentials'), ...endpoints('none', 403)],
    });
    expect(codes(o)).toEqual(['PASSWORD_REJECTED']);
    expect(finding(o, 'PASSWORD_REJECTED').explanation).toMatch(/401/);
  });

  const cookieServer = () =>
    observations({
      credentials: { token: false, tokenWhitespace: false, password: true, headers: [] },
      loginPage: { passwordOnly: true, tokenAvailable: false },
      probes: [
        API_OK,
        probe('login', 302),
        ...endpoints('password', 200),
        ...endpoints('none', 403),
        probe('write:password', 400, 'Invalid JSON in body of request'),
        probe('write:cookie-no-xsrf', 403, "'_xsrf' argument missing from POST"),
        probe('origin:none', 200, '', { auth: 'password' }),
        probe('origin:foreign', 404, 'Not Found', { auth: 'password', origin: 'https://x.invalid' }),
        probe('ws:kernel:password', 101),
      ],
    });

  it('XSRF_REQUIRED (warning) + ORIGIN_BLOCKED (info) for a healthy password login', () => {
    const f = diagnose(cookieServer());
    expect(f.map((x) => [x.code, x.severity])).toEqual([
      ['XSRF_REQUIRED', 'warning'],
      ['ORIGIN_BLOCKED', 'info'],
    ]);
    expect(authSummary(cookieServer())).toEqual({ working: ['password'], recommended: 'password' });
  });

  it('XSRF_REQUIRED (error): an open server still checks XSRF on writes', () => {
    const o = observations({
      credentials: { token: false, tokenWhitespace: false, password: false, headers: [] },
      probes: [
        API_OK,
        ...endpoints('none', 200),
        probe('write:none', 403, "'_xsrf' argument missing from POST"),
      ],
    });
    expect(codes(o)).toEqual(['XSRF_REQUIRED']);
    expect(finding(o, 'XSRF_REQUIRED').severity).toBe('error');
    expect(finding(o, 'XSRF_REQUIRED').fix).toMatch(/disable_check_xsrf/);
  });

  it('ORIGIN_BLOCKED (error): the client sends a foreign Origin with cookie auth', () => {
    const base = cookieServer();
    const o = withProbes(
      {
        ...base,
        credentials: { ...base.credentials, headers: ['origin'], origin: 'http://evil.example.com' },
      },
      probe('origin:user', 404, 'Not Found', { auth: 'password', origin: 'http://evil.example.com' }),
    );
    const f = finding(o, 'ORIGIN_BLOCKED');
    expect(f.severity).toBe('error');
    expect(f.fix).toContain('allow_origin=http://evil.example.com');
  });

  it('WEBSOCKET_UPGRADE_STRIPPED: handshake answered 400 Can "Upgrade" only to "WebSocket"', () => {
    const o = withProbes(
      healthy(),
      probe('ws:events:token-header', 400, 'Can "Upgrade" only to "WebSocket".'),
      probe('ws:kernel:token-header', 400, 'Can "Upgrade" only to "WebSocket".'),
    );
    expect(codes(o)).toEqual(['WEBSOCKET_UPGRADE_STRIPPED']);
  });

  it('WEBSOCKET_BLOCKED: HTTP works, every handshake 403', () => {
    const o = withProbes(
      healthy(),
      probe('ws:events:token-header', 403),
      probe('ws:kernel:token-header', 403),
      probe('ws:events:bearer-header', 403),
      probe('ws:events:query', 403),
      probe('ws:kernel:query', 403),
    );
    expect(codes(o)).toContain('WEBSOCKET_BLOCKED');
    expect(finding(o, 'WEBSOCKET_BLOCKED').severity).toBe('error');
  });

  it('WEBSOCKET_BLOCKED: a websocket that times out behind a proxy', () => {
    const o = withProbes(
      healthy(),
      probe('ws:events:token-header', null, '', { error: 'TIMEOUT' }),
      probe('ws:kernel:token-header', null, '', { error: 'TIMEOUT' }),
      probe('ws:events:query', null, '', { error: 'TIMEOUT' }),
      probe('ws:kernel:query', null, '', { error: 'TIMEOUT' }),
    );
    expect(codes(o)).toEqual(['WEBSOCKET_BLOCKED']);
  });

  it('AUTHORIZATION_DENIED: /api/me withholds kernels:execute', () => {
    const o = {
      ...healthy(),
      permissions: { requested: { kernels: ['read', 'execute'] }, granted: { kernels: ['read'] } },
    };
    expect(codes(o)).toEqual(['AUTHORIZATION_DENIED']);
    expect(finding(o, 'AUTHORIZATION_DENIED').explanation).toContain('kernels:execute');
  });

  it('AUTHORIZATION_DENIED: "User is not authorized" 403 (custom authorizer, recorded)', () => {
    const o = withProbes(
      healthy(),
      probe('http:kernels:token-header', 403, 'User is not authorized to read on resource: kernels.'),
    );
    expect(codes(o)).toEqual(['AUTHORIZATION_DENIED']);
    expect(authSummary(o).working).toContain('token-header');
  });

  it('every finding code has at least one recorded scenario above', () => {
    // Guards against adding a code without a unit test: keep this list in sync with the tests.
    const covered: FindingCode[] = [
      'SERVER_UNREACHABLE',
      'TLS_ERROR',
      'NOT_JUPYTER',
      'BASE_URL_WRONG',
      'URL_NORMALISED',
      'HOST_BLOCKED',
      'PROXY_BLOCKED',
      'HUB_SERVER_STOPPED',
      'TOKEN_MISSING',
      'TOKEN_REJECTED',
      'AUTH_SCHEME_UNSUPPORTED',
      'AUTH_HEADER_STRIPPED',
      'QUERY_TOKEN_IGNORED',
      'PASSWORD_REQUIRED',
      'PASSWORD_REJECTED',
      'XSRF_REQUIRED',
      'ORIGIN_BLOCKED',
      'WEBSOCKET_BLOCKED',
      'WEBSOCKET_UPGRADE_STRIPPED',
      'AUTHORIZATION_DENIED',
    ];
    expect([...covered].sort()).toEqual([...FINDING_CODES].sort());
  });
});
