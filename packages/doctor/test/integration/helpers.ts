import { createServer, type Server } from 'node:http';
import { expect } from 'vitest';
import { type DoctorReport, renderDoctorReport } from '../../src/index.js';

/** Neither the JSON report nor the human output may contain any of the secrets. */
export function expectNoSecret(report: DoctorReport, ...secrets: (string | undefined)[]): void {
  const text = `${JSON.stringify(report)}\n${renderDoctorReport(report, { color: true })}`;
  for (const s of secrets) if (s) expect(text).not.toContain(s);
}

export const codes = (r: DoctorReport) => r.findings.map((f) => f.code);

/** A tiny non-Jupyter web server (what people hit when the port is wrong). */
export async function startPlainPage(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<html><title>Welcome to nginx!</title><body>hi</body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
