import { describe, expect, it } from 'vitest';
import { BoundedEventStore } from '../src/event-store.js';

const msg = (n: number) => ({ jsonrpc: '2.0' as const, method: 'notifications/progress', params: { n } });

async function replay(store: BoundedEventStore, after: string) {
  const got: Array<[string, unknown]> = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, m) => {
      got.push([id, (m as { params?: { n: number } }).params?.n]);
    },
  });
  return { stream, got };
}

describe('BoundedEventStore', () => {
  it('replays the events of the same stream after the given id, in order', async () => {
    const s = new BoundedEventStore();
    const prime = await s.storeEvent('a', {} as never);
    await s.storeEvent('a', msg(1));
    await s.storeEvent('b', msg(99));
    const two = await s.storeEvent('a', msg(2));
    await s.storeEvent('a', msg(3));
    expect(await s.getStreamIdForEventId(two)).toBe('a');
    const r = await replay(s, prime);
    expect(r.stream).toBe('a');
    expect(r.got.map(([, n]) => n)).toEqual([1, 2, 3]);
    expect((await replay(s, two)).got.map(([, n]) => n)).toEqual([3]);
  });

  it('keeps the last N events and at most M bytes; an evicted id is unknown', async () => {
    const s = new BoundedEventStore(3, 10_000);
    const first = await s.storeEvent('a', msg(0));
    for (let i = 1; i < 6; i++) await s.storeEvent('a', msg(i));
    expect(s.size).toBe(3);
    expect(await s.getStreamIdForEventId(first)).toBeUndefined();
    await expect(replay(s, first)).rejects.toMatchObject({ code: 'EVENT_NOT_STORED' });
    expect(await s.getStreamIdForEventId('nonsense')).toBeUndefined();
    const small = new BoundedEventStore(1000, 200);
    for (let i = 0; i < 20; i++) await small.storeEvent('a', msg(i));
    expect(small.size).toBeLessThan(5);
  });
});
