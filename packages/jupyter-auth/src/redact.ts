const REDACTED = '[REDACTED]';

/** Patterns that are secrets whoever owns them. */
const GENERIC: [RegExp, string][] = [
  // ?token=… / &token=… (also _xsrf, password, access_token) in URLs and logs
  [/([?&](?:token|access_token|_xsrf|password)=)[^&#\s"'<>]*/gi, `$1${REDACTED}`],
  // Authorization: token X / Bearer X / Basic X
  [/(authorization["']?\s*[:=]\s*["']?(?:token|bearer|basic)?\s*)[^\s"',;}]+/gi, `$1${REDACTED}`],
  // Cookie / Set-Cookie header values
  [/((?:set-)?cookie["']?\s*[:=]\s*)[^\n]+/gi, `$1${REDACTED}`],
  // HTML the server serves to token-authenticated requests
  [/(data-jupyter-api-token=["'])[^"']*/gi, `$1${REDACTED}`],
  // "token": "…" in JSON (jpserver-*.json, page config)
  [/("(?:token|password|hashed_password)"\s*:\s*")[^"]*/gi, `$1${REDACTED}`],
  // X-XSRFToken header
  [/(x-xsrftoken["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi, `$1${REDACTED}`],
];

/**
 * Removes secrets from text: the known secret values given (tokens, passwords, cookie values) wherever
 * they appear, plus token/cookie/authorization patterns generally.
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  constructor(secrets: Iterable<string | undefined | null> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Register a secret value; values shorter than 4 characters are ignored (too many false hits). */
  add(secret: string | undefined | null): this {
    if (secret && secret.length >= 4) {
      this.#secrets.add(secret);
      const enc = encodeURIComponent(secret);
      if (enc !== secret) this.#secrets.add(enc);
    }
    return this;
  }

  redact(text: string): string {
    let out = text;
    for (const s of [...this.#secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    for (const [re, rep] of GENERIC) out = out.replace(re, rep);
    return out;
  }

  /** Redact a URL's query secrets and any userinfo. */
  redactUrl(url: string): string {
    return this.redact(url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, `$1${REDACTED}@`));
  }
}

/** One-off redaction with only the generic patterns (plus the given secrets). */
export function redactSecrets(text: string, secrets: Iterable<string | undefined | null> = []): string {
  return new Redactor(secrets).redact(text);
}
