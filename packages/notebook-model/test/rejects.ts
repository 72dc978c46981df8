import { NotebookError } from '../src/index.js';

/** The `NotebookError` a promise rejects with (fails the test on success or on another error). */
export async function rejects(p: Promise<unknown>): Promise<NotebookError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NotebookError) return e;
    throw e;
  }
  throw new Error('expected a NotebookError');
}
