import { JupyterAuthError } from './errors.js';
import { redactSecrets } from './redact.js';

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
  /** Where JupyterHub is (origin + its base_url, e.g. `https://h/` or `https://h/jhub/`) when the URL has a
   *  Hub shape (`/user/<name>/…` or a Hub page); `undefined` otherwise. */
  hubUrl: string | undefined;
  /**
   * The URL was a JupyterHub page (`/hub/home`, `/hub/spawn`, `/hub/token`, `/hub/user-redirect/…`,
   * `/hub/login?next=…`) rather than a user server. When the page names no user, `userUnknown` is true and
   * `baseUrl` is only the Hub's: `resolveJupyterUrl()` asks the Hub whose token it is (`/hub/api/user`)
   * and returns the user server's URL.
   */
  hubPage?: {
    page: string;
    userUnknown: boolean;
    /** What follows the user's base once known (`user-redirect/lab/tree/x` → `lab/tree/x`), encoded. */
    next?: string;
  };
  /** Notebook/file path named by a pasted UI URL (`…/lab/tree/x.ipynb` → `x.ipynb`), decoded. */
  path: string | undefined;
  /** `http://host:port` (IPv6 hosts in brackets). */
  origin: string;
  /** The server's base_url: `/` or `/prefix/…/`, always starting and ending in `/`. */
  basePath: string;
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
  'static',
  'kernelspecs',
  'nbconvert',
]);

/** Hub pages whose next segments are `<user>[/<server>]`. */
const HUB_USER_PAGES = new Set(['spawn', 'spawn-pending', 'user']);

/** UI routes whose remaining segments name a file (`/notebooks/x.ipynb`). */
const FILE_ROUTES = new Set(['tree', 'notebooks', 'edit', 'view', 'files']);

const EXAMPLE = 'Pass the server address, e.g. http://127.0.0.1:8888/ or http://127.0.0.1:8888/lab?token=…';

function invalid(message: string): JupyterAuthError {
  return new JupyterAuthError('INVALID_URL', redactSecrets(message));
}

/**
 * Turn what a user pastes (`http://host:8888/lab?token=abc`, `…/user/alice/lab/tree/x.ipynb`, an IPv6
 * literal, `localhost:8888`, …) into a server base URL, websocket URL and token. UI paths (`/lab`,
 * `/tree/…`, `/notebooks/…`) are stripped; a JupyterHub `/user/<name>[/<server>]/` prefix is kept.
 * Throws `JupyterAuthError('INVALID_URL')` for other schemes and anything that is not a URL.
 */
