#!/usr/bin/env node
import { main } from './cli.js';

// The only place that calls process.exit.
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`jupyter-mcp: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
