import { JupyterMcpError } from '@jupyter-mcp/jupyter-auth';
/** Every failure this package reports carries one of these codes. */
export type NotebookErrorCode =
  | 'INVALID_JSON'
  | 'UNSUPPORTED_NBFORMAT'
  | 'INVALID_NOTEBOOK'
  | 'INVALID_ARGUMENT'
  | 'CELL_NOT_FOUND'
  | 'CELL_IDS_UNSUPPORTED'
  | 'NO_MATCH'
  | 'AMBIGUOUS_MATCH'
  | 'UNSUPPORTED_LANGUAGE'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'PATH_OUTSIDE_ROOT'
  | 'INVALID_PATH'
  | 'STORE_ERROR'
  | 'NOTEBOOK_TOO_LARGE'
  | 'CANCELLED';

export interface NotebookErrorDetails {
  /** Index of the offending cell, when one is to blame. */
  cellIndex?: number;
  /** JSON path of the offending key, e.g. `cells[3].outputs[0].text`. */
  key?: string;
  /** Store path involved. */
  path?: string;
  cause?: unknown;
}

/** Base error of @jupyter-mcp/notebook-model. Messages say what failed, why, and what to do. */
export class NotebookError extends JupyterMcpError {
  declare readonly code: NotebookErrorCode;
  readonly cellIndex: number | undefined;
  readonly key: string | undefined;
  readonly path: string | undefined;
  constructor(code: NotebookErrorCode, message: string, details: NotebookErrorDetails = {}) {
    super(code, message, details);
    this.name = 'NotebookError';
    this.cellIndex = details.cellIndex;
    this.key = details.key;
    this.path = details.path;
  }
}