export function parseJupyterUrl(input: string): ParsedJupyterUrl {
  // Tolerate what comes along with a copy-paste: whitespace, quotes, angle brackets.
  const raw = input
    .trim()
    .replace(/^(["'<])(.*)(["'>])$/s, '$2')
    .trim();
  if (!raw) throw invalid(`The Jupyter URL is empty. ${EXAMPLE}`);
  if (/\s/.test(raw)) throw invalid(`"${raw}" is not a URL (it contains spaces). ${EXAMPLE}`);

  // `scheme:` that is not `host:port` (a digit after the colon) is a scheme.
  const scheme = /^([a-z][a-z0-9+.-]*):(?!\d)/i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw invalid(
      `Unsupported URL scheme "${scheme}:" in "${raw}" — a Jupyter Server is reached over http: or https:. ${EXAMPLE}`,
    );
  }
  if (scheme !== undefined && !/^[a-z]+:\/\//i.test(raw)) {
    throw invalid(`"${raw}" is not a valid URL (expected "${scheme}://host…"). ${EXAMPLE}`);
  }
  let url: URL;
  try {
    url = new URL(scheme ? raw : `http://${raw}`);
  } catch {
    const v6 = /^(?:https?:\/\/)?[0-9a-f]*:[0-9a-f]*:/i.test(raw)
      ? ' An IPv6 address needs brackets: http://[::1]:8888/.'
      : '';
    throw invalid(`"${raw}" is not a valid URL.${v6} ${EXAMPLE}`);
  }
  if (!url.hostname) throw invalid(`The Jupyter URL "${raw}" has no host name. ${EXAMPLE}`);
  const token = url.searchParams.get('token') || undefined;

  let segments: string[];
  try {
    segments = url.pathname
      .split('/')
      .filter((s) => s.length > 0)
      .map(decodeURIComponent);
  } catch {
    throw invalid(`The path of "${raw}" has a malformed %-escape. ${EXAMPLE}`);
  }

  const origin = `${url.protocol}//${url.host}`;
  const hub = hubPageOf(segments, url);
  if (hub?.resolved) segments = hub.resolved;
  else if (hub) {
    // A Hub page that names no user: only the Hub itself is known until the token tells who it is.
    const hubUrl = `${origin}${pathOf(hub.prefix)}`;
    return {
      baseUrl: hubUrl,
      wsUrl: wsOf(url, pathOf(hub.prefix)),
      token,
      hubUser: undefined,
      hubServerName: undefined,
      hubUrl,
      hubPage: { page: hub.page, userUnknown: true, next: hub.rest.map(encodeURIComponent).join('/') },
      path: undefined,
      origin,
      basePath: pathOf(hub.prefix),
    };
  }

  const { base, hubUser, hubServerName, hubPrefix, rest } = splitBase(segments);
  const basePath = pathOf(base);
  return {
    baseUrl: `${origin}${basePath}`,
    wsUrl: wsOf(url, basePath),
    token,
    hubUser,
    hubServerName,
    hubUrl: hubPrefix ? `${origin}${pathOf(hubPrefix)}` : undefined,
    ...(hub ? { hubPage: { page: hub.page, userUnknown: false } } : {}),
    path: filePath(rest),
    origin,
    basePath,
  };
}

const pathOf = (segs: readonly string[]) =>
  `/${segs.map(encodeURIComponent).join('/')}${segs.length ? '/' : ''}`;
const wsOf = (url: URL, basePath: string) =>
  `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${basePath}`;

/**
 * A JupyterHub page: `[prefix/]hub/<page>…` other than `hub/user/…` (a user server, handled as such).
 * `resolved`: the equivalent `[prefix/]user/<name>/…` segments when the page names the user (`spawn/alice`,
 * or a `login?next=` that leads to a user server). `rest`: what follows the user's base once the user is
 * known (`user-redirect/lab/tree/x.ipynb` → `lab/tree/x.ipynb`).
 */
function hubPageOf(
  segments: string[],
  url: URL,
): { prefix: string[]; page: string; rest: string[]; resolved?: string[] } | undefined {
  const at = segments.indexOf('hub');
  if (at < 0 || segments.indexOf('user') === at + 1 || segments.slice(0, at).includes('user'))
    return undefined;
  const prefix = segments.slice(0, at);
  const page = segments[at + 1] ?? 'home';
  const rest = segments.slice(at + 2);
  if (HUB_USER_PAGES.has(page) && rest[0])
    return { prefix, page, rest: [], resolved: [...prefix, 'user', ...rest] };
  if (page === 'user-redirect') return { prefix, page, rest };
  const next = page === 'login' ? url.searchParams.get('next') : null;
  if (next?.startsWith('/')) {
    try {
      const inner = new URL(next, url).pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const nested = hubPageOf(inner, url);
      if (nested) return { ...nested, prefix };
      if (inner.includes('user')) return { prefix, page, rest: [], resolved: inner };
    } catch {
      // a malformed next: the login page alone
    }
  }
  return { prefix, page, rest: [] };
}

/**
 * The user server a Hub page leads to, once the user is known: `…/hub/user-redirect/lab/tree/x.ipynb`
 * for `alice` → `…/user/alice/lab/tree/x.ipynb` (parse it again for base and path). Token not included.
 */
export function hubUserUrl(parsed: ParsedJupyterUrl, user: string, server?: string): string {
  if (!parsed.hubPage?.userUnknown || !parsed.hubUrl) return parsed.baseUrl;
  const segs = ['user', user, ...(server ? [server] : [])];
  return `${parsed.hubUrl}${segs.map(encodeURIComponent).join('/')}/${parsed.hubPage.next ?? ''}`;
}

/** Split path segments into the server base (Hub `/user/<name>[/<server>]/` kept) and the UI rest. */
function splitBase(segments: string[]): {
  base: string[];
  hubUser?: string;
  hubServerName?: string;
  hubPrefix?: string[];
  rest: string[];
} {
  const firstUi = segments.findIndex((s) => UI_SEGMENTS.has(s));
  const uiAt = firstUi < 0 ? segments.length : firstUi;
  const userAt = segments.indexOf('user');
  if (!(userAt >= 0 && userAt + 1 < uiAt))
    return { base: segments.slice(0, uiAt), rest: segments.slice(uiAt) };
  // JupyterHub: /[prefix/][hub/]user/<name>[/<server>]/… — `/hub/user/…` redirects to `/user/…`.
  const prefix = segments.slice(0, userAt);
  if (prefix.at(-1) === 'hub') prefix.pop();
  const hubUser = segments[userAt + 1]!;
  const base = [...prefix, 'user', hubUser];
  let i = userAt + 2;
  let hubServerName: string | undefined;
  if (i < uiAt) {
    hubServerName = segments[i]!;
    base.push(hubServerName);
    i++;
  }
  // Anything else before a UI segment is unexpected for a Hub URL; keep it as part of the base.
  while (i < uiAt) base.push(segments[i++]!);
  return { base, hubUser, hubServerName, hubPrefix: prefix, rest: segments.slice(i) };
}

/** The file a UI route names: `lab/tree/a/b.ipynb`, `lab/workspaces/<ws>/tree/x`, `doc/tree/x`,
 *  `notebooks/x`, `tree/dir`, `edit/x.py`, `view/x.html`, `files/x.csv`. */
function filePath(rest: string[]): string | undefined {
  const [ui, ...tail] = rest;
  if (ui === undefined) return undefined;
  let t: string[] = [];
  if (ui === 'lab' || ui === 'doc') {
    if (tail[0] === 'tree') t = tail.slice(1);
    else if (tail[0] === 'workspaces' && tail[2] === 'tree') t = tail.slice(3);
  } else if (FILE_ROUTES.has(ui)) {
    t = tail;
  }
  return t.length > 0 ? t.join('/') : undefined;
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
