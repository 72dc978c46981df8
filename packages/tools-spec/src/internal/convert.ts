import { JupyterAuthError, JupyterHttpError, JupyterNetworkError } from '@jupyter-mcp/jupyter-auth';
import { KernelClientError } from '@jupyter-mcp/kernel-client';
import { NotebookError } from '@jupyter-mcp/notebook-model';
import { ToolError, type ToolErrorCode } from '../errors.js';

/** Convert anything a handler threw into a `ToolError` with what/why/what-to-do. */
export function toToolError(err: unknown): ToolError {
  if (err instanceof ToolError) return err;
  if (err instanceof KernelClientError) {
    const map: Partial<Record<string, [ToolErrorCode, string]>> = {
      KERNEL_NOT_FOUND: [
        'KERNEL_NOT_FOUND',
        'list_kernels shows the running kernels; start one with start_kernel.',
      ],
      KERNELSPEC_NOT_FOUND: ['INVALID_ARGUMENT', 'list_kernelspecs shows the kernel names this server has.'],
      KERNEL_DIED: [
        'KERNEL_DEAD',
        'Its state is lost. Restart it with restart_kernel or start a new one with start_kernel.',
      ],
      KERNEL_RESTARTED: [
        'KERNEL_DEAD',
        'The kernel was restarted; variables are gone. Re-run the cells you need.',
      ],
      KERNEL_STUCK: ['KERNEL_DEAD', 'The kernel ignores interrupts. Restart it with restart_kernel.'],
      KERNEL_START_TIMEOUT: [
        'JUPYTER_ERROR',
        'The kernel did not start in time; check the server log or try again.',
      ],
      CONNECTION_LOST: [
        'JUPYTER_ERROR',
        'The connection to the kernel dropped. Try again; if it persists, run diagnose_connection.',
      ],
      SERVER_UNREACHABLE: [
        'JUPYTER_UNAVAILABLE',
        'Is the Jupyter Server running? diagnose_connection explains the failure.',
      ],
      AUTH_FAILED: [
        'JUPYTER_UNAVAILABLE',
        'The credentials were refused; diagnose_connection explains why and how to fix it.',
      ],
      INVALID_ARGUMENT: ['INVALID_ARGUMENT', 'Check the arguments.'],
      DISPOSED: ['JUPYTER_ERROR', 'Try the call again.'],
    };
    const [code, hint] = map[err.code] ?? ['JUPYTER_ERROR', 'Try again; diagnose_connection can help.'];
    return new ToolError(code, err.message, { hint, cause: err });
  }
  if (err instanceof NotebookError) {
    const map: Partial<Record<string, [ToolErrorCode, string]>> = {
      CELL_NOT_FOUND: ['NOT_FOUND', 'read_notebook lists the cells with their index and id.'],
      CELL_IDS_UNSUPPORTED: [
        'INVALID_ARGUMENT',
        'This notebook has no cell ids (nbformat < 4.5): address cells by index.',
      ],
      NO_MATCH: [
        'INVALID_ARGUMENT',
        'old_string must appear exactly in the cell source; read_cell shows it.',
      ],
      AMBIGUOUS_MATCH: [
        'INVALID_ARGUMENT',
        'Give more surrounding text in old_string, or pass replace_all: true.',
      ],
      INVALID_JSON: ['INVALID_NOTEBOOK', 'The file was left untouched.'],
      INVALID_NOTEBOOK: ['INVALID_NOTEBOOK', 'Nothing was written.'],
      UNSUPPORTED_NBFORMAT: [
        'INVALID_NOTEBOOK',
        'Only nbformat 4 notebooks are supported; convert it with `jupyter nbconvert --to notebook`.',
      ],
      CONFLICT: ['CONFLICT', 'Read the notebook again and redo the change.'],
      NOT_FOUND: ['NOT_FOUND', 'Check the path with list_files.'],
      ALREADY_EXISTS: ['ALREADY_EXISTS', 'Pass overwrite: true or choose another path.'],
      PATH_OUTSIDE_ROOT: ['PATH_OUTSIDE_ROOT', 'Use a path inside the Jupyter root.'],
      NOTEBOOK_TOO_LARGE: [
        'NOTEBOOK_TOO_LARGE',
        'Raise --max-notebook-size (JUPYTER_MCP_MAX_NOTEBOOK_SIZE) to work with it, or make the notebook smaller in Jupyter (clear large outputs, split it).',
      ],
      CANCELLED: ['CANCELLED', 'Nothing was written.'],
      INVALID_PATH: ['INVALID_ARGUMENT', 'Use a relative path like "dir/name.ipynb".'],
      INVALID_ARGUMENT: ['INVALID_ARGUMENT', 'Check the arguments.'],
    };
    const [code, hint] = map[err.code] ?? ['JUPYTER_ERROR', 'Try again.'];
    return new ToolError(code, err.message, { hint, cause: err });
  }
  if (err instanceof JupyterHttpError) {
    if (err.status === 404)
      return new ToolError('NOT_FOUND', err.message, {
        hint: 'Check the path or id (list_files / list_kernels).',
        cause: err,
      });
    if (err.status === 401 || err.status === 403)
      return new ToolError('JUPYTER_UNAVAILABLE', err.message, {
        hint: 'diagnose_connection explains why the server refuses and how to fix it.',
        cause: err,
      });
    return new ToolError('JUPYTER_ERROR', err.message, {
      hint: 'Check the arguments; the server log may say more.',
      cause: err,
    });
  }
  if (err instanceof JupyterNetworkError)
    return new ToolError('JUPYTER_UNAVAILABLE', err.message, {
      hint: 'Is the Jupyter Server running? diagnose_connection explains the failure.',
      cause: err,
    });
  if (err instanceof JupyterAuthError)
    return new ToolError('JUPYTER_ERROR', err.message, { hint: 'diagnose_connection can help.', cause: err });
  const msg = err instanceof Error ? err.message : String(err);
  return new ToolError('INTERNAL', `Unexpected failure: ${msg}`, {
    hint: 'This is a bug in jupyter-mcp or an unexpected server answer; the server log (stderr) has details.',
    cause: err,
  });
}

/** The readable text of a failed tool call. */
export function errorText(err: ToolError): string {
  let text = `Error (${err.code}): ${err.message}`;
  if ('finding' in err) {
    const f = (err as { finding: { explanation?: string; code: string } }).finding;
    if (f.explanation && f.explanation !== err.message) text += `\nWhy: ${f.explanation}`;
    text += `\nFinding: ${f.code}`;
  }
  if (err.hint) text += `\nWhat to do: ${err.hint}`;
  return text;
}
