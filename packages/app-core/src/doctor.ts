import type { Logger } from '@jupyter-mcp/jupyter-auth';
import type { DiagnosisReport } from '@jupyter-mcp/tools-spec';
import type { DiagnoseFn } from './runtime.js';

/** The doctor as the MCP apps use it: start-up checks (no kernel probe) and diagnose_connection. */
export function doctorDiagnose(options: { logger?: Logger; runtimeDirs?: string[] } = {}): DiagnoseFn {
  return async (target): Promise<DiagnosisReport> => {
    // Loaded on first use: a healthy start-up never needs the doctor (keeps start-up fast).
    const { renderDoctorReport, runDoctor } = await import('@jupyter-mcp/doctor');
    const report = await runDoctor({
      url: target.url,
      token: target.token,
      password: target.password,
      headers: target.headers,
      timeoutMs: Math.min(target.timeoutMs ?? 5000, 10_000),
      kernelProbe: target.kernelProbe ?? false,
      discover: false,
      runtimeDirs: options.runtimeDirs,
      logger: options.logger,
      signal: target.signal,
    });
    return {
      ok: report.ok,
      findings: report.findings.map((f) => ({
        code: f.code,
        severity: f.severity,
        summary: f.summary,
        explanation: f.explanation,
        fix: f.fix,
      })),
      text: renderDoctorReport(report, { color: false }),
    };
  };
}
