/**
 * The doctor's catalogue: every finding code with the check it belongs to, the cause in one line, and the
 * generic fix. `diagnose()` fills in what was actually observed; the README's "Troubleshooting 403" table
 * is generated from this same list (`renderCatalogueMarkdown`).
 */

export const FINDING_CODES = [
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
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type CheckId = 'reachability' | 'server' | 'auth' | 'writes' | 'origin' | 'websocket' | 'permissions';

export const CHECKS: readonly { id: CheckId; label: string }[] = [
  { id: 'reachability', label: 'Reachability' },
  { id: 'server', label: 'Jupyter Server' },
  { id: 'auth', label: 'Authentication' },
  { id: 'writes', label: 'Writes (XSRF)' },
  { id: 'origin', label: 'Origin' },
  { id: 'websocket', label: 'Websockets' },
  { id: 'permissions', label: 'Permissions' },
];

export interface CatalogueEntry {
  code: FindingCode;
  check: CheckId;
  /** What the client sees. */
  symptom: string;
  /** The cause, in one line. */
  cause: string;
  /** The generic fix. */
  fix: string;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    code: 'SERVER_UNREACHABLE',
    check: 'reachability',
    symptom: '`fetch failed` / ECONNREFUSED / timeout',
    cause: 'Nothing answers at that host and port (server not running, wrong port, DNS, firewall).',
    fix: 'Start Jupyter or correct the URL; `jupyter server list` shows the running servers and their URLs.',
  },
  {
    code: 'TLS_ERROR',
    check: 'reachability',
    symptom: 'TLS handshake fails',
    cause: 'https against an http server, or a certificate Node does not trust (self-signed, wrong host).',
    fix: 'Use the scheme the server speaks; for a private CA set `NODE_EXTRA_CA_CERTS=/path/ca.pem`.',
  },
  {
    code: 'NOT_JUPYTER',
    check: 'server',
    symptom: '`GET <base>/api` is not `{"version": …}`',
    cause: 'Something other than a Jupyter Server answers at that address.',
    fix: 'Point the URL at the Jupyter Server itself (the address `jupyter server list` prints).',
  },
  {
    code: 'BASE_URL_WRONG',
    check: 'server',
    symptom: '404 HTML on every API call',
    cause: 'The server runs under a prefix (`base_url`, JupyterHub `/user/<name>/`) the URL does not have.',
    fix: 'Use the base URL the doctor found (everything before `/lab`, `/tree`, `/api`).',
  },
  {
    code: 'URL_NORMALISED',
    check: 'server',
    symptom: 'a pasted browser URL (`…/lab/tree/x.ipynb?token=…`)',
    cause: 'The URL names a UI page, not the server base; other clients take it literally.',
    fix: 'Configure the base URL the doctor printed and pass the token separately (`--token`, `JUPYTER_TOKEN`).',
  },
  {
    code: 'HOST_BLOCKED',
    check: 'server',
    symptom: '403 on everything, even unauthenticated `GET /api`',
    cause:
      "The `Host` header is not local (proxy, tunnel, `host.docker.internal`): Jupyter's DNS-rebinding guard.",
    fix: 'Start Jupyter with `--ServerApp.allow_remote_access=True` or add the name to `--ServerApp.local_hostnames`.',
  },
  {
    code: 'PROXY_BLOCKED',
    check: 'server',
    symptom: '401/403 on `GET <base>/api` that is not Jupyter JSON',
    cause:
      'A proxy or gateway in front of Jupyter (SSO, API gateway, basic auth) refuses the request before Jupyter sees it.',
    fix: "Send the proxy's own credentials with `--header 'Name: value'` (its cookie, API key or Authorization).",
  },
  {
    code: 'HUB_SERVER_STOPPED',
    check: 'server',
    symptom: '424 / 503 from JupyterHub',
    cause: 'The JupyterHub user server is not running.',
    fix: 'Start the server from the Hub control panel (`/hub/home`) or the Hub API, then retry.',
  },
  {
    code: 'TOKEN_MISSING',
    check: 'auth',
    symptom: '403 `Forbidden` on API calls',
    cause: 'No credentials were sent and the server requires them.',
    fix: 'Pass the token: `--token`, `--token-file` or `JUPYTER_TOKEN` (`jupyter server list` shows it).',
  },
  {
    code: 'TOKEN_REJECTED',
    check: 'auth',
    symptom: '403 `Forbidden`; the server never says "invalid token"',
    cause: 'Wrong or old token: a new random token on every restart, a copied token with a newline.',
    fix: 'Use the current token from `jupyter server list` (or fix the token with `--IdentityProvider.token`).',
  },
  {
    code: 'AUTH_SCHEME_UNSUPPORTED',
    check: 'auth',
    symptom: '403 with a right token',
    cause:
      'The token is sent in a form this server does not take (`Bearer` on jupyter_server 1.x, `Basic`, no scheme).',
    fix: 'Send `Authorization: token <token>`.',
  },
  {
    code: 'AUTH_HEADER_STRIPPED',
    check: 'auth',
    symptom: '403 with the header, 200 with `?token=`',
    cause: 'Something between client and server (reverse proxy, gateway) drops the `Authorization` header.',
    fix: 'Make the proxy forward `Authorization` (nginx forwards it by default; check `proxy_set_header`), or use query-token auth.',
  },
  {
    code: 'QUERY_TOKEN_IGNORED',
    check: 'auth',
    symptom: '403 with `?token=` (websockets of @jupyterlab/services), 200 with the header',
    cause: 'The server ignores tokens in URLs (JupyterHub ≥ 5 unless `JUPYTERHUB_ALLOW_TOKEN_IN_URL=1`).',
    fix: 'Send the token as `Authorization: token <token>`, also on websocket handshakes.',
  },
  {
    code: 'PASSWORD_REQUIRED',
    check: 'auth',
    symptom: '403 with any token',
    cause: 'The server is password-only (it has no token: `IdentityProvider.token=""`).',
    fix: 'Log in with the password (`--password-env VAR`), or start the server with a token.',
  },
  {
    code: 'PASSWORD_REJECTED',
    check: 'auth',
    symptom: '401 "Invalid credentials" on `POST /login`',
    cause: 'The password is wrong (or the server has no password and expects the token there).',
    fix: 'Use the right password (`jupyter server password` resets it) or use the token.',
  },
  {
    code: 'XSRF_REQUIRED',
    check: 'writes',
    symptom: "403 `'_xsrf' argument missing from POST` on writes; reads work",
    cause: 'Writes that are not token-authenticated (cookie, no auth) must echo the `_xsrf` cookie.',
    fix: 'Use token auth, or send the `_xsrf` cookie value as `X-XSRFToken` (or `--ServerApp.disable_check_xsrf=True` on a trusted server).',
  },
  {
    code: 'ORIGIN_BLOCKED',
    check: 'origin',
    symptom: '**404** `Not Found` on API calls with an `Origin` header',
    cause: 'Cross-origin API requests without a token are refused (CORS guard).',
    fix: 'Use token auth, or allow the origin: `--ServerApp.allow_origin=<origin>` / `allow_origin_pat`.',
  },
  {
    code: 'WEBSOCKET_BLOCKED',
    check: 'websocket',
    symptom: 'websocket handshake 403 while HTTP works',
    cause: 'The credentials do not reach the websocket handshake (client, proxy or cross-origin cookie).',
    fix: 'Send the token on the handshake (`Authorization` header), and let the proxy forward it.',
  },
  {
    code: 'WEBSOCKET_UPGRADE_STRIPPED',
    check: 'websocket',
    symptom: 'handshake 400 `Can "Upgrade" only to "WebSocket".`',
    cause: 'A proxy drops the `Upgrade` / `Connection` headers.',
    fix: 'Configure websocket proxying (nginx: `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";`).',
  },
  {
    code: 'AUTHORIZATION_DENIED',
    check: 'permissions',
    symptom: '403 `User is not authorized to …`',
    cause: 'Authenticated, but the authorizer (custom, or JupyterHub scopes) denies the action.',
    fix: 'Grant the permission (JupyterHub: a token with `access:servers!server=<user>/<name>` or broader).',
  },
];

export function catalogueEntry(code: FindingCode): CatalogueEntry {
  return CATALOGUE.find((e) => e.code === code)!;
}

/** The README "Troubleshooting 403" table, generated from the catalogue. */
export function renderCatalogueMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = CATALOGUE.map(
    (e) => `| \`${e.code}\` | ${esc(e.symptom)} | ${esc(e.cause)} | ${esc(e.fix)} |`,
  );
  return ['| Code | What you see | Cause | Fix |', '|---|---|---|---|', ...rows].join('\n');
}
