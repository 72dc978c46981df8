import { describe, expect, it } from 'vitest';
import {
  BoundedText,
  collapseCarriageReturns,
  isRateLimitNotice,
  OutputCollector,
} from '../../src/internal/outputs.js';
import type { OutputEvent } from '../../src/types.js';

describe('BoundedText', () => {
  it('keeps everything below the bounds', () => {
    const t = new BoundedText(10, 10);
    t.append('hello ');
    t.append('world');
    expect(t.finish()).toEqual({ text: 'hello world', dropped: 0, droppedLines: 0 });
  });

  it('keeps head and tail and counts what was dropped', () => {
    const t = new BoundedText(5, 5);
    for (let i = 0; i < 1000; i++) t.append('0123456789');
    const { text, dropped } = t.finish();
    expect(dropped).toBe(10_000 - 10);
    expect(text).toBe('01234[… 9,990 characters omitted …]56789');
  });

  it('cuts at line boundaries with exact counts of characters and lines', () => {
    const t = new BoundedText(12, 12);
    for (let i = 0; i < 1000; i++) t.append(`${i}\n`);
    const { text, dropped, droppedLines } = t.finish();
    expect(text).toBe('0\n1\n2\n3\n4\n5\n[… 991 lines (3,866 characters) omitted …]\n997\n998\n999\n');
    expect(droppedLines + (text.match(/\n/g)!.length - 1)).toBe(1000);
    expect(droppedLines).toBe(991);
    expect(dropped).toBe(3890 - '0\n1\n2\n3\n4\n5\n997\n998\n999\n'.length);
  });

  it('stays bounded while appending (amortised trimming)', () => {
    const t = new BoundedText(100, 100);
    for (let i = 0; i < 100_000; i++) t.append('x'.repeat(37));
    expect(t.length).toBeLessThanOrEqual(100 + 2 * 100);
  });

  it('applies carriage returns across chunks', () => {
    const t = new BoundedText(1000, 1000);
    for (let i = 0; i <= 100; i += 10) t.append(`\r${i}%`);
    t.append('\ndone\n');
    expect(t.finish().text).toBe('100%\ndone\n');
  });
});

describe('collapseCarriageReturns', () => {
  it('overwrites from column 0 like a terminal', () => {
    expect(collapseCarriageReturns('abcdef\rXY')).toBe('XYcdef');
    expect(collapseCarriageReturns('a\r\nb')).toBe('a\nb');
    expect(collapseCarriageReturns('10%\r20%\r')).toBe('20%\r');
    expect(collapseCarriageReturns('no cr')).toBe('no cr');
  });
});

