import type { JupyterConnection, Logger } from '@jupyter-mcp/jupyter-auth';
import type { KernelHandle } from '../handle.js';
import type { OutputLimits } from '../types.js';
import type { ReconnectOptions } from './socket.js';

/** Internal settings a `KernelClient` passes to each handle. */
export interface HandleSettings {
  connection: JupyterConnection;
  logger: Logger;
  outputLimits: Partial<OutputLimits>;
  now: () => number;
  /** How long an interrupt may take before the kernel is reported stuck (default 5,000 ms). */
  interruptGraceMs: number;
  /** How long to wait for `kernel_info_reply` on connect (default 60,000 ms). */
  readyTimeoutMs: number;
  /** Period of the kernel-exists check while a cell runs (0 = off). */
  watchdogMs: number;
  reconnect: ReconnectOptions;
  onDispose?: (handle: KernelHandle) => void;
}
