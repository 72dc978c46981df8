import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ProxyOptions {
  /** Upstream origin, e.g. `http://127.0.0.1:8888`. */
  target: string;
  /** Rewrite request headers before forwarding (return the new set). */
  rewriteHeaders?: (headers: IncomingHttpHeaders, url: string) => IncomingHttpHeaders;
  /** Header names removed from every request (e.g. `authorization`). */
  dropHeaders?: string[];
  /** Forward with this `Host` header (e.g. `jupyter.example.com`). */
  host?: string;
  /** Strip `Upgrade`/`Connection` from websocket handshakes, as a misconfigured proxy does. */
  dropUpgrade?: boolean;
  /** Answer 403 unless the request carries this header (an SSO proxy). */
  requireHeader?: { name: string; value: string };
  /** Awaited before an HTTP request is forwarded (e.g. to let another client act at that moment). */
  beforeForward?: (request: { method: string; url: string }) => Promise<void> | void;
  /** Called when the upstream answer to an HTTP request has been passed on completely. */
  afterResponse?: (request: { method: string; url: string; status: number }) => void;
}

export interface LoopbackProxy {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly origin: string;
  readonly port: number;
  /** Requests seen so far (method + url), newest last. */
  readonly requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** Destroy every open connection (HTTP keep-alive and websockets) — a network blip. */
  cut(): void;
  /** Refuse new connections until `resume()` (closes the listener's accepted sockets at once). */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A loopback HTTP + websocket proxy whose behaviour a test controls. */
export async function startProxy(options: ProxyOptions): Promise<LoopbackProxy> {
  const target = new URL(options.target);
  const sockets = new Set<Socket>();
  const requests: LoopbackProxy['requests'] = [];
  let paused = false;

  const fix = (headers: IncomingHttpHeaders, url: string): IncomingHttpHeaders => {
    let h: IncomingHttpHeaders = { ...headers };
    for (const name of options.dropHeaders ?? []) delete h[name.toLowerCase()];
    h.host = options.host ?? target.host;
    if (options.rewriteHeaders) h = options.rewriteHeaders(h, url);
    return h;
  };
  const allowed = (headers: IncomingHttpHeaders): boolean => {
    const r = options.requireHeader;
    return !r || headers[r.name.toLowerCase()] === r.value;
  };

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    if (!allowed(req.headers)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('proxy: missing required header');
      return;
    }
    void Promise.resolve(options.beforeForward?.({ method: req.method ?? 'GET', url: req.url ?? '/' }))
      .catch(() => {})
      .then(() => forward(req, res));
  });

  const forward = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const up = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: fix(req.headers, req.url ?? '/'),
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        if (options.afterResponse) {
          const info = { method: req.method ?? 'GET', url: req.url ?? '/', status: upRes.statusCode ?? 502 };
          upRes.once('end', () => options.afterResponse?.(info));
        }
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('proxy: upstream error');
      else res.destroy();
    });
    // A cut client connection cuts the upstream one too, as a real network blip does.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  };

  server.on('upgrade', (req, client: Socket, head) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!allowed(req.headers)) {
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const headers = fix(req.headers, req.url ?? '/');
    if (options.dropUpgrade) {
      delete headers.upgrade;
      delete headers.connection;
    }
    const upstream = connect(Number(target.port), target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [k, v] of Object.entries(headers)) {
        if (v === undefined) continue;
        for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
      }
      if (options.dropUpgrade) lines.push('connection: close');
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
  });

  server.on('connection', (s) => {
    if (paused) {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  const proxy: LoopbackProxy = {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    cut() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    pause() {
      paused = true;
      proxy.cut();
    },
    resume() {
      paused = false;
    },
    close() {
      proxy.cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
    [Symbol.asyncDispose]() {
      return proxy.close();
    },
  };
  return proxy;
}
