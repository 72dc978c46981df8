import type { JupyterConnection } from '@jupyter-mcp/jupyter-auth';
import { KernelClient } from '@jupyter-mcp/kernel-client';
import type { ToolDeps } from '../deps.js';

/** Shared across sessions of one `ToolDeps`: kernel clients per connection (handles are reused). */
const clientsByDeps = new WeakMap<ToolDeps, Map<JupyterConnection, KernelClient>>();

/** Keep kernel output for notebooks generous; what reaches the model is bounded separately. */
const KERNEL_OUTPUT_LIMITS = { headChars: 500_000, tailChars: 500_000, maxOutputs: 2000 };

/** The kernel client of a connection, shared by every session of these deps. */
export function kernelClientFor(deps: ToolDeps, conn: JupyterConnection): KernelClient {
  let clients = clientsByDeps.get(deps);
  if (!clients) {
    clients = new Map();
    clientsByDeps.set(deps, clients);
  }
  let c = clients.get(conn);
  if (!c) {
    for (const [old, client] of clients) {
      // A new connection (re-checked or restarted server): drop clients of the old one.
      clients.delete(old);
      void client.close().catch(() => {});
    }
    c = new KernelClient({ connection: conn, logger: deps.logger, outputLimits: KERNEL_OUTPUT_LIMITS });
    clients.set(conn, c);
  }
  return c;
}

/** Close the websockets of every kernel client created for these deps (process shutdown). */
export async function closeKernelClients(deps: ToolDeps): Promise<void> {
  const clients = clientsByDeps.get(deps);
  if (!clients) return;
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((c) => c.close().catch(() => {})));
}
