import { type AuthMethod, parseJupyterUrl, Redactor } from '@jupyter-mcp/jupyter-auth';
import { CHECKS, catalogueEntry } from './catalogue.js';
import { auth } from './checks/auth.js';
import { origin } from './checks/origin.js';
import { permissions } from './checks/permissions.js';
import { reachability } from './checks/reachability.js';
import { server } from './checks/server.js';
import { websocket } from './checks/websocket.js';
import { writes } from './checks/writes.js';
import { authSummary, diagnose } from './diagnose.js';
import { DoctorError } from './errors.js';
import type { Check, CheckContext } from './internal/context.js';
import { readRuntimeDirs } from './internal/discover.js';
import { DEFAULT_WEBSOCKET, type ProbeEnv } from './internal/probe.js';
import type { CheckResult, DoctorOptions, DoctorReport, MatrixRow, Observations, Probe } from './types.js';

/** Header values that are not secrets (everything else given with `headers` is redacted). */
const PUBLIC_HEADERS = new Set(['origin', 'referer', 'user-agent', 'accept', 'content-type', 'host']);

/** Checks in stages: each stage runs after the previous one; checks within a stage run concurrently. */
const STAGES: Check[][] = [[reachability], [server], [auth], [writes, origin, websocket, permissions]];

/**
 * Diagnose the connection to a Jupyter Server: run the probes (bounded by `timeoutMs` each, independent
 * ones concurrently), then `diagnose()` them. Never throws for network trouble — that is a finding;
 * throws `DoctorError` only for bad options (an unparsable URL).
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const t0 = performance.now();
  let parsed: ReturnType<typeof parseJupyterUrl>;
  try {
    parsed = parseJupyterUrl(options.url);
  } catch (err) {
    throw new DoctorError('INVALID_URL', err instanceof Error ? err.message : String(err), { cause: err });
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0))
    throw new DoctorError(
      'INVALID_OPTIONS',
      `timeoutMs must be a positive number of milliseconds, got ${options.timeoutMs}.`,
    );
  const token = options.token ?? parsed.token;
  const headers = options.headers ?? {};
  const secrets = Object.entries(headers)
    .filter(([k]) => !PUBLIC_HEADERS.has(k.toLowerCase()))
    .map(([, v]) => v);
  const redactor = new Redactor([token, token?.trim(), options.password, ...secrets]);
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === 'cookie')
      for (const c of v.split(';')) redactor.add(c.split('=').slice(1).join('='));
  }
  const userHeaders: Record<string, string> = {};
  let userOrigin: string | undefined;
  let headerAuthScheme: string | undefined;
  for (const [k, v] of Object.entries(headers)) {
    const lk = k.toLowerCase();
    if (lk === 'origin') userOrigin = v;
    else userHeaders[k] = v;
    if (lk === 'authorization') headerAuthScheme = /^(\S+)\s+\S/.exec(v.trim())?.[1]?.toLowerCase() ?? '';
  }
  const headerNames = Object.keys(headers).map((k) => k.toLowerCase());
  const noAuth: AuthMethod = headerNames.length ? 'custom-headers' : 'none';
  const methods: AuthMethod[] = [];
  if (token) methods.push('token-header', 'bearer-header', 'query');
  if (options.password) methods.push('password');
  methods.push(noAuth);

  const given = new URL(
    /^[a-z][a-z0-9+.-]*:\/\//i.test(options.url.trim()) ? options.url.trim() : `http://${options.url.trim()}`,
  );
  const givenPath = given.pathname.endsWith('/') ? given.pathname : `${given.pathname}/`;
  const obs: Observations = {
    url: redactor.redactUrl(options.url.trim()),
    baseUrl: parsed.baseUrl,
    urlHadUiPath: givenPath !== new URL(parsed.baseUrl).pathname,
    urlHadToken: !!parsed.token,
    credentials: {
      token: !!token,
      tokenWhitespace: !!token && token !== token.trim(),
      password: !!options.password,
      headers: headerNames,
      ...(headerAuthScheme !== undefined ? { headerAuthScheme } : {}),
      ...(userOrigin ? { origin: userOrigin } : {}),
    },
    server: { version: null, kind: 'unknown' },
    probes: [],
  };
  const env: ProbeEnv = {
    fetch: options.fetch ?? globalThis.fetch,
    WebSocket: options.WebSocket ?? DEFAULT_WEBSOCKET,
    redactor,
    timeoutMs: options.timeoutMs ?? 5000,
    record: obs.probes,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const local = await readRuntimeDirs(options.runtimeDirs ?? []);
  const port = Number(new URL(parsed.baseUrl).port || (parsed.baseUrl.startsWith('https:') ? 443 : 80));
  obs.discovered = local
    .filter((l) => l.port === port)
    .map(({ token: t, ...rest }) => ({ ...rest, tokenMatches: token ? t === token : null }));
  const ctx: CheckContext = {
    env,
    baseUrl: parsed.baseUrl,
    wsBaseUrl: parsed.wsUrl,
    origin: new URL(parsed.baseUrl).origin,
    token,
    password: options.password,
    userHeaders,
    userOrigin,
    noAuth,
    kernelProbe: options.kernelProbe ?? true,
    local,
    obs,
    methods,
    details: {},
  };

  const ran = new Set<string>();
  for (const stage of STAGES) {
    const results = await Promise.all(
      stage.map(async (check) => {
        ran.add(check.id);
        try {
          return await check.run(ctx);
        } catch (err) {
          options.logger?.warn('doctor check failed', {
            check: check.id,
            error: redactor.redact(String(err)),
          });
          ctx.details[check.id] =
            `check failed: ${redactor.redact(err instanceof Error ? err.message : String(err))}`;
          return true;
        }
      }),
    );
    if (results.some((r) => !r) || options.signal?.aborted) break;
  }

  const findings = diagnose(obs);
  const checks: CheckResult[] = CHECKS.map(({ id, label }) => {
    const mine = findings.filter((f) => catalogueEntry(f.code).check === id);
    const status: CheckResult['status'] = mine.some((f) => f.severity === 'error')
      ? 'fail'
      : mine.some((f) => f.severity === 'warning')
        ? 'warn'
        : ran.has(id) && !ctx.details[id]?.startsWith('skipped')
          ? 'pass'
          : 'skip';
    const detail =
      status === 'fail' || status === 'warn'
        ? mine.find((f) => f.severity !== 'info')!.summary
        : (ctx.details[id] ?? (status === 'skip' ? 'not run (an earlier check failed)' : ''));
    return { id, label, status, detail };
  });
  const report: DoctorReport = {
    ok: !findings.some((f) => f.severity === 'error'),
    url: obs.url,
    baseUrl: obs.baseUrl,
    server: obs.server,
    auth: authSummary(obs),
    checks,
    probes: obs.probes,
    findings,
    durationMs: Math.round(performance.now() - t0),
  };
  if (options.matrix) report.matrix = buildMatrix(obs.probes);
  if (options.discover) report.servers = local.map(({ token: _t, ...rest }) => rest);
  return report;
}

/** Endpoint × auth method → status (the 403 reproduced). */
export function buildMatrix(probes: readonly Probe[]): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  const label = (p: Probe): string | null => {
    if (p.id.startsWith('http:')) return `GET ${p.path.replace(/\?.*$/, '')}`;
    if (p.id.startsWith('write:')) return `POST ${p.path.replace(/\?.*$/, '')} (invalid body)`;
    if (p.id.startsWith('ws:events:')) return 'WS /api/events/subscribe';
    if (p.id.startsWith('ws:kernel:')) return 'WS /api/kernels/<id>/channels';
    return null;
  };
  for (const p of probes) {
    const endpoint = label(p);
    if (!endpoint) continue;
    let row = rows.get(endpoint);
    if (!row) {
      row = { endpoint, statuses: {} };
      rows.set(endpoint, row);
    }
    row.statuses[p.auth] = p.status ?? p.error;
  }
  return [...rows.values()];
}
