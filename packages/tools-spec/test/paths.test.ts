import { describe, expect, it } from 'vitest';
import { ToolError } from '../src/index.js';
import { toApiPath } from '../src/internal/paths.js';

describe('toApiPath', () => {
  it('normalises relative paths', () => {
    expect(toApiPath('a/b.ipynb', undefined)).toBe('a/b.ipynb');
    expect(toApiPath('./a//b.ipynb', undefined)).toBe('a/b.ipynb');
    expect(toApiPath('a/x/../b.ipynb', undefined)).toBe('a/b.ipynb');
    expect(toApiPath('', undefined)).toBe('');
    expect(toApiPath('/', '/srv')).toBe('');
  });

  it('accepts absolute paths under the known root', () => {
    expect(toApiPath('/srv/nb/a.ipynb', '/srv/nb')).toBe('a.ipynb');
  });

  it.each([
    ['../x.ipynb', undefined],
    ['a/../../x.ipynb', undefined],
    ['/etc/passwd', '/srv/nb'],
    ['/etc/passwd', undefined],
  ])('refuses %s (root %s) as PATH_OUTSIDE_ROOT', (p, root) => {
    let err: unknown;
    try {
      toApiPath(p, root);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).code).toBe('PATH_OUTSIDE_ROOT');
    expect((err as ToolError).hint).toBeTruthy();
  });
});
