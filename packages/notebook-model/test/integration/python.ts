import { readFileSync } from 'node:fs';
import { runPython } from '@jupyter-mcp/test-support';
import { parsePyJson } from '../../src/internal/pyjson.js';

const helper = readFileSync(new URL('./nbformat_helper.py', import.meta.url), 'utf8');

/** Ask the venv's nbformat/papermill (see nbformat_helper.py). */
export async function py<T>(request: Record<string, unknown>): Promise<T> {
  // Python's json may write NaN/Infinity: read it with our Python-compatible parser.
  return parsePyJson(await runPython(helper, [], JSON.stringify(request))) as T;
}

/** `nbformat.validate` each text; throws listing failures. */
export async function expectValid(texts: string[]): Promise<void> {
  const errors = await py<(string | null)[]>({ action: 'validate', texts });
  const bad = errors.map((e, i) => (e ? `#${i}: ${e}` : '')).filter(Boolean);
  if (bad.length) throw new Error(`nbformat.validate failed:\n${bad.join('\n')}`);
}
