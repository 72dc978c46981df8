import { isAbsolute, posix, relative, resolve } from 'node:path';
import { ToolError } from '../errors.js';

/**
 * Turn a tool's `path` argument into a Contents API path (relative to the server root, `/`-separated,
 * no leading slash). Absolute paths are accepted when they lie under the known local root. Anything
 * escaping the root is refused.
 */
export function toApiPath(input: string, root: string | undefined, what = 'path'): string {
  let p = input.trim().replace(/\\/g, '/');
  if (p === '' || p === '.' || p === '/') return '';
  if (isAbsolute(p) || /^[A-Za-z]:\//.test(p)) {
    if (!root)
      throw new ToolError(
        'PATH_OUTSIDE_ROOT',
        `The ${what} '${input}' is absolute, but notebook paths are relative to the Jupyter Server's root directory.`,
        {
          hint: 'Pass a path relative to the server root, e.g. "analysis/report.ipynb" (list_files shows what is there).',
        },
      );
    const rel = relative(resolve(root), resolve(p));
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new ToolError(
        'PATH_OUTSIDE_ROOT',
        `The ${what} '${input}' is outside the Jupyter root directory ${root}.`,
        {
          hint: 'Only files under the root can be used. Pass a path inside it, or restart jupyter-mcp with --root pointing higher.',
        },
      );
    p = rel.replace(/\\/g, '/');
  }
  const norm = posix
    .normalize(p)
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  if (norm === '..' || norm.startsWith('../'))
    throw new ToolError(
      'PATH_OUTSIDE_ROOT',
      `The ${what} '${input}' points outside the Jupyter root directory.`,
      {
        hint: 'Remove the "..": paths are relative to the server root and cannot leave it.',
      },
    );
  return norm === '.' ? '' : norm.replace(/^\/+/, '');
}

/** Encode a Contents API path segment by segment. */
export function encodeApiPath(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
}
