export type {
  ConnectionDiagnoser,
  DiagnosisReport,
  JupyterAccess,
  JupyterDescription,
  ManagedServerControl,
  RunningServerInfo,
  ServerDiscovery,
  SessionRegistry,
  ToolDeps,
  ToolSettings,
} from './deps.js';
export { type Finding, JupyterUnavailableError, ToolError, type ToolErrorCode } from './errors.js';
