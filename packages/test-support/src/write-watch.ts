import { type LoopbackProxy, startProxy } from './proxy.js';

export interface WriteWatch {
  /** The Jupyter URL to give the client under test (the proxy, with the server's base URL). */
  readonly url: string;
  readonly proxy: LoopbackProxy;
  /** Most PUTs to one Contents API path that the server was handling at the same time. */
  maxConcurrentPuts(path: string): number;
  /** PUTs to the path answered so far. */
  puts(path: string): number;
  /** Resolves when no PUT to the path is in flight (the file on disk is complete). */
  quiet(path: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback proxy in front of a Jupyter Server that watches Contents API writes. jupyter_server writes
 * a notebook in place, so two PUTs of one file at once can leave it torn, and a reader during a PUT sees
 * part of it; a test uses this to prove writes never overlap and to read the file between writes.
 */
export async function watchWrites(jupyterUrl: string): Promise<WriteWatch> {
  const target = new URL(jupyterUrl);
  const inflight = new Map<string, number>();
  const most = new Map<string, number>();
  const done = new Map<string, number>();
  const waiters: (() => void)[] = [];
  const key = (url: string) => decodeURIComponent(new URL(url, 'http://x').pathname);
  const proxy = await startProxy({
    target: target.origin,
    beforeForward({ method, url }) {
      if (method !== 'PUT') return;
      const k = key(url);
      const n = (inflight.get(k) ?? 0) + 1;
      inflight.set(k, n);
      most.set(k, Math.max(most.get(k) ?? 0, n));
    },
    afterResponse({ method, url }) {
      if (method !== 'PUT') return;
      const k = key(url);
      inflight.set(k, (inflight.get(k) ?? 1) - 1);
      done.set(k, (done.get(k) ?? 0) + 1);
      for (const w of waiters.splice(0)) w();
    },
  });
  const apiKey = (path: string) => `${target.pathname}api/contents/${path}`;
  return {
    url: `${proxy.origin}${target.pathname}`,
    proxy,
    maxConcurrentPuts: (path) => most.get(apiKey(path)) ?? 0,
    puts: (path) => done.get(apiKey(path)) ?? 0,
    async quiet(path) {
      while ((inflight.get(apiKey(path)) ?? 0) > 0) await new Promise<void>((r) => waiters.push(r));
    },
    close: () => proxy.close(),
  };
}
