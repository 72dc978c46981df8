import type { AuthMethod } from '@jupyter-mcp/jupyter-auth';
import { catalogueEntry, type FindingCode } from './catalogue.js';
import type { Finding, Observations, Probe, ProbeAuth, Severity } from './types.js';

/** Endpoints probed with every auth method (paths relative to the base URL). */
export const AUTH_ENDPOINTS = ['status', 'me', 'sessions', 'kernels', 'contents'] as const;

/** Preference order for the recommended method. */
const PREFERENCE: AuthMethod[] = [
  'token-header',
  'bearer-header',
  'password',
  'custom-headers',
  'query',
  'none',
];

const is2xx = (p: Probe | undefined): boolean =>
  !!p && p.status !== null && p.status >= 200 && p.status < 300;
const isDenied = (p: Probe | undefined): boolean =>
  !!p && p.status === 403 && /not authori[sz]ed/i.test(p.message);
const isXsrf = (p: Probe | undefined): boolean => !!p && p.status === 403 && /xsrf/i.test(p.message);

/** `GET /api/status` answered 200 → token-header (…), or `403 Forbidden`. */
function describe(p: Probe | undefined): string {
  if (!p) return 'not probed';
  const what = `${p.method} ${p.path}${p.auth !== 'none' ? ` with ${p.auth}` : ''}${p.origin ? ` (Origin: ${p.origin})` : ''}`;
  if (p.status === null)
    return `${what} failed: ${p.error ?? 'no answer'}${p.message ? ` (${p.message})` : ''}`;
  return `${what} answered ${p.status}${p.message ? ` "${p.message}"` : ''}`;
}

function probeMap(obs: Observations): (id: string) => Probe | undefined {
  const m = new Map(obs.probes.map((p) => [p.id, p]));
  return (id) => m.get(id);
}

/** Methods whose credentials the server accepted (authenticated, even if the authorizer then denied). */
function authenticated(obs: Observations, method: ProbeAuth): boolean {
  const P = probeMap(obs);
  const p = P(`http:status:${method}`);
  return is2xx(p) || isDenied(p);
}

/** The auth methods that work over HTTP, and the one to use (pure; part of the report). */
export function authSummary(obs: Observations): { working: AuthMethod[]; recommended: AuthMethod | null } {
  const P = probeMap(obs);
  const working = PREFERENCE.filter((m) => is2xx(P(`http:status:${m}`)));
  const wsFine = (m: AuthMethod) => {
    const ws = obs.probes.filter((p) => p.id.startsWith('ws:') && p.auth === m);
    return ws.length === 0 || ws.some((p) => p.status === 101);
  };
  const recommended = working.find(wsFine) ?? working[0] ?? null;
  return { working, recommended };
}

/**
 * The verdict: turns probe observations into findings. Pure and deterministic — unit-tested on recorded
 * observations for every finding code.
 */
