import {
  classifyNetworkError,
  JupyterAuthError,
  JupyterHttpError,
  JupyterMcpError,
  JupyterNetworkError,
} from '@jupyter-mcp/jupyter-auth';

/** Every failure this package reports carries one of these codes. */
export type KernelClientErrorCode =
  /** No kernel with that id (or for that notebook) exists on the server. */
  | 'KERNEL_NOT_FOUND'
  /** The kernelspec name is not installed on the server. */
  | 'KERNELSPEC_NOT_FOUND'
  /** The kernel process died (the server may have restarted it; its state is lost). */
  | 'KERNEL_DIED'
  /** The kernel was restarted on request while the execution was pending. */
  | 'KERNEL_RESTARTED'
  /** The kernel is still busy with a cell that ignored an interrupt; restart it. */
  | 'KERNEL_STUCK'
  /** The kernel did not answer in time when connecting or starting. */
  | 'KERNEL_START_TIMEOUT'
  /** The websocket to the kernel dropped and could not be re-established in time. */
  | 'CONNECTION_LOST'
  /** The Jupyter Server did not answer (refused, DNS, TLS, timeout). */
  | 'SERVER_UNREACHABLE'
  /** The server refused the credentials (401/403). */
  | 'AUTH_FAILED'
  /** The server answered with another unexpected error. */
  | 'SERVER_ERROR'
  /** An execution was still running after its timeout and the interrupt (reported through `timeout`). */
  | 'EXECUTION_TIMEOUT'
  /** An interrupt did not stop the running cell within the grace period. */
  | 'INTERRUPT_FAILED'
  /** The handle or client was disposed/closed. */
  | 'DISPOSED'
  /** A caller passed something invalid. */
  | 'INVALID_ARGUMENT'
  /** The kernel or server sent something we could not understand. */
  | 'PROTOCOL_ERROR';

/** Base error of @jupyter-mcp/kernel-client: what failed, why, what to do. Never contains a secret. */
export class KernelClientError extends JupyterMcpError {
  declare readonly code: KernelClientErrorCode;
  /** Kernel the error is about, when there is one. */
  readonly kernelId: string | undefined;
  constructor(
    code: KernelClientErrorCode,
    message: string,
    options?: { cause?: unknown; kernelId?: string },
  ) {
    super(code, message, options);
    this.name = 'KernelClientError';
    this.kernelId = options?.kernelId;
  }
}

/** Convert anything thrown by the connection layer into a `KernelClientError` (already redacted). */
export function toKernelClientError(
  err: unknown,
  context: string,
  extra?: { kernelId?: string; notFound?: KernelClientErrorCode; notFoundHint?: string },
): KernelClientError {
  if (err instanceof KernelClientError) return err;
  const kernelId = extra?.kernelId;
  if (err instanceof JupyterHttpError) {
    if (err.status === 404 && extra?.notFound) {
      return new KernelClientError(
        extra.notFound,
        `${context}: the server answered 404 Not Found.${extra.notFoundHint ? ` ${extra.notFoundHint}` : ''}`,
        { cause: err, kernelId },
      );
    }
    if (err.status === 401 || err.status === 403) {
      return new KernelClientError('AUTH_FAILED', `${context}: ${err.message}`, { cause: err, kernelId });
    }
    return new KernelClientError('SERVER_ERROR', `${context}: ${err.message}`, { cause: err, kernelId });
  }
  if (err instanceof JupyterNetworkError) {
    return new KernelClientError(
      'SERVER_UNREACHABLE',
      `${context}: ${err.message} If the server is restarting, retry once it is back.`,
      { cause: err, kernelId },
    );
  }
  if (
    err instanceof JupyterAuthError &&
    err.code === 'WEBSOCKET_FAILED' &&
    classifyNetworkError(err.cause) !== 'NETWORK_ERROR'
  ) {
    return new KernelClientError(
      'SERVER_UNREACHABLE',
      `${context}: ${err.message}. If the server is restarting, retry once it is back.`,
      { cause: err, kernelId },
    );
  }
  if (err instanceof JupyterAuthError) {
    const code =
      err.code === 'WEBSOCKET_FAILED' && /\b40[13]\b/.test(err.message) ? 'AUTH_FAILED' : 'SERVER_ERROR';
    return new KernelClientError(code, `${context}: ${err.message}`, { cause: err, kernelId });
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new KernelClientError('SERVER_ERROR', `${context}: ${msg}`, { cause: err, kernelId });
}
