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
export type { DocumentsContext } from './internal/documents.js';
export { RESOURCE_TEMPLATES, resourceUri } from './mcp/resource-uris.js';
export { DEFAULT_RESOURCE_LIMIT } from './mcp/resources.js';
export { ResourceSubscriptions, SUBSCRIPTION_POLL_MS } from './mcp/subscriptions.js';
export { ToolTaskStore } from './mcp/tasks.js';
export { ALL_PROMPTS } from './prompts/index.js';
export type { CompletionKind, PromptArgument, PromptDefinition, PromptMessage } from './prompts/prompt.js';
export {
  closeTools,
  type RegisterOptions,
  registerServerFeatures,
  registerTools,
  type ServerFeatureOptions,
  type ServerFeatures,
  selectTools,
  type ToolSession,
  unknownToolNames,
} from './register.js';
export { hasHtmlTable, htmlToText } from './render/html.js';
export {
  type AnyOutput,
  IMAGE_MIME_TYPES,
  type ImageBlock,
  isBareRepr,
  type RenderedOutputs,
  type RenderOptions,
  renderMimeBundle,
  renderOutputs,
  TEXT_MIME_PREFERENCE,
} from './render/outputs.js';
export { cleanStreamText, stripAnsi, trimTraceback } from './render/text.js';
export {
  type Job,
  JobRegistry,
  type JobRegistryOptions,
  type JobStatus,
} from './runs/jobs.js';
export { type PreparedRun, type PrepareOptions, prepareRun } from './runs/papermill.js';
export {
  type CellError,
  type CellRecord,
  type RunEvent,
  type RunKernel,
  type RunNotebookOptions,
  type RunNotebookResult,
  type RunStatus,
  runNotebook,
} from './runs/runner.js';
export { SessionState } from './session.js';
export type {
  ContentBlock,
  ToolAnnotations,
  ToolContext,
  ToolDefinition,
  ToolResult,
  ToolTraits,
} from './tool.js';
export { ALL_TOOLS } from './tools/index.js';
