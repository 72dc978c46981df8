import type { DoctorReport, Finding, MatrixRow } from './types.js';

const ICON = { pass: '✓', warn: '!', fail: '✖', skip: '-' } as const;
const SEV_ICON = { error: '✖', warning: '!', info: 'i' } as const;
const COLOR = { pass: 32, warn: 33, fail: 31, skip: 90, error: 31, warning: 33, info: 36 } as const;

export interface RenderOptions {
  /** ANSI colours (default false). */
  color?: boolean;
}

function paint(on: boolean | undefined, key: keyof typeof COLOR, s: string): string {
  return on ? `\u001b[${COLOR[key]}m${s}\u001b[0m` : s;
}

function wrap(text: string, indent: string, width = 100): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - indent.length) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

function renderFinding(f: Finding, color?: boolean): string {
  return [
    `${paint(color, f.severity, SEV_ICON[f.severity])} ${f.code}: ${f.summary}`,
    wrap(`Why: ${f.explanation}`, '    '),
    wrap(`Fix: ${f.fix}`, '    '),
  ].join('\n');
}

export function renderMatrix(rows: readonly MatrixRow[]): string {
  const methods = [...new Set(rows.flatMap((r) => Object.keys(r.statuses)))];
  const w0 = Math.max(8, ...rows.map((r) => r.endpoint.length));
  const ws = methods.map((m) => Math.max(m.length, 5));
  const head = ['endpoint'.padEnd(w0), ...methods.map((m, i) => m.padEnd(ws[i]!))].join('  ');
  const body = rows.map((r) =>
    [
      r.endpoint.padEnd(w0),
      ...methods.map((m, i) => String(r.statuses[m as keyof typeof r.statuses] ?? '').padEnd(ws[i]!)),
    ]
      .join('  ')
      .trimEnd(),
  );
  return [head.trimEnd(), ...body].join('\n');
}

/** Human output: ✓ / ! / ✖ per check, the findings with their fixes, a summary line. */
export function renderDoctorReport(report: DoctorReport, options: RenderOptions = {}): string {
  const c = options.color;
  const out: string[] = [];
  const server = report.server.version ? ` — ${report.server.kind} ${report.server.version}` : '';
  out.push(`jupyter-mcp doctor: ${report.baseUrl}${server}`, '');
  const w = Math.max(...report.checks.map((k) => k.label.length));
  for (const k of report.checks) {
    out.push(`${paint(c, k.status, ICON[k.status])} ${k.label.padEnd(w)}  ${k.detail}`.trimEnd());
  }
  if (report.findings.length) {
    out.push('', 'Findings:');
    const rank = { error: 0, warning: 1, info: 2 } as const;
    const sorted = [...report.findings].sort((a, b) => rank[a.severity] - rank[b.severity]);
    for (const f of sorted) out.push('', renderFinding(f, c));
  }
  if (report.matrix?.length) out.push('', 'Endpoint × auth method:', renderMatrix(report.matrix));
  if (report.servers) {
    out.push('', `Local servers (${report.servers.length}):`);
    for (const s of report.servers)
      out.push(
        `  ${s.url}  pid ${s.pid ?? '?'}  ${s.version ?? ''}  ${s.hasToken ? 'token' : 'no token'}${s.hasPassword ? ', password' : ''}  ${s.rootDir ?? ''}`.trimEnd(),
      );
  }
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const auth = report.auth.recommended ? `use ${report.auth.recommended}` : 'no working auth method';
  out.push(
    '',
    `${paint(c, errors ? 'fail' : warnings ? 'warn' : 'pass', errors ? '✖' : warnings ? '!' : '✓')} ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}; ${auth} (${report.durationMs} ms)`,
  );
  return out.join('\n');
}
