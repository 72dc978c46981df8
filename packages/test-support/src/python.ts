import { execFile } from 'node:child_process';
import { assertVenv, pythonPath } from './paths.js';

/** Run a Python snippet in the project venv (e.g. `nbformat.validate`), with `input` on stdin.
 *  Resolves to stdout; rejects with stderr on a non-zero exit. */
export function runPython(code: string, args: string[] = [], input?: string | Buffer): Promise<string> {
  assertVenv();
  return new Promise((resolve, reject) => {
    const child = execFile(
      pythonPath,
      ['-c', code, ...args],
      { maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`python failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}
