export type DoctorErrorCode = 'INVALID_URL' | 'INVALID_OPTIONS';

/** Base error of @jupyter-mcp/doctor: only bad input throws; network trouble becomes findings. */
export class DoctorError extends Error {
  readonly code: DoctorErrorCode;
  constructor(code: DoctorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DoctorError';
    this.code = code;
  }
}
