import type { JupyterRuntime } from '@jupyter-mcp/app-core';

/**
 * `/readyz`'s check: does Jupyter answer with our credentials? Cached for 2 s and coalesced, so a
 * burst of probes costs one check; bounded by `timeoutMs`.
 */
export function createReadiness(runtime: Pick<JupyterRuntime, 'startupCheck'>, timeoutMs: number) {
  let ready: { at: number; ok: boolean } | undefined;
  let probing: Promise<boolean> | undefined;
  return (): Promise<boolean> => {
    if (ready && Date.now() - ready.at < 2000) return Promise.resolve(ready.ok);
    probing ??= Promise.race([
      runtime.startupCheck(),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
    ])
      .then((ok) => {
        ready = { at: Date.now(), ok };
        return ok;
      })
      .finally(() => {
        probing = undefined;
      });
    return probing;
  };
}
