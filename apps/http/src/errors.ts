import { JupyterMcpError } from '@jupyter-mcp/jupyter-auth';
export type HttpAppErrorCode = 'AUTH_REQUIRED' | 'INVALID_SETTINGS' | 'LISTEN_FAILED' | 'EVENT_NOT_STORED';

/** Base error of @jupyter-mcp/http: a setting or start-up failure (the CLI exits 2 on settings), or an
 *  SSE event id a client resumes from that is no longer stored (`EVENT_NOT_STORED`). */
export class HttpAppError extends JupyterMcpError {
  declare readonly code: HttpAppErrorCode;
  constructor(code: HttpAppErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'HttpAppError';
  }
}
