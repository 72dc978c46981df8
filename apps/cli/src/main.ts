#!/usr/bin/env node
import { main } from './cli.js';

// The only place that calls process.exit: once a command finished (and cleaned up), exit with its code
// even if a stray handle (socket, timer) would keep the event loop alive.
main(process.argv).then(
  (code) => {
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`jupyter-mcp: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
