export { HttpAppError, type HttpAppErrorCode } from './errors.js';
export { DURATION_BUCKETS, Metrics, type ToolOutcome } from './metrics.js';
export { tokenNotice } from './notice.js';
export { HTTP_OPTIONS, type HttpSettings, httpSettingsFrom } from './options.js';
export {
  applyHttpPolicy,
  type PolicyOptions,
  refusalReason,
  type ToolPolicy,
} from './policy.js';
export {
  type AuthDecision,
  bearerToken,
  type HostPolicy,
  hostAllowed,
  isLoopbackHost,
  originAllowed,
  resolveAuth,
  tokenMatches,
} from './security.js';
export {
  type HttpServerHandle,
  type HttpServerOptions,
  runHttpServer,
  startHttpServer,
} from './server.js';
