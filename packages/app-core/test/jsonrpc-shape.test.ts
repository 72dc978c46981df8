import { describe, expect, it } from 'vitest';
import { batchesAllowed, checkJsonRpcShape, shapeProblem } from '../src/index.js';

const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

describe('checkJsonRpcShape', () => {
  it('passes requests, notifications and responses', () => {
    for (const m of [
      ping(1),
      { jsonrpc: '2.0', id: 'a', method: 'tools/list', params: {} },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 3, result: {} },
      { jsonrpc: '2.0', id: 4, error: { code: -32601, message: 'no' } },
    ])
      expect(checkJsonRpcShape(m, '2025-11-25'), JSON.stringify(m)).toEqual({
        ok: true,
        messages: [m],
        batch: false,
      });
  });

  it('answers what is not JSON-RPC with -32600, keeping a usable id', () => {
    const cases: Array<[unknown, unknown, RegExp]> = [
      [42, null, /expected a JSON-RPC object, got a number/],
      [{ id: 5, method: 'ping' }, 5, /"jsonrpc" must be "2.0"/],
      [{ jsonrpc: '2.0', id: null, method: 'ping' }, null, /"id" must be a string or an integer/],
      [{ jsonrpc: '2.0', id: 1.5, method: 'ping' }, null, /"id"/],
      [{ jsonrpc: '2.0', id: 6, method: 'ping', params: [1] }, 6, /"params" must be an object/],
      [{ jsonrpc: '2.0', id: 7 }, 7, /a response needs "result"/],
      [{ jsonrpc: '2.0' }, null, /needs "method"/],
      [
        { jsonrpc: '2.0', id: 8, method: 'x', params: { _meta: { progressToken: {} } } },
        8,
        /MCP message schema/,
      ],
    ];
    for (const [value, id, why] of cases) {
      const r = checkJsonRpcShape(value, '2025-11-25');
      expect(r.ok, JSON.stringify(value)).toBe(false);
      if (r.ok || Array.isArray(r.response)) throw new Error('expected one error');
      expect(r.response.id).toBe(id);
      expect(r.response.error.code).toBe(-32600);
      expect(r.response.error.message).toMatch(why);
    }
  });

  it('refuses batches from 2025-06-18 on (and before initialize), takes them before', () => {
    expect(batchesAllowed('2025-03-26')).toBe(true);
    expect(batchesAllowed('2024-11-05')).toBe(true);
    for (const v of ['2025-06-18', '2025-11-25', undefined]) {
      expect(batchesAllowed(v)).toBe(false);
      const r = checkJsonRpcShape([ping(1)], v);
      expect(r.ok).toBe(false);
      if (!r.ok && !Array.isArray(r.response))
        expect(r.response.error.message).toMatch(/batches are not supported/);
    }
    expect(checkJsonRpcShape([ping(1), ping(2)], '2025-03-26')).toEqual({
      ok: true,
      messages: [ping(1), ping(2)],
      batch: true,
    });
  });

  it('an old-version batch: all invalid → one error each; some invalid → refused whole', () => {
    const all = checkJsonRpcShape([1, { id: 2 }], '2025-03-26');
    expect(!all.ok && Array.isArray(all.response) && all.response.map((e) => [e.id, e.error.code])).toEqual([
      [null, -32600],
      [2, -32600],
    ]);
    const mixed = checkJsonRpcShape([ping(1), 'x'], '2025-03-26');
    expect(!mixed.ok && !Array.isArray(mixed.response) && mixed.response.error.message).toMatch(
      /batch member 1 is not a JSON-RPC message/,
    );
    const empty = checkJsonRpcShape([], '2025-03-26');
    expect(!empty.ok && !Array.isArray(empty.response) && empty.response.error.message).toMatch(/empty/);
    expect(shapeProblem(ping(1))).toBeUndefined();
  });
});