describe('OutputCollector', () => {
  it('merges consecutive stream chunks per name', () => {
    const c = new OutputCollector();
    c.handle('stream', { name: 'stdout', text: 'a' });
    c.handle('stream', { name: 'stdout', text: 'b' });
    c.handle('stream', { name: 'stderr', text: 'e' });
    c.handle('stream', { name: 'stdout', text: 'c' });
    expect(c.finish().outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'ab' },
      { output_type: 'stream', name: 'stderr', text: 'e' },
      { output_type: 'stream', name: 'stdout', text: 'c' },
    ]);
  });

  it('clears at once, or before the next output with wait=true', () => {
    const events: OutputEvent[] = [];
    const c = new OutputCollector({}, (e) => events.push(e));
    c.handle('stream', { name: 'stdout', text: 'a' });
    c.handle('clear_output', { wait: true });
    expect(c.count).toBe(1);
    c.handle('stream', { name: 'stdout', text: 'b' });
    expect(c.finish().outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'b' }]);
    c.handle('clear_output', { wait: false });
    expect(c.finish().outputs).toEqual([]);
    expect(events.map((e) => e.kind)).toEqual(['output', 'clear', 'output', 'clear']);
  });

  it('updates displays by display id, leaving others alone', () => {
    const c = new OutputCollector();
    c.handle('display_data', { data: { 'text/plain': 'one' }, metadata: {}, transient: { display_id: 'x' } });
    c.handle('display_data', {
      data: { 'text/plain': 'other' },
      metadata: {},
      transient: { display_id: 'y' },
    });
    c.handle('display_data', {
      data: { 'text/plain': 'one again' },
      metadata: {},
      transient: { display_id: 'x' },
    });
    c.handle('update_display_data', {
      data: { 'text/plain': 'two' },
      metadata: { m: 1 },
      transient: { display_id: 'x' },
    });
    expect(c.finish().outputs).toEqual([
      { output_type: 'display_data', data: { 'text/plain': 'two' }, metadata: { m: 1 } },
      { output_type: 'display_data', data: { 'text/plain': 'other' }, metadata: {} },
      { output_type: 'display_data', data: { 'text/plain': 'two' }, metadata: { m: 1 } },
    ]);
  });

  it('turns the server rate-limit notice into a warning', () => {
    const c = new OutputCollector();
    const notice = 'IOPub data rate exceeded.\nThe Jupyter server will temporarily stop sending output\n';
    expect(isRateLimitNotice(notice)).toBe(true);
    c.handle('stream', { name: 'stdout', text: 'x' });
    c.handle('stream', { name: 'stderr', text: notice });
    expect(c.finish().outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'x' }]);
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toMatch(/IOPub data rate exceeded/);
  });

  it('drops middle outputs past maxOutputs and reports them', () => {
    const c = new OutputCollector({ maxOutputs: 4 });
    for (let i = 0; i < 10; i++)
      c.handle('display_data', { data: { 'text/plain': String(i) }, metadata: {} });
    const { outputs, truncated } = c.finish();
    expect(outputs.map((o) => (o.output_type === 'display_data' ? o.data['text/plain'] : ''))).toEqual([
      '0',
      '1',
      '8',
      '9',
    ]);
    expect(truncated?.droppedOutputs).toBe(6);
  });

  it('bounds text mime values and drops oversized binary ones', () => {
    const c = new OutputCollector({ headChars: 3, tailChars: 3, maxMimeChars: 10 });
    c.handle('execute_result', {
      execution_count: 3,
      data: { 'text/plain': 'abcdefghijkl', 'image/png': 'A'.repeat(11), 'application/json': { a: 1 } },
      metadata: {},
    });
    const { outputs, truncated } = c.finish();
    expect(outputs[0]).toMatchObject({
      output_type: 'execute_result',
      execution_count: 3,
      data: {
        'text/plain': expect.stringMatching(/^abc\[… 6 characters omitted …\]jkl$/),
        'application/json': { a: 1 },
      },
    });
    expect(outputs[0]).not.toHaveProperty('data.image/png');
    expect(truncated?.outputs).toEqual([
      { index: 0, droppedChars: 6 + 11, droppedLines: 0, droppedMimeTypes: ['image/png'] },
    ]);
  });

  it('bounds long tracebacks by lines', () => {
    const c = new OutputCollector({ headChars: 20, tailChars: 20 });
    const tb = Array.from({ length: 100 }, (_, i) => `frame ${i}`);
    c.handle('error', { ename: 'RecursionError', evalue: 'too deep', traceback: tb });
    const out = c.finish().outputs[0];
    if (out?.output_type !== 'error') throw new Error('expected an error output');
    expect(out.traceback[0]).toBe('frame 0');
    expect(out.traceback.at(-1)).toBe('frame 99');
    expect(out.traceback.some((l) => /^\[… [\d,]+ lines \([\d,]+ characters\) omitted …\]$/.test(l))).toBe(
      true,
    );
    expect(out.traceback.length).toBeLessThan(10);
  });

  it('streams chunks through onOutput', () => {
    const events: OutputEvent[] = [];
    const c = new OutputCollector({}, (e) => events.push(e));
    c.handle('stream', { name: 'stdout', text: 'a' });
    c.handle('stream', { name: 'stdout', text: 'b' });
    expect(events).toEqual([
      { kind: 'output', output: { output_type: 'stream', name: 'stdout', text: 'a' } },
      { kind: 'output', output: { output_type: 'stream', name: 'stdout', text: 'b' } },
    ]);
  });
});
