import { describe, expect, it } from 'vitest';
import { decodeLegacy, decodeV1, encodeLegacy, encodeV1, makeMessage } from '../../src/internal/protocol.js';

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
