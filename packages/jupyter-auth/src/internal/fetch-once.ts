import { classifyNetworkError, JupyterNetworkError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Redactor } from '../redact.js';
import { networkWhy } from './messages.js';

export interface FetchDeps {
  fetch: typeof fetch;
  logger: Logger;
  redactor: Redactor;
}

export interface FetchCall {
  method: string;
  url: string;
  headers: Headers;
  body: string | ArrayBuffer | undefined;
  signal: AbortSignal | null | undefined;
  timeoutMs: number;
  redirect: NonNullable<RequestInit['redirect']>;
}

/** One fetch: timeout, a typed and redacted `JupyterNetworkError` when no answer comes, a debug log line. */
export async function fetchOnce(deps: FetchDeps, call: FetchCall): Promise<Response> {
  const { method, url, headers, body, signal, timeoutMs, redirect } = call;
  const timeout = AbortSignal.timeout(timeoutMs);
  const all = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const t0 = performance.now();
  try {
    const res = await deps.fetch(url, { method, headers, body, signal: all, redirect });
    deps.logger.debug('http', {
      method,
      url: deps.redactor.redactUrl(url),
      status: res.status,
      ms: Math.round(performance.now() - t0),
    });
    return res;
  } catch (err) {
    const code = signal?.aborted ? 'ABORTED' : classifyNetworkError(err);
    const safeUrl = deps.redactor.redactUrl(url);
    deps.logger.debug('http failed', { method, url: safeUrl, code });
    throw new JupyterNetworkError(code, {
      method,
      url: safeUrl,
      message: deps.redactor.redact(`${method} ${safeUrl} failed: ${networkWhy(code, err)}`),
      cause: redactedCause(err, deps.redactor),
    });
  }
}

/** The original error, unless its message (or its cause's) holds a secret: then a redacted stand-in. */
function redactedCause(err: unknown, redactor: Redactor): unknown {
  const e = err as { message?: unknown; code?: unknown; name?: unknown; cause?: { message?: unknown } };
  const texts = [e?.message, e?.cause?.message].filter((t): t is string => typeof t === 'string');
  if (texts.every((t) => redactor.redact(t) === t)) return err;
  const safe = new Error(redactor.redact(texts.join(': ')));
  if (typeof e.name === 'string') safe.name = e.name;
  if (e.code !== undefined) Object.assign(safe, { code: e.code });
  return safe;
}
