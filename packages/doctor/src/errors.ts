import { JupyterMcpError } from '@jupyter-mcp/jupyter-auth';
export type DoctorErrorCode = 'INVALID_URL' | 'INVALID_OPTIONS';

/** Base error of @jupyter-mcp/doctor: only bad input throws; network trouble becomes findings. */
export class DoctorError extends JupyterMcpError {
  declare readonly code: DoctorErrorCode;
  constructor(code: DoctorErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DoctorError';
  }
}
