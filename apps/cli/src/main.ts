#!/usr/bin/env node
import { main } from './cli.js';

// The only place that calls process.exit: once a command finished (and cleaned up), exit with its code
// even if a stray handle (socket, timer) would keep the event loop alive — but only after stdout and
// stderr are flushed (pipes are asynchronous on macOS: a big `doctor --json` could be cut short).
function exitAfterFlush(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(`jupyter-mcp: ${err instanceof Error ? err.message : String(err)}\n`);
  exitAfterFlush(1);
});
