export {
  AUTH_METHODS,
  type AuthMethod,
  type ConnectionOptions,
  JupyterConnection,
  type QueryParams,
  type RequestOptions,
  type WebSocketOptions,
} from './connection.js';
export {
  classifyNetworkError,
  JupyterAuthError,
  type JupyterAuthErrorCode,
  JupyterHttpError,
  JupyterNetworkError,
  type NetworkErrorCode,
} from './errors.js';
export { type Logger, silentLogger } from './logger.js';
export { Redactor, redactSecrets } from './redact.js';
export { joinUrl, type ParsedJupyterUrl, parseJupyterUrl } from './url.js';
