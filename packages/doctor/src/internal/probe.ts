import { classifyNetworkError, type Logger, type Redactor } from '@jupyter-mcp/jupyter-auth';
import WebSocketImpl from 'ws';
import type { Probe, ProbeAuth } from '../types.js';

/** Collaborators and limits shared by every raw probe. */
export interface ProbeEnv {
  fetch: typeof fetch;
  WebSocket: typeof WebSocketImpl;
  redactor: Redactor;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Every probe made, in completion order. */
  record: Probe[];
  logger?: Logger;
}

function keep(env: ProbeEnv, probe: Probe): void {
  env.record.push(probe);
  env.logger?.debug('doctor probe', {
    id: probe.id,
    method: probe.method,
    path: probe.path,
    status: probe.status,
    error: probe.error,
    ms: probe.ms,
  });
}

export interface HttpProbeSpec {
  id: string;
  method?: string;
  /** Absolute URL. */
  url: string;
  auth: ProbeAuth;
  headers?: Record<string, string>;
  body?: string;
  origin?: string;
  timeoutMs?: number;
  /** Keep the body text (for the caller to inspect; never put into the report). */
  keepBody?: boolean;
}

export interface HttpProbeResult extends Probe {
  /** Raw body (only when `keepBody`), not redacted: callers must not report it. */
  body?: string;
  setCookies?: string[];
}

function signalFor(env: ProbeEnv, timeoutMs?: number): AbortSignal {
  const t = AbortSignal.timeout(timeoutMs ?? env.timeoutMs);
  return env.signal ? AbortSignal.any([env.signal, t]) : t;
}

/** Short, readable server message: JSON `message`, else the page `<title>`/text excerpt. */
export function serverMessage(text: string, contentType: string): string {
  const t = text.trim();
  if (!t) return '';
  if (contentType.includes('json') || t.startsWith('{')) {
    try {
      const j = JSON.parse(t) as { message?: unknown; reason?: unknown; version?: unknown };
      if (typeof j.message === 'string' && j.message) return j.message;
      if (typeof j.version === 'string') return `version ${j.version}`;
      return '';
    } catch {
      // fall through
    }
  }
  const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(t)?.[1];
  const msg = /<div class="message[^"]*">([\s\S]*?)<\/div>/i.exec(t)?.[1];
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(t)?.[1];
  const pick = msg ?? h1 ?? (t.startsWith('<') ? title : t) ?? '';
  return pick
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** One raw HTTP request; never throws (network failures become `error`). */
export async function httpProbe(env: ProbeEnv, spec: HttpProbeSpec): Promise<HttpProbeResult> {
  const method = spec.method ?? 'GET';
  const headers: Record<string, string> = { ...(spec.headers ?? {}) };
  if (spec.origin) headers.Origin = spec.origin;
  const t0 = performance.now();
  const base: Omit<HttpProbeResult, 'status' | 'error' | 'ms' | 'message'> = {
    id: spec.id,
    method,
    path: env.redactor.redactUrl(pathOf(spec.url)),
    auth: spec.auth,
    ...(spec.origin ? { origin: spec.origin } : {}),
  };
  let result: HttpProbeResult;
  try {
    const res = await env.fetch(spec.url, {
      method,
      headers,
      body: spec.body,
      redirect: 'manual',
      signal: signalFor(env, spec.timeoutMs),
    });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    const location = res.headers.get('location');
    result = {
      ...base,
      status: res.status,
      error: null,
      ms: Math.round(performance.now() - t0),
      message: env.redactor.redact(serverMessage(text, contentType)),
      ...(contentType ? { contentType: contentType.split(';')[0]! } : {}),
      ...(location ? { location: env.redactor.redactUrl(location) } : {}),
      ...(spec.keepBody ? { body: text } : {}),
      setCookies: res.headers.getSetCookie?.() ?? [],
    };
  } catch (err) {
    const code = env.signal?.aborted ? 'ABORTED' : classifyNetworkError(err);
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    result = {
      ...base,
      status: null,
      error: code,
      ms: Math.round(performance.now() - t0),
      message: env.redactor.redact(
        cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : ''),
      ),
    };
  }
  const { body: _b, setCookies: _c, ...recorded } = result;
  keep(env, recorded);
  return result;
}

export interface WsProbeSpec {
  id: string;
  /** Absolute ws:/wss: URL. */
  url: string;
  auth: ProbeAuth;
  headers?: Record<string, string>;
  origin?: string;
  timeoutMs?: number;
}

/** One real websocket handshake; closes at once when accepted (status 101). Never throws. */
export function wsProbe(env: ProbeEnv, spec: WsProbeSpec): Promise<Probe> {
  const t0 = performance.now();
  const base = {
    id: spec.id,
    method: 'WS',
    path: env.redactor.redactUrl(pathOf(spec.url)),
    auth: spec.auth,
    ...(spec.origin ? { origin: spec.origin } : {}),
  };
  return new Promise<Probe>((resolve) => {
    let done = false;
    const finish = (p: Omit<Probe, 'id' | 'method' | 'path' | 'auth' | 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      env.signal?.removeEventListener('abort', onAbort);
      const probe: Probe = { ...base, ...p, ms: Math.round(performance.now() - t0) };
      keep(env, probe);
      resolve(probe);
    };
    const timeoutMs = spec.timeoutMs ?? env.timeoutMs;
    let ws: WebSocketImpl;
    try {
      ws = new env.WebSocket(spec.url, {
        headers: spec.headers ?? {},
        handshakeTimeout: timeoutMs,
        perMessageDeflate: false,
        ...(spec.origin ? { origin: spec.origin } : {}),
      });
    } catch (err) {
      finish({ status: null, error: 'NETWORK_ERROR', message: env.redactor.redact(String(err)) });
      return;
    }
    const timer = setTimeout(() => {
      ws.terminate();
      finish({ status: null, error: 'TIMEOUT', message: 'no handshake answer before the timeout' });
    }, timeoutMs + 500);
    const onAbort = () => {
      ws.terminate();
      finish({ status: null, error: 'ABORTED', message: '' });
    };
    env.signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('open', () => {
      finish({ status: 101, error: null, message: '' });
      ws.close();
    });
    ws.on('unexpected-response', (req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (text.length < 4000) text += d;
      });
      const end = () => {
        finish({
          status: res.statusCode ?? null,
          error: null,
          message: env.redactor.redact(serverMessage(text, String(res.headers['content-type'] ?? ''))),
        });
        req.destroy();
        ws.terminate();
      };
      res.on('end', end);
      res.on('error', end);
      res.on('close', end);
    });
    ws.on('error', (err) => {
      const m = /Unexpected server response: (\d+)/.exec(err.message);
      if (m) finish({ status: Number(m[1]), error: null, message: '' });
      else
        finish({
          status: null,
          error: classifyNetworkError(err),
          message: env.redactor.redact(err.message),
        });
    });
  });
}

export const DEFAULT_WEBSOCKET = WebSocketImpl;
