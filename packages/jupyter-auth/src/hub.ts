import { readTokenFile } from './discovery.js';
import { JupyterAuthError } from './errors.js';
import { fetchOnce } from './internal/fetch-once.js';
import { makeHttpError } from './internal/messages.js';
import { type Logger, silentLogger } from './logger.js';
import { Redactor } from './redact.js';
import { hubUserUrl, joinUrl, type ParsedJupyterUrl, parseJupyterUrl } from './url.js';

/** One server of a Hub user as `/hub/api/user` shows it (needs a `read:servers` scope). */
export interface HubServerInfo {
  name: string;
  ready: boolean;
  /** `spawn` while starting, `stop` while stopping, null otherwise. */
  pending: string | null;
  /** Path of the server, e.g. `/user/alice/` (empty while stopped). */
  url: string;
}

/** Who a Hub API token belongs to and what it may do (`GET <hub>/hub/api/user`). */
export interface HubIdentity {
  name: string;
  kind: 'user' | 'service';
  /** The token's scopes, expanded by the Hub (`access:servers!user=alice`, …). */
  scopes: string[];
  groups: string[];
  /** The user's servers by name (`''` = the default server); undefined without a `read:servers` scope. */
  servers: Record<string, HubServerInfo> | undefined;
}

export interface HubRequestOptions {
  /** Extra headers (a proxy's own credentials); the token goes in `Authorization: token …`. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
  /** Secrets to redact besides the token. */
  redactor?: Redactor;
}

/**
 * Ask JupyterHub whose token this is: `GET <hubUrl>hub/api/user` with `Authorization: token …`. Throws a
 * redacted `JupyterHttpError` (code `AUTH_FAILED` for 401/403: not a token of this Hub) or a
 * `JupyterNetworkError`.
 */
export async function hubIdentity(
  hubUrl: string,
  token: string,
  options: HubRequestOptions = {},
): Promise<HubIdentity> {
  const redactor = options.redactor ?? new Redactor();
  redactor.add(token);
  const url = joinUrl(hubUrl, 'hub/api/user');
  const headers = new Headers(options.headers);
  headers.set('Authorization', `token ${token}`);
  headers.set('Accept', 'application/json');
  const res = await fetchOnce(
    { fetch: options.fetch ?? globalThis.fetch, logger: options.logger ?? silentLogger, redactor },
    {
      method: 'GET',
      url,
      headers,
      body: undefined,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 30_000,
      redirect: 'manual',
    },
  );
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    const err = makeHttpError({
      method: 'GET',
      url,
      status: res.status,
      statusText: res.statusText,
      text,
      contentType: res.headers.get('content-type') ?? '',
      authMethod: 'token-header',
      redactor,
      code: res.status === 401 || res.status === 403 ? 'AUTH_FAILED' : undefined,
    });
    if (res.status === 401 || res.status === 403)
      err.message = redactor.redact(
        `JupyterHub did not accept the token at GET ${new URL(url).pathname} (${res.status}): it is not an API token of this Hub (expired, revoked, mistyped, or from another Hub). Create one at ${joinUrl(hubUrl, 'hub/token')}.`,
      );
    throw err;
  }
  let model: Record<string, unknown>;
  try {
    model = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    throw new JupyterAuthError(
      'HTTP_ERROR',
      `GET ${new URL(url).pathname} answered ${res.status} with non-JSON content: ${hubUrl} is not a JupyterHub.`,
      { cause },
    );
  }
  const servers = model.servers as Record<string, HubServerInfo> | undefined;
  return {
    name: String(model.name ?? ''),
    kind: model.kind === 'service' ? 'service' : 'user',
    scopes: Array.isArray(model.scopes) ? model.scopes.map(String) : [],
    groups: Array.isArray(model.groups) ? model.groups.map(String) : [],
    servers:
      servers && typeof servers === 'object'
        ? Object.fromEntries(
            Object.entries(servers).map(([k, v]) => [
              k,
              { name: k, ready: !!v.ready, pending: v.pending ?? null, url: String(v.url ?? '') },
            ]),
          )
        : undefined,
  };
}

/** The Hub scopes jupyter-mcp cares about: reach a server, and start/stop it. */
export type HubServerScope = 'access:servers' | 'servers';

/**
 * Whether the identity's scopes grant `scope` on `user`'s server `server` (`''` = default): the bare scope,
 * `!user=<user>`, `!server=<user>/<server>` or `!group=<g>` of one of the user's groups (`servers` is
 * also satisfied by its expansion `start:servers` + `delete:servers`).
 */
export function hubScopeGranted(
  identity: Pick<HubIdentity, 'scopes' | 'groups'>,
  scope: HubServerScope,
  user: string,
  server = '',
): boolean {
  const covers = (base: string) =>
    identity.scopes.some((s) => {
      const [name, filter] = s.split('!', 2);
      if (name !== base) return false;
      if (filter === undefined) return true;
      if (filter === `user=${user}`) return true;
      if (filter === `server=${user}/${server}`) return true;
      return filter.startsWith('group=') && identity.groups.includes(filter.slice(6));
    });
  if (scope === 'access:servers') return covers('access:servers');
  return covers('servers') || (covers('start:servers') && covers('delete:servers'));
}

/** The scope string to ask for, as the Hub's token page spells it: `access:servers!user=alice`. */
export function hubScopeFor(scope: HubServerScope, user: string, server = ''): string {
  return server ? `${scope}!server=${user}/${server}` : `${scope}!user=${user}`;
}

export interface ResolveUrlOptions extends HubRequestOptions {
  /** The token (else the token file, else `?token=` in the URL). */
  token?: string;
  tokenFile?: string;
}

/**
 * `parseJupyterUrl`, plus the one thing it cannot do alone: a JupyterHub page that names no user
 * (`/hub/home`, `/hub/spawn`, `/hub/token`, `/hub/user-redirect/…`) becomes that user's server URL
 * (`/user/<name>/…`) by asking the Hub whose token it is (`hubIdentity`). Other URLs are parsed as is.
 * Throws `HUB_USER_UNKNOWN` when no token is given for such a page, or `hubIdentity`'s errors.
 */
export async function resolveJupyterUrl(
  input: string,
  options: ResolveUrlOptions = {},
): Promise<ParsedJupyterUrl> {
  const parsed = parseJupyterUrl(input);
  if (!parsed.hubPage?.userUnknown) return parsed;
  const token = options.token || (options.tokenFile ? readTokenFile(options.tokenFile) : parsed.token);
  if (!token)
    throw new JupyterAuthError(
      'HUB_USER_UNKNOWN',
      `${new Redactor().redactUrl(input.trim())} is a JupyterHub page, not a user server: which server it means depends on whose token it is, and no token was given. Pass a JupyterHub API token (create one at ${joinUrl(parsed.hubUrl!, 'hub/token')}), or the server's own URL (${parsed.hubUrl}user/<name>/).`,
    );
  const who = await hubIdentity(parsed.hubUrl!, token, options);
  if (who.kind !== 'user')
    throw new JupyterAuthError(
      'HUB_USER_UNKNOWN',
      `The token belongs to the JupyterHub service "${who.name}", not a user, so ${new Redactor([token]).redactUrl(input.trim())} names no user server. Pass the server URL (${parsed.hubUrl}user/<name>/).`,
    );
  const resolved = parseJupyterUrl(hubUserUrl(parsed, who.name));
  return {
    ...resolved,
    token: parsed.token,
    hubPage: { page: parsed.hubPage.page, userUnknown: false },
  };
}
