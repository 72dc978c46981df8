export {
  type AppConfig,
  type ConfigInput,
  configSecrets,
  connectionOptionsFrom,
  loadConfig,
  type ResolvedOptions,
  resolveOptions,
} from './config.js';
export { listRunningServers } from './discovery.js';
export { doctorDiagnose } from './doctor.js';
export { AppCoreError, type AppCoreErrorCode, ConfigError } from './errors.js';
export { findDiagnosis, findingFromError } from './findings.js';
export {
  BATCHES_REMOVED_IN,
  batchesAllowed,
  checkJsonRpcShape,
  parseErrorResponse,
  type RpcErrorResponse,
  type RpcId,
  rpcErrorResponse,
  type ShapeCheck,
  shapeProblem,
} from './jsonrpc-shape.js';
export { createLifecycle, type Lifecycle, type LifecycleOptions, type ShutdownReason } from './lifecycle.js';
export { type AppLogger, createLogger, type LoggerOptions, type LogSink } from './logger.js';
export {
  findJupyterCommand,
  freeLoopbackPort,
  INSTALL_INSTRUCTIONS,
  type JupyterCommand,
  ManagedJupyterServer,
  type ManagedServerInfo,
  type ManagedServerOptions,
} from './managed-server.js';
export {
  closeToolDeps,
  createMcpSession,
  type McpSession,
  SERVER_INSTRUCTIONS,
  SERVER_TITLE,
  toolDeps,
} from './mcp-session.js';
export {
  APP_OPTIONS,
  CONNECTION_OPTIONS,
  flagAttribute,
  GENERAL_OPTIONS,
  helpText,
  LOG_LEVELS,
  type LogLevel,
  type OptionSource,
  type OptionSpec,
  parseHeader,
  SERVER_OPTIONS,
} from './options.js';
export { parseBoolean, parseList, parseNumber, parseSize, parseString } from './parsers.js';
export { descendantsOf, killTreeSync, processAlive, terminateTree } from './processes.js';
export {
  createJupyterRuntime,
  type DiagnoseFn,
  type JupyterRuntime,
  type JupyterRuntimeOptions,
  jupyterRuntimeDir,
} from './runtime.js';
