interface StoredCookie {
  value: string;
  path: string;
  /** Epoch ms; undefined = session cookie. */
  expires: number | undefined;
}

/**
 * A minimal cookie jar for one Jupyter Server: it only accepts cookies from, and only sends cookies
 * to, URLs on the server's origin under its base path (so credentials never reach another host).
 * Enough for Jupyter's login cookie and `_xsrf`; not a general browser jar.
 */
export class CookieJar {
  readonly #origin: string;
  readonly #basePath: string;
  readonly #cookies = new Map<string, StoredCookie>();
  readonly #onValue: (value: string) => void;
  readonly #now: () => number;

  /** `onValue` sees every stored value (the connection registers them as secrets to redact). */
  constructor(baseUrl: string, onValue: (value: string) => void = () => {}, now: () => number = Date.now) {
    const u = new URL(baseUrl);
    this.#origin = u.origin;
    this.#basePath = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`;
    this.#onValue = onValue;
    this.#now = now;
  }

  /** True when the URL is on this server (same origin, under the base path). */
  inScope(url: string | URL): boolean {
    const u = typeof url === 'string' ? new URL(url) : url;
    const origin = u.origin.replace(/^ws/, 'http');
    const path = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`;
    return origin === this.#origin && path.startsWith(this.#basePath);
  }

  /** Store the `Set-Cookie` headers of a response from `url`. */
  store(url: string, setCookies: readonly string[]): void {
    if (!this.inScope(url)) return;
    for (const line of setCookies) this.#storeOne(line);
  }

  #storeOne(line: string): void {
    const [pair, ...attrs] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = this.#basePath;
    let expires: number | undefined;
    let maxAge: number | undefined;
    for (const a of attrs) {
      const i = a.indexOf('=');
      const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
      const v = i < 0 ? '' : a.slice(i + 1).trim();
      if (k === 'path' && v.startsWith('/')) path = v.endsWith('/') ? v : `${v}/`;
      else if (k === 'expires') {
        const t = Date.parse(v);
        if (!Number.isNaN(t)) expires = t;
      } else if (k === 'max-age' && /^-?\d+$/.test(v)) maxAge = Number(v);
    }
    if (maxAge !== undefined) expires = this.#now() + maxAge * 1000;
    if (value === '' || (expires !== undefined && expires <= this.#now())) {
      this.#cookies.delete(name);
      return;
    }
    this.#cookies.set(name, { value, path, expires });
    this.#onValue(value);
    const unquoted = value.replace(/^"(.*)"$/, '$1');
    if (unquoted !== value) this.#onValue(unquoted);
  }

  /** Value of one cookie, if stored and not expired. */
  get(name: string): string | undefined {
    const c = this.#cookies.get(name);
    if (!c) return undefined;
    if (c.expires !== undefined && c.expires <= this.#now()) {
      this.#cookies.delete(name);
      return undefined;
    }
    return c.value;
  }

  /** Set a cookie directly (e.g. a client-generated `_xsrf`). */
  set(name: string, value: string): void {
    this.#cookies.set(name, { value, path: this.#basePath, expires: undefined });
    this.#onValue(value);
  }

  /** `Cookie` header value for a request to `url` ('' when nothing applies). */
  header(url: string | URL): string {
    if (!this.inScope(url)) return '';
    const u = typeof url === 'string' ? new URL(url) : url;
    const path = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`;
    const out: string[] = [];
    for (const [name] of this.#cookies) {
      const c = this.#cookies.get(name)!;
      if (this.get(name) === undefined) continue;
      if (path.startsWith(c.path)) out.push(`${name}=${c.value}`);
    }
    return out.join('; ');
  }

  /** Names of the stored cookies (never values). */
  names(): string[] {
    return [...this.#cookies.keys()].filter((n) => this.get(n) !== undefined);
  }

  /** True when the jar holds a cookie whose name starts with `prefix` (e.g. `username-`). */
  has(prefix: string): boolean {
    return this.names().some((n) => n.startsWith(prefix));
  }

  clear(): void {
    this.#cookies.clear();
  }
}
