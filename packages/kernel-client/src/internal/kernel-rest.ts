import type { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { toKernelClientError } from '../errors.js';
import type { KernelInfo } from '../types.js';
import { toKernelInfo } from './rest.js';

/** The REST calls about one kernel (`api/kernels/{id}[/action]`), errors converted (404 → KERNEL_NOT_FOUND). */
export class KernelRest {
  constructor(
    private readonly connection: JupyterConnection,
    private readonly kernelId: string,
  ) {}

  async #json(method: string, action: string, what: string, timeoutMs?: number): Promise<unknown> {
    try {
      const path = `api/kernels/${encodeURIComponent(this.kernelId)}${action ? `/${action}` : ''}`;
      return await this.connection.json(method, path, { timeoutMs });
    } catch (err) {
      throw toKernelClientError(err, `${what} kernel ${this.kernelId}`, {
        kernelId: this.kernelId,
        notFound: 'KERNEL_NOT_FOUND',
        notFoundHint: 'The kernel no longer exists (shut down, or the server restarted). Start a new one.',
      });
    }
  }

  /** `GET api/kernels/{id}`; `what` names the purpose in errors ("Checking", "Getting the status of"). */
  async get(what: string): Promise<KernelInfo> {
    return toKernelInfo(await this.#json('GET', '', what));
  }

  async interrupt(): Promise<void> {
    await this.#json('POST', 'interrupt', 'Interrupting');
  }

  async restart(timeoutMs: number): Promise<void> {
    await this.#json('POST', 'restart', 'Restarting', timeoutMs);
  }

  /** Delete the kernel (and first its Jupyter session, when it has one); a 404 is not an error. */
  async shutdown(sessionId: string | undefined): Promise<void> {
    const kernelPath = `api/kernels/${encodeURIComponent(this.kernelId)}`;
    try {
      if (sessionId)
        await this.connection.request('DELETE', `api/sessions/${encodeURIComponent(sessionId)}`, {
          allowStatus: [404],
        });
      await this.connection.request('DELETE', kernelPath, { allowStatus: [404] });
    } catch (err) {
      throw toKernelClientError(err, `Shutting down kernel ${this.kernelId}`, { kernelId: this.kernelId });
    }
  }
}
