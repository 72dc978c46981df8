import { JupyterMcpError } from '@jupyter-mcp/jupyter-auth';
/** Codes of every failure app-core reports. */
export type AppCoreErrorCode =
  | 'CONFIG_INVALID'
  | 'JUPYTER_NOT_FOUND'
  | 'JUPYTER_START_FAILED'
  | 'JUPYTER_NOT_MANAGED'
  | 'JUPYTER_IN_USE';

/** Base error of @jupyter-mcp/app-core: what failed, why, what to do. */
export class AppCoreError extends JupyterMcpError {
  declare readonly code: AppCoreErrorCode;
  constructor(code: AppCoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'AppCoreError';
  }
}

/** An invalid setting (flag, env variable or config file): apps print the message on one line and exit 2. */
export class ConfigError extends AppCoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
    this.name = 'ConfigError';
  }
}