export function diagnose(obs: Observations): Finding[] {
  const out: Finding[] = [];
  const P = probeMap(obs);
  const add = (code: FindingCode, severity: Severity, summary: string, explanation: string, fix?: string) => {
    if (out.some((f) => f.code === code)) return;
    out.push({ code, severity, summary, explanation, fix: fix ?? catalogueEntry(code).fix });
  };
  const api = P('api');
  if (!api) return out;

  // 1. Reachability
  if (api.status === null) {
    if (api.error === 'TLS_ERROR') {
      add(
        'TLS_ERROR',
        'error',
        `The TLS handshake with ${obs.baseUrl} failed.`,
        `${describe(api)}. The server speaks plain http, or its certificate is not trusted by Node.`,
        obs.baseUrl.startsWith('https:')
          ? `If the server speaks plain http use ${obs.baseUrl.replace(/^https:/, 'http:')}; for a self-signed or private-CA certificate set NODE_EXTRA_CA_CERTS=/path/to/ca.pem.`
          : catalogueEntry('TLS_ERROR').fix,
      );
    } else {
      const why =
        api.error === 'CONNECTION_REFUSED'
          ? 'the connection was refused: nothing listens on that port'
          : api.error === 'DNS_FAILED'
            ? 'the host name does not resolve'
            : api.error === 'TIMEOUT'
              ? 'no answer before the timeout (host down, firewall dropping packets, or server hung)'
              : 'the network request failed';
      add(
        'SERVER_UNREACHABLE',
        'error',
        `No Jupyter Server answers at ${obs.baseUrl}.`,
        `${describe(api)}: ${why}.`,
        api.error === 'DNS_FAILED'
          ? 'Check the host name in the URL.'
          : 'Start Jupyter (`jupyter lab` / `jupyter server`) or correct the host and port; `jupyter server list` prints the URLs of running servers.',
      );
    }
    return out;
  }

  // 2. Is it Jupyter, at this base?
  const hubish =
    obs.hubDetected || obs.server.kind === 'jupyterhub-singleuser' || /\/user\/[^/]+\//.test(obs.baseUrl);
  if (
    api.status === 424 ||
    (api.status === 503 && hubish) ||
    /\/hub\/(spawn|user)/.test(api.location ?? '') ||
    (hubish && /\/hub\/login/.test(api.location ?? ''))
  ) {
    add(
      'HUB_SERVER_STOPPED',
      'error',
      'The JupyterHub user server is not running.',
      `${describe(api)}${api.location ? ` → ${api.location}` : ''}: JupyterHub answers for a user server that is stopped or still starting.`,
    );
    return out;
  }
  if (obs.server.version === null) {
    const jupyterStyle = api.contentType === 'application/json' && /^forbidden$/i.test(api.message);
    if (api.status === 401 || (api.status === 403 && !jupyterStyle)) {
      const given = obs.credentials.headers.filter((h) => h !== 'origin');
      add(
        'PROXY_BLOCKED',
        'error',
        'Something in front of Jupyter refuses the request before it reaches the server.',
        `${describe(api)}${api.contentType ? ` (${api.contentType})` : ''}. Jupyter answers an unauthenticated GET /api with its version, and its own refusals are JSON ("Forbidden"); this one is not, so a proxy or gateway (SSO, API gateway, basic auth) answered.${given.length ? ` The headers given (${given.join(', ')}) were not accepted by it.` : ''}`,
      );
      return out;
    }
    if (api.status === 403) {
      add(
        'HOST_BLOCKED',
        'error',
        'The server refuses the Host header of these requests.',
        `${describe(api)}. An unauthenticated GET /api answers {"version": …} on every Jupyter Server unless the Host header is not local: the request went through a proxy, tunnel or a name like host.docker.internal, and Jupyter's DNS-rebinding guard blocked it (server log: "Blocking request with non-local 'Host'").`,
      );
      return out;
    }
    if (obs.suggestedBaseUrl) {
      add(
        'BASE_URL_WRONG',
        'error',
        `The Jupyter Server is at ${obs.suggestedBaseUrl}, not ${obs.baseUrl}.`,
        `${describe(api)}, but ${obs.suggestedBaseUrl}api answered the Jupyter version: the server runs under a base_url prefix the URL does not have.`,
        `Use ${obs.suggestedBaseUrl} as the URL (--url / JUPYTER_URL).`,
      );
      return out;
    }
    if (obs.hubDetected) {
      add(
        'BASE_URL_WRONG',
        'error',
        `${obs.baseUrl} is a JupyterHub, not a single-user server.`,
        `${describe(api)}; /hub/api answered as JupyterHub. Notebooks and kernels live on each user's server under /user/<name>/.`,
        `Use ${new URL(obs.baseUrl).origin}/user/<your-name>/ as the URL, with a Hub API token.`,
      );
      return out;
    }
    add(
      'NOT_JUPYTER',
      'error',
      `${obs.baseUrl} does not look like a Jupyter Server.`,
      `${describe(api)}${api.contentType ? ` (${api.contentType})` : ''}${api.location ? `, redirecting to ${api.location} (a login or SSO proxy in front?)` : ''}; a Jupyter Server answers GET <base>/api with {"version": …}, and no prefix on this host did.`,
    );
    return out;
  }
  if (obs.urlHadUiPath || obs.urlHadToken) {
    add(
      'URL_NORMALISED',
      'info',
      `Using the server base ${obs.baseUrl} from the URL you gave.`,
      `The URL ${obs.url} ${obs.urlHadUiPath ? 'names a UI page' : 'is the base'}${obs.urlHadToken ? ' and carries ?token= (it ends up in shell history and logs)' : ''}. jupyter-mcp understands it; other clients take a URL literally.`,
      `Configure ${obs.baseUrl} as the URL${obs.urlHadToken ? ' and pass the token with --token / JUPYTER_TOKEN' : ''}.`,
    );
  }

  // 3. Authentication
  const c = obs.credentials;
  const noAuth: AuthMethod = c.headers.length ? 'custom-headers' : 'none';
  const st = (m: ProbeAuth) => P(`http:status:${m}`);
  const hubNote =
    obs.server.kind === 'jupyterhub-singleuser'
      ? ' On JupyterHub the token must also carry an access:servers!server=<user>/<name> (or broader) scope.'
      : '';
  if (c.token) {
    const th = authenticated(obs, 'token-header');
    const br = authenticated(obs, 'bearer-header');
    const q = authenticated(obs, 'query');
    if (!th && !br && !q) {
      if (obs.loginPage?.passwordOnly && !(c.password && authenticated(obs, 'password'))) {
        add(
          'PASSWORD_REQUIRED',
          'error',
          'This server is password-only: it takes no token.',
          `${describe(st('token-header'))}. The login page asks for "Password:" only, so the server was started with an empty token and a password; any token is refused.`,
        );
      } else if (!obs.loginPage?.passwordOnly) {
        const evidence: string[] = [describe(st('token-header')), describe(st('query'))];
        const w = P('write:token-header');
        if (isXsrf(w))
          evidence.push(
            `a POST with the token was asked for XSRF ("${w!.message}"), which the server only does when the token was not accepted`,
          );
        const other = (obs.discovered ?? []).filter((d) => d.tokenMatches === false);
        const same = (obs.discovered ?? []).filter((d) => d.tokenMatches === true);
        let hint = '';
        if (other.length)
          hint += ` The local server on this port (${other[0]!.file}${other[0]!.pid ? `, pid ${other[0]!.pid}` : ''}) has a different token: it was restarted (a new random token each time) or the token was copied from an old session. The current token is in that file and in \`jupyter server list\`.`;
        else if (same.length) hint += ' The runtime file of the server on this port has this same token.';
        if (c.tokenWhitespace)
          hint +=
            ' The token has leading or trailing whitespace (a token file ending in a newline?): the server compares it exactly.';
        add(
          'TOKEN_REJECTED',
          'error',
          'The server does not accept the token.',
          `${evidence.join('; ')}. Jupyter never says "invalid token": a wrong, old or mistyped token gets the same 403 as no token.${hint}${hubNote}`,
          c.tokenWhitespace
            ? 'Strip the whitespace from the token (token file without a trailing newline), or use the current token from `jupyter server list`.'
            : other.length
              ? `Use the current token of the server on this port (\`jupyter server list\`, or ${other[0]!.file}).`
              : undefined,
        );
      }
    } else if (!th && !br && q) {
      add(
        'AUTH_HEADER_STRIPPED',
        'error',
        'The token works in the URL but not in the Authorization header: something drops the header.',
        `${describe(st('token-header'))}; ${describe(st('bearer-header'))}; but ${describe(st('query'))}. The same token is accepted as ?token= and refused as a header, so a proxy or gateway in between removes Authorization.`,
      );
    } else {
      if (th && !br) {
        add(
          'AUTH_SCHEME_UNSUPPORTED',
          'warning',
          'This server does not take "Authorization: Bearer"; use "Authorization: token".',
          `${describe(st('bearer-header'))} but ${describe(st('token-header'))}${obs.server.version?.startsWith('1.') ? ` (jupyter_server ${obs.server.version} only knows the "token" scheme)` : ''}. Clients that send Bearer get 403.`,
        );
      }
      const wsQuery = obs.probes.filter((p) => p.id.startsWith('ws:') && p.auth === 'query');
      const wsHeader = obs.probes.filter((p) => p.id.startsWith('ws:') && p.auth === 'token-header');
      const wsQueryIgnored =
        wsQuery.length > 0 &&
        wsQuery.every((p) => p.status === 403) &&
        wsHeader.some((p) => p.status === 101);
      if (!q || wsQueryIgnored) {
        const qp = !q ? st('query') : wsQuery[0];
        add(
          'QUERY_TOKEN_IGNORED',
          'warning',
          'The server ignores ?token= in URLs; send the token in the Authorization header.',
          `${describe(qp)} while ${describe(st('token-header'))}.${obs.server.kind === 'jupyterhub-singleuser' || hubish ? ' JupyterHub ≥ 5 ignores URL tokens unless JUPYTERHUB_ALLOW_TOKEN_IN_URL=1.' : ''} Clients that put the token in the websocket URL (@jupyterlab/services does by default) get 403 on kernel websockets.`,
        );
      }
    }
  }
  if (c.password) {
    const login = P('login');
    const ok = authenticated(obs, 'password');
    if (!ok && login) {
      add(
        'PASSWORD_REJECTED',
        'error',
        'The password login failed.',
        `${describe(login)}${login.status === 401 ? ' (401 "Invalid credentials": the only 401 Jupyter sends)' : ''}.${obs.loginPage && !obs.loginPage.passwordOnly && obs.loginPage.tokenAvailable ? ' The login form says "Password or token": if the server has no password, it expects the token there.' : ''}`,
      );
    }
  }
  if (!c.token && !c.password && !authenticated(obs, noAuth) && st(noAuth)?.status === 403) {
    const scheme = c.headerAuthScheme;
    if (
      scheme !== undefined &&
      scheme !== 'token' &&
      !(scheme === 'bearer' && !obs.server.version?.startsWith('1.'))
    ) {
      add(
        'AUTH_SCHEME_UNSUPPORTED',
        'error',
        `The Authorization header uses a scheme this server does not take (${scheme || 'no scheme'}).`,
        `${describe(st(noAuth))}. Jupyter Server 2.x takes "token <t>" and "Bearer <t>"; 1.x and Notebook 6 only "token <t>"; never Basic.`,
      );
    } else if (scheme === 'token' || scheme === 'bearer') {
      add(
        'TOKEN_REJECTED',
        'error',
        'The server does not accept the token in your Authorization header.',
        `${describe(st(noAuth))}. Jupyter never says "invalid token".${hubNote}`,
      );
    } else if (obs.loginPage?.passwordOnly) {
      add(
        'PASSWORD_REQUIRED',
        'error',
        'This server is password-only and no password was given.',
        `${describe(st(noAuth))}. The login page asks for "Password:" only (no token configured).`,
        'Pass the password with --password-env VAR (the name of an environment variable holding it).',
      );
    } else {
      add(
        'TOKEN_MISSING',
        'error',
        c.headers.length
          ? 'The headers given do not authenticate, and no token was given.'
          : 'No token was given and the server requires one.',
        `${describe(st(noAuth))}, while GET /api answered the version: the server is there and wants credentials.${c.headers.includes('cookie') ? ' A login cookie that no longer works was cleared by the server ("Clearing invalid/expired login cookie"): log in again.' : ''}`,
      );
    }
  }

  const { recommended } = authSummary(obs);

  // 4. Writes (XSRF)
  if (recommended) {
    const w = P(`write:${recommended}`);
    if (isXsrf(w)) {
      add(
        'XSRF_REQUIRED',
        'error',
        'Reads work but writes are refused by the XSRF check.',
        `${describe(w)}. Writes that are not token-authenticated must carry the _xsrf cookie echoed as X-XSRFToken.${recommended === 'none' ? ' The server has no authentication at all, yet still checks XSRF on writes.' : ''}`,
        recommended === 'none'
          ? 'Start the server with a token (then send it), or with --ServerApp.disable_check_xsrf=True on a trusted network; or GET <base>/login and echo its _xsrf cookie as X-XSRFToken.'
          : undefined,
      );
    } else if (recommended === 'password' && isXsrf(P('write:cookie-no-xsrf'))) {
      add(
        'XSRF_REQUIRED',
        'warning',
        'With password (cookie) login, every write must echo the _xsrf cookie.',
        `${describe(P('write:cookie-no-xsrf'))}, while the same POST with X-XSRFToken passed the check (${describe(w)}). jupyter-mcp sends it; other clients (e.g. @jupyterlab/services under Node) do not and get 403 on writes.`,
      );
    }
  }

  // 5. Origin
  if (recommended) {
    const none = P('origin:none');
    const user = P('origin:user');
    const foreign = P('origin:foreign');
    const blocked = (p: Probe | undefined) => !!p && (p.status === 404 || p.status === 403);
    if (c.origin && blocked(user) && is2xx(none)) {
      add(
        'ORIGIN_BLOCKED',
        'error',
        `Requests with Origin ${c.origin} are refused as cross-origin.`,
        `${describe(user)} while ${describe(none)}: Jupyter answers 404 to cross-origin API requests that are not token-authenticated (server log: "Blocking Cross Origin API request").`,
        `Use token auth, or start the server with --ServerApp.allow_origin=${c.origin} (or allow_origin_pat).`,
      );
    } else if (!c.origin && blocked(foreign) && is2xx(none)) {
      add(
        'ORIGIN_BLOCKED',
        'info',
        `Cross-origin requests with ${recommended} auth are refused.`,
        `${describe(foreign)} while ${describe(none)}. Only browser-based clients served from another origin are affected; token-authenticated requests skip the check.`,
      );
    }
  }

  // 6. Websockets
  const ws = obs.probes.filter((p) => p.id.startsWith('ws:'));
  const stripped = ws.find((p) => p.status === 400 && /upgrade|connection/i.test(p.message));
  if (stripped) {
    add(
      'WEBSOCKET_UPGRADE_STRIPPED',
      'error',
      'Websocket handshakes arrive without their Upgrade/Connection headers.',
      `${describe(stripped)}: the server saw a plain GET, so a proxy in between drops the hop-by-hop Upgrade and Connection headers. Kernels cannot be used.`,
    );
  } else if (ws.length) {
    const httpOk = (m: ProbeAuth) => is2xx(st(m));
    const methods = [...new Set(ws.map((p) => p.auth))].filter((m) => httpOk(m));
    const blockedMethods = methods.filter((m) => {
      const mine = ws.filter((p) => p.auth === m);
      return mine.length > 0 && mine.every((p) => p.status !== 101 && p.status !== 404);
    });
    const queryExplained = out.some((f) => f.code === 'QUERY_TOKEN_IGNORED');
    const relevant = blockedMethods.filter((m) => !(m === 'query' && queryExplained));
    if (methods.length && relevant.length) {
      const all = blockedMethods.length === methods.length;
      const p = ws.find((x) => x.auth === relevant[0]);
      add(
        'WEBSOCKET_BLOCKED',
        all ? 'error' : 'warning',
        all
          ? ws.every((x) => x.status === null)
            ? 'HTTP requests authenticate but websocket connections fail (reset or timed out).'
            : 'HTTP requests authenticate but websocket handshakes are refused.'
          : `Websocket handshakes with ${relevant.join(', ')} are refused (other methods work).`,
        `${describe(p)} while ${describe(st(relevant[0]!))}. Kernel execution needs the websocket.`,
      );
    }
  }

  // 7. Authorization
  const deniedProbe = obs.probes.find(isDenied);
  const missing = obs.permissions
    ? Object.entries(obs.permissions.requested).flatMap(([res, acts]) =>
        acts.filter((a) => !(obs.permissions!.granted[res] ?? []).includes(a)).map((a) => `${res}:${a}`),
      )
    : [];
  if (deniedProbe || missing.length) {
    add(
      'AUTHORIZATION_DENIED',
      'error',
      'Authenticated, but not allowed to do everything jupyter-mcp needs.',
      [
        deniedProbe ? describe(deniedProbe) : '',
        missing.length ? `GET /api/me?permissions=… did not grant ${missing.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ') + '. The server authorizer (custom, or JupyterHub scopes) refuses these actions.',
    );
  }
  return out;
}
