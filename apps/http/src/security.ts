import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { HttpAppError } from './errors.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** True for `localhost`, `127.0.0.0/8` and `::1` (optionally bracketed). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** A host as it appears in a URL or a Host header (`[::1]` for IPv6). */
export function hostForUrl(host: string): string {
  const h = host.replace(/^\[|\]$/g, '');
  return isIP(h) === 6 ? `[${h}]` : h;
}

/** Split a Host header value into name and port (`[::1]:8765` → `[::1]`, `8765`). */
export function splitHostHeader(value: string): { name: string; port: string | undefined } {
  const v = value.trim().toLowerCase();
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(v);
  if (!m) return { name: v, port: undefined };
  return { name: m[1]!, port: m[2] };
}

export interface HostPolicy {
  /** The host the server is bound to (`127.0.0.1`, `0.0.0.0`, a name…). */
  bindHost: string;
  /** The port actually listened on. */
  port: number;
  /** Extra names (or `name:port`) from `--allowed-hosts`. */
  allowedHosts: readonly string[];
  /** Names that also reach us when bound to a wildcard (e.g. os.hostname()). */
  localNames?: readonly string[];
}

/**
 * DNS-rebinding protection: is this `Host` header one we serve? Accepted: the bound host; on a
 * loopback or wildcard bind, the loopback names; `--allowed-hosts` entries (a bare name matches any
 * port, `name:port` only that port). A port, when present, must be ours unless an allowed entry
 * names it (a reverse proxy may forward its own port).
 */
export function hostAllowed(header: string | undefined, policy: HostPolicy): boolean {
  if (!header) return false;
  const { name, port } = splitHostHeader(header);
  for (const entry of policy.allowedHosts) {
    const e = splitHostHeader(entry);
    if (e.name === name && (e.port === undefined || e.port === port)) return true;
  }
  if (port !== undefined && port !== String(policy.port)) return false;
  const bind = hostForUrl(policy.bindHost.toLowerCase());
  const wildcard = bind === '0.0.0.0' || bind === '[::]';
  const names = new Set<string>([bind]);
  if (isLoopbackHost(policy.bindHost) || wildcard) for (const n of LOOPBACK_NAMES) names.add(n);
  if (wildcard) for (const n of policy.localNames ?? []) names.add(n.toLowerCase());
  return names.has(name);
}

/**
 * Origin check (browsers send it; other clients usually do not). Absent → allowed. Otherwise it must
 * be our own origin (`http://` + an allowed Host) or listed in `--allowed-origins`. `null` is refused.
 */
export function originAllowed(
  origin: string | undefined,
  ownHostHeader: string | undefined,
  policy: HostPolicy & { allowedOrigins: readonly string[] },
): boolean {
  if (origin === undefined) return true;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  if (policy.allowedOrigins.includes(o.origin)) return true;
  if (o.protocol !== 'http:') return false;
  // Our own origin: the Origin's host is the Host header we were reached by (already validated).
  return ownHostHeader !== undefined && o.host === ownHostHeader.trim().toLowerCase()
    ? hostAllowed(o.host, policy)
    : false;
}

/** The token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+([^\s]+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

/** Constant-time comparison (hashes first, so neither length nor content leaks through timing). */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export type AuthDecision =
  | { mode: 'token'; token: string; generated: false }
  | { mode: 'token'; token: string; generated: true }
  | { mode: 'none' };

/**
 * Decide how `/mcp` is protected. A token given → use it. `--no-auth` → only on loopback. No token on
 * loopback → generate one (the app writes it to a 0600 file). No token on any other host → refuse:
 * throws `HttpAppError('AUTH_REQUIRED')` (the CLI exits 2).
 */
export function resolveAuth(
  settings: { host: string; authToken: string | undefined; noAuth: boolean },
  generate: () => string = () => randomBytes(32).toString('base64url'),
): AuthDecision {
  const loopback = isLoopbackHost(settings.host);
  if (settings.noAuth && settings.authToken)
    throw new HttpAppError(
      'INVALID_SETTINGS',
      '--no-auth and --auth-token (or JUPYTER_MCP_AUTH_TOKEN) contradict each other. Keep one.',
    );
  if (settings.noAuth) {
    if (!loopback)
      throw new HttpAppError(
        'AUTH_REQUIRED',
        `--no-auth is only allowed on a loopback host (127.0.0.1, localhost, ::1), not '${settings.host}': anyone who can reach the port could run code in your kernels. Set --auth-token (or JUPYTER_MCP_AUTH_TOKEN) instead.`,
      );
    return { mode: 'none' };
  }
  if (settings.authToken) return { mode: 'token', token: settings.authToken, generated: false };
  if (!loopback)
    throw new HttpAppError(
      'AUTH_REQUIRED',
      `refusing to listen on '${settings.host}' without an auth token: anyone who can reach the port could run code in your kernels. Set --auth-token <at least 16 chars> or JUPYTER_MCP_AUTH_TOKEN (e.g. JUPYTER_MCP_AUTH_TOKEN=$(openssl rand -hex 32)), or listen on 127.0.0.1.`,
    );
  return { mode: 'token', token: generate(), generated: true };
}
