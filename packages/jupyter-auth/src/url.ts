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

  const firstUi = segments.findIndex((s) => UI_SEGMENTS.has(s));
  const uiAt = firstUi < 0 ? segments.length : firstUi;
  const userAt = segments.indexOf('user');
  let base: string[];
  let hubUser: string | undefined;
  let hubServerName: string | undefined;
  let i: number;
  if (userAt >= 0 && userAt + 1 < uiAt) {
    // JupyterHub: /[prefix/][hub/]user/<name>[/<server>]/… — `/hub/user/…` redirects to `/user/…`.
    const prefix = segments.slice(0, userAt);
    if (prefix.at(-1) === 'hub') prefix.pop();
    hubUser = segments[userAt + 1];
    base = [...prefix, 'user', hubUser!];
    i = userAt + 2;
    if (i < uiAt) {
      hubServerName = segments[i];
      base.push(hubServerName!);
      i++;
    }
    // Anything else before a UI segment is unexpected for a Hub URL; keep it as part of the base.
    while (i < uiAt) base.push(segments[i++]!);
  } else {
    base = segments.slice(0, uiAt);
    i = uiAt;
  }

  const path = filePath(segments.slice(i));
  const basePath = `/${base.map(encodeURIComponent).join('/')}${base.length ? '/' : ''}`;
  const origin = `${url.protocol}//${url.host}`;
  const baseUrl = `${origin}${basePath}`;
  const wsUrl = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${basePath}`;
  return { baseUrl, wsUrl, token, hubUser, hubServerName, path, origin, basePath };
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
