export { JupyterConnection } from './connection.js';
export { type DiscoveredServer, type DiscoverOptions, discoverServers, readTokenFile } from './discovery.js';
export {
  classifyNetworkError,
  JupyterAuthError,
  type JupyterAuthErrorCode,
  JupyterHttpError,
  JupyterMcpError,
  JupyterNetworkError,
  type NetworkErrorCode,
} from './errors.js';
export {
  type HubIdentity,
  type HubRequestOptions,
  type HubServerInfo,
  type HubServerScope,
  hubIdentity,
  hubScopeFor,
  hubScopeGranted,
  type ResolveUrlOptions,
  resolveJupyterUrl,
} from './hub.js';
export { type Logger, silentLogger } from './logger.js';
export {
  AUTH_METHODS,
  type AuthMethod,
  type ConnectionOptions,
  type QueryParams,
  type RequestOptions,
  type WebSocketOptions,
} from './options.js';
export { Redactor, redactSecrets } from './redact.js';
export { makeServerSettings } from './services.js';
export { hubUserUrl, joinUrl, type ParsedJupyterUrl, parseJupyterUrl } from './url.js';
