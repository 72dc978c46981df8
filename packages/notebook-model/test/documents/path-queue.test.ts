import { describe, expect, it } from 'vitest';
import { NotebookError, PathQueue } from '../../src/index.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('PathQueue', () => {
  it('runs exclusive operations on one key one at a time, in call order', async () => {
    const q = new PathQueue();
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const op = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      order.push(`start ${name}`);
      await tick();
      order.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all(['a', 'b', 'c'].map((n) => q.exclusive('k', op(n))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(q.size).toBe(0);
  });

  it('runs different keys in parallel, and shared operations together but never with a writer', async () => {
    const q = new PathQueue();
    const log: string[] = [];
    const op = (name: string) => async () => {
      log.push(`+${name}`);
      await tick();
      log.push(`-${name}`);
    };
    await Promise.all([
      q.shared('k', op('r1')),
      q.shared('k', op('r2')),
      q.exclusive('k', op('w1')),
      q.shared('k', op('r3')),
      q.exclusive('other', op('x')),
    ]);
    // r1 and r2 overlap; w1 starts after both ended; r3 after w1; x ran alongside.
    expect(log.indexOf('+r2')).toBeLessThan(log.indexOf('-r1'));
    expect(log.indexOf('+w1')).toBeGreaterThan(Math.max(log.indexOf('-r1'), log.indexOf('-r2')));
    expect(log.indexOf('+r3')).toBeGreaterThan(log.indexOf('-w1'));
    expect(log.indexOf('+x')).toBeLessThan(log.indexOf('-r1'));
  });

  it('a failing operation does not stop the queue', async () => {
    const q = new PathQueue();
    const a = q.exclusive('k', async () => {
      throw new Error('boom');
    });
    const b = q.exclusive('k', async () => 'ok');
    await expect(a).rejects.toThrow('boom');
    await expect(b).resolves.toBe('ok');
  });

  it('an aborted wait gives CANCELLED, and the next writer still waits for the one running', async () => {
    const q = new PathQueue();
    let release!: () => void;
    const first = q.exclusive('k', () => new Promise<void>((r) => (release = r)));
    const ac = new AbortController();
    const second = q.exclusive('k', async () => 'never', ac.signal);
    let thirdRan = false;
    const third = q.exclusive('k', async () => {
      thirdRan = true;
    });
    ac.abort();
    const e = await second.catch((err: unknown) => err);
    expect(e).toBeInstanceOf(NotebookError);
    expect((e as NotebookError).code).toBe('CANCELLED');
    await tick();
    expect(thirdRan).toBe(false);
    release();
    await first;
    await third;
    expect(thirdRan).toBe(true);
    await q.idle();
  });
});
