import { describe, expect, it } from 'vitest';
import { normalisePath, toKernelInfo, toKernelSpecList, toSessionInfo } from '../../src/internal/rest.js';

describe('REST models', () => {
  it('maps kernels, sessions and kernelspecs', () => {
    const k = {
      id: 'k1',
      name: 'python3',
      execution_state: 'idle',
      connections: 2,
      last_activity: '2026-01-01T00:00:00Z',
    };
    expect(toKernelInfo(k)).toEqual({
      id: 'k1',
      name: 'python3',
      executionState: 'idle',
      connections: 2,
      lastActivity: '2026-01-01T00:00:00Z',
    });
    expect(toKernelInfo({ id: 'k', execution_state: 'weird' }).executionState).toBe('unknown');
    expect(
      toSessionInfo({ id: 's', path: '/a/b.ipynb', name: 'b.ipynb', type: 'notebook', kernel: k }),
    ).toMatchObject({
      path: 'a/b.ipynb',
      kernel: { id: 'k1' },
    });
    expect(
      toKernelSpecList({
        default: 'python3',
        kernelspecs: {
          r: { name: 'r', spec: { display_name: 'R', language: 'R' } },
          python3: { name: 'python3', spec: { display_name: 'Python 3', language: 'python' } },
        },
      }),
    ).toEqual({
      default: 'python3',
      specs: [
        { name: 'python3', displayName: 'Python 3', language: 'python' },
        { name: 'r', displayName: 'R', language: 'R' },
      ],
    });
    expect(normalisePath('\\x\\y.ipynb')).toBe('x/y.ipynb');
  });
});
