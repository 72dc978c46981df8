import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertVenv, pythonPath } from '@jupyter-mcp/test-support';
import { afterAll } from 'vitest';
import { parsePyJson } from '../../src/internal/pyjson.js';

const helper = fileURLToPath(new URL('./nbformat_helper.py', import.meta.url));

/** One long-lived Python per test file (imports nbformat/papermill once), answering JSON lines. */
let child: ChildProcessWithoutNullStreams | undefined;
let buffered = '';
let stderr = '';
const waiting: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];

function start(): ChildProcessWithoutNullStreams {
  assertVenv();
  const c = spawn(pythonPath, [helper, 'serve'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONIOENCODING: 'utf-8' },
  });
  c.stdout.setEncoding('utf8');
  c.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      waiting.shift()?.resolve(line);
    }
  });
  c.stderr.setEncoding('utf8');
  c.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  c.on('exit', (code) => {
    child = undefined;
    for (const w of waiting.splice(0)) w.reject(new Error(`python helper exited (${code}): ${stderr}`));
  });
  return c;
}

afterAll(() => {
  child?.stdin.end();
});

/** Ask the venv's nbformat/papermill (see nbformat_helper.py). */
export async function py<T>(request: Record<string, unknown>): Promise<T> {
  child ??= start();
  // ASCII-only request line (no dependence on the Python locale).
  const line = JSON.stringify(request).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const answer = new Promise<string>((resolve, reject) => waiting.push({ resolve, reject }));
  child.stdin.write(`${line}\n`);
  // Python's json may write NaN/Infinity: read it with our Python-compatible parser.
  const reply = parsePyJson(await answer) as { ok?: T; error?: string };
  if (reply.error !== undefined) throw new Error(`python helper failed: ${reply.error}`);
  return reply.ok as T;
}

/** `nbformat.validate` each text; throws listing failures. */
export async function expectValid(texts: string[]): Promise<void> {
  const errors = await py<(string | null)[]>({ action: 'validate', texts });
  const bad = errors.map((e, i) => (e ? `#${i}: ${e}` : '')).filter(Boolean);
  if (bad.length) throw new Error(`nbformat.validate failed:\n${bad.join('\n')}`);
}
