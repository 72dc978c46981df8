import { describe, expect, it } from 'vitest';
import { decodeLegacy, decodeV1, encodeLegacy, encodeV1, makeMessage } from '../../src/internal/protocol.js';
import { normalisePath, toKernelInfo, toKernelSpecList, toSessionInfo } from '../../src/internal/rest.js';

describe('websocket framing', () => {
  it('round-trips a v1 frame with buffers', () => {
    const msg = makeMessage('shell', 'execute_request', { code: '1+1' }, 'sess');
    msg.buffers = [new Uint8Array([1, 2, 3])];
    const back = decodeV1(encodeV1(msg));
    expect(back.channel).toBe('shell');
    expect(back.header).toEqual(msg.header);
    expect(back.content).toEqual({ code: '1+1' });
    expect([...back.buffers![0]!]).toEqual([1, 2, 3]);
  });

  it('matches the layout jupyter_server writes (offset count, offsets, channel, parts)', () => {
    const frame = encodeV1(makeMessage('iopub', 'status', { execution_state: 'idle' }, 's'));
    const n = Number(frame.readBigUInt64LE(0));
    expect(n).toBe(6);
    const first = Number(frame.readBigUInt64LE(8));
    expect(first).toBe(8 * (n + 1));
    expect(frame.subarray(first, first + 5).toString()).toBe('iopub');
  });

  it('decodes legacy text and binary frames', () => {
    const msg = makeMessage('iopub', 'stream', { name: 'stdout', text: 'hi' }, 's');
    expect(decodeLegacy(encodeLegacy(msg), false).content).toEqual({ name: 'stdout', text: 'hi' });
    const json = Buffer.from(JSON.stringify({ ...msg, buffers: undefined }));
    const buf = Buffer.from([9, 9]);
    const head = Buffer.alloc(12);
    head.writeUInt32BE(2, 0);
    head.writeUInt32BE(12, 4);
    head.writeUInt32BE(12 + json.length, 8);
    const back = decodeLegacy(Buffer.concat([head, json, buf]), true);
    expect(back.content).toEqual({ name: 'stdout', text: 'hi' });
    expect([...back.buffers![0]!]).toEqual([9, 9]);
  });
});

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
