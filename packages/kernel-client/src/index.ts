export {
  KernelClient,
  type KernelClientOptions,
  type KernelPoolOptions,
  type StartKernelOptions,
} from './client.js';
export { type CutCounts, type CutOptions, type CutResult, cutText } from './cut.js';
export { KernelClientError, type KernelClientErrorCode } from './errors.js';
export { KernelHandle } from './handle.js';
export { collapseCarriageReturns, DEFAULT_OUTPUT_LIMITS } from './internal/outputs.js';
export type { ReconnectOptions } from './internal/socket.js';
export type {
  DisplayDataOutput,
  ErrorOutput,
  ExecuteOptions,
  ExecuteResultOutput,
  ExecutionResult,
  ExecutionStatus,
  KernelExecutionState,
  KernelInfo,
  KernelSpecInfo,
  KernelSpecList,
  KernelStatus,
  MimeBundle,
  Output,
  OutputEvent,
  OutputLimits,
  OutputTruncation,
  SessionInfo,
  StreamOutput,
  TruncationReport,
} from './types.js';
