import { JupyterAuthError } from './errors.js';

export interface ParsedJupyterUrl {
  /** Server base URL: origin + base_url, always ending in `/` (e.g. `http://h:8888/user/alice/`). */
  baseUrl: string;
  /** Websocket base: `ws:`/`wss:` form of `baseUrl`. */
  wsUrl: string;
  /** Token found in the pasted URL (`?token=`), if any. */
  token: string | undefined;
  /** JupyterHub user and server name when the path has the `/user/<name>[/<server>]/` form. */
  hubUser: string | undefined;
  hubServerName: string | undefined;
  /** Notebook/file path named by a pasted UI URL (`…/lab/tree/x.ipynb` → `x.ipynb`). */
  path: string | undefined;
}

/** UI path segments that start the part of a pasted URL that is not the server base. */
const UI_SEGMENTS = new Set([
  'lab',
  'tree',
  'notebooks',
  'edit',
  'view',
  'files',
  'doc',
  'voila',
  'terminals',
  'consoles',
  'login',
  'logout',
  'api',
  'nbclassic',
  'retro',
]);

/**
 * Turn what a user pastes (`http://host:8888/lab?token=abc`, `…/user/alice/lab/tree/x.ipynb`, an IPv6
 * literal, …) into a server base URL, websocket URL and token.
 */
export function parseJupyterUrl(input: string): ParsedJupyterUrl {
  const raw = input.trim();
  if (!raw)
    throw new JupyterAuthError(
      'INVALID_URL',
      'The Jupyter URL is empty. Pass the server address, e.g. http://127.0.0.1:8888/.',
    );
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new JupyterAuthError(
      'INVALID_URL',
      `"${raw.replace(/token=[^&\s]*/gi, 'token=[REDACTED]')}" is not a valid URL. Pass the server address, e.g. http://127.0.0.1:8888/.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new JupyterAuthError(
      'INVALID_URL',
      `Unsupported URL scheme "${url.protocol}" — a Jupyter Server is reached over http: or https:.`,
    );
  }
  if (!url.hostname) throw new JupyterAuthError('INVALID_URL', 'The Jupyter URL has no host name.');
  const token = url.searchParams.get('token') || undefined;

  const segments = url.pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);
  const base: string[] = [];
  let hubUser: string | undefined;
  let hubServerName: string | undefined;
  let rest: string[] = [];
  let i = 0;
  // JupyterHub: /[prefix/]user/<name>[/<server>]/...
  const userAt = segments.indexOf('user');
  if (userAt >= 0 && segments[userAt + 1] && !UI_SEGMENTS.has(segments.slice(0, userAt).at(-1) ?? '')) {
    base.push(...segments.slice(0, userAt + 2));
    hubUser = segments[userAt + 1];
    i = userAt + 2;
    const next = segments[i];
    if (next !== undefined && !UI_SEGMENTS.has(next)) {
      hubServerName = next;
      base.push(next);
      i++;
    }
    rest = segments.slice(i);
  } else {
    while (i < segments.length && !UI_SEGMENTS.has(segments[i]!)) base.push(segments[i++]!);
    rest = segments.slice(i);
  }

  let path: string | undefined;
  if (rest.length > 0) {
    const [ui, ...tail] = rest;
    const t =
      ui === 'lab' && (tail[0] === 'tree' || tail[0] === 'workspaces')
        ? tail.slice(tail[0] === 'tree' ? 1 : 3)
        : tail;
    if (
      (ui === 'lab' ||
        ui === 'tree' ||
        ui === 'notebooks' ||
        ui === 'edit' ||
        ui === 'view' ||
        ui === 'files' ||
        ui === 'doc') &&
      t.length > 0
    ) {
      path = t.join('/');
    }
  }

  const basePath = `/${base.map(encodeURIComponent).join('/')}${base.length ? '/' : ''}`;
  const origin = `${url.protocol}//${url.host}`;
  const baseUrl = `${origin}${basePath}`;
  const wsUrl = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${basePath}`;
  return { baseUrl, wsUrl, token, hubUser, hubServerName, path };
}

/** Join a base URL (ending in `/`) with a relative API path and query. */
export function joinUrl(
  baseUrl: string,
  path: string,
  query?: Record<string, string | number | boolean | undefined>,
): string {
  const u = new URL(path.replace(/^\/+/, ''), baseUrl);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}
