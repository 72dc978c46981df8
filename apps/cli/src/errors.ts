/** Thrown by commands to end the process with a given exit code (0 ok, 1 failure, 2 usage/config). */
export class ExitError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message = '') {
    super(message);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}
