import { JupyterMcpError } from '@jupyter-mcp/jupyter-auth';
/** Codes of every failure a tool reports. */
export type ToolErrorCode =
  | 'JUPYTER_UNAVAILABLE'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'PATH_OUTSIDE_ROOT'
  | 'ALREADY_EXISTS'
  | 'INVALID_NOTEBOOK'
  | 'CONFLICT'
  | 'NOTEBOOK_TOO_LARGE'
  | 'KERNEL_DEAD'
  | 'KERNEL_NOT_FOUND'
  | 'EXECUTION_TIMEOUT'
  | 'CANCELLED'
  | 'NOT_MANAGED'
  | 'IN_USE'
  | 'JUPYTER_ERROR'
  | 'INTERNAL';

/** A finding of the doctor (or of the start-up check): what is wrong, why, and the fix. */
export interface Finding {
  code: string;
  severity: string;
  summary: string;
  explanation?: string;
  fix?: string;
}

/** Base error of @jupyter-mcp/tools-spec. Every tool failure becomes an `isError` result whose text
 *  is `message` (what failed, why) plus `hint` (what to do). */
export class ToolError extends JupyterMcpError {
  declare readonly code: ToolErrorCode;
  readonly hint: string | undefined;
  constructor(code: ToolErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(code, message, options);
    this.name = 'ToolError';
    this.hint = options?.hint;
  }
}

/** Jupyter cannot be used right now; carries the doctor's finding. */
export class JupyterUnavailableError extends ToolError {
  readonly finding: Finding;
  constructor(finding: Finding) {
    super('JUPYTER_UNAVAILABLE', `Jupyter is not reachable: ${finding.summary}`, { hint: finding.fix });
    this.name = 'JupyterUnavailableError';
    this.finding = finding;
  }
}
