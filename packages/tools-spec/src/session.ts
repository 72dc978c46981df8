import { randomUUID } from 'node:crypto';

/** State that belongs to one MCP session (never process-wide). */
export class SessionState {
  readonly id: string;
  /** Kernel `execute_code` uses when no kernel_id / notebook_path is given. */
  defaultKernelId: string | undefined;
  /** Kernels this session started (cleanup_kernels and disconnect stop only these by default). */
  readonly startedKernels = new Map<string, { name: string; notebookPath?: string }>();
  closed = false;

  constructor(id: string = randomUUID()) {
    this.id = id;
  }
}
