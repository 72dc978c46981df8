import type { Readable, Writable } from 'node:stream';

/** The process surface a command uses (tests pass their own). */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  cwd: string;
  version: string;
}
