import { JupyterAuthError, JupyterHttpError, JupyterNetworkError } from '@jupyter-mcp/jupyter-auth';
import type { DiagnosisReport, Finding } from '@jupyter-mcp/tools-spec';

/** The most important problem of a doctor report (first error, else first warning). */
export function findDiagnosis(report: DiagnosisReport): Finding | undefined {
  return (
    report.findings.find((f) => f.severity === 'error') ??
    report.findings.find((f) => f.severity === 'warning' || f.severity === 'warn')
  );
}

/** A finding built from an error alone (used when the doctor is not available or failed). */
export function findingFromError(err: unknown): Finding {
  if (err instanceof JupyterHttpError) {
    if (err.status === 401 || err.status === 403)
      return {
        code: `http-${err.status}`,
        severity: 'error',
        summary: `Jupyter refused our credentials (HTTP ${err.status} on ${err.method} ${err.path}).`,
        explanation: err.message,
        fix: 'Check the token (--token, --token-file or JUPYTER_TOKEN); run `jupyter-mcp doctor` for a full diagnosis.',
      };
    return {
      code: `http-${err.status}`,
      severity: 'error',
      summary: `Jupyter answered HTTP ${err.status} on ${err.method} ${err.path}.`,
      explanation: err.message,
      fix: 'Check the URL points at a Jupyter Server (including its base_url); run `jupyter-mcp doctor`.',
    };
  }
  if (err instanceof JupyterNetworkError)
    return {
      code:
        err.code === 'CONNECTION_REFUSED' ? 'connection-refused' : err.code.toLowerCase().replace(/_/g, '-'),
      severity: 'error',
      summary: `Cannot reach Jupyter (${err.code}).`,
      explanation: err.message,
      fix: 'Start the Jupyter Server, or fix --url; run `jupyter-mcp doctor` for a full diagnosis.',
    };
  if (err instanceof JupyterAuthError)
    return {
      code: err.code.toLowerCase().replace(/_/g, '-'),
      severity: 'error',
      summary: err.message.split('\n')[0]!,
      explanation: err.message,
      fix: 'Run `jupyter-mcp doctor` for a full diagnosis.',
    };
  const msg = err instanceof Error ? err.message : String(err);
  return {
    code: 'unknown',
    severity: 'error',
    summary: msg.split('\n')[0]!,
    explanation: msg,
    fix: 'Run `jupyter-mcp doctor`.',
  };
}
