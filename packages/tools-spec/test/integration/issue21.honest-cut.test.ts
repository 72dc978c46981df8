/**
 * Issue 21: a big print carried three different notices of the cut (one above the kept head), counts
 * 36 characters off, and cuts mid-line ("17" of "1766" read like an output line). Now: one notice at
 * the place of the cut, exact counts, whole lines around it.
 */
import { type JupyterServerHandle, startJupyter } from '@jupyter-mcp/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTools, type ToolsHarness, textOf } from '../runs/helpers.js';

let jupyter: JupyterServerHandle;
let tools: ToolsHarness;

beforeAll(async () => {
  jupyter = await startJupyter({ liftIopubLimits: true });
  tools = await connectTools(jupyter);
});
afterAll(async () => {
  await tools?.close();
  await jupyter?.stop();
});

const NOTICE = /\[… ([\d,]+) lines? \(([\d,]+) characters?\) omitted[^\]\n]* …\]/g;
const num = (s: string) => Number(s.replace(/,/g, ''));

describe('one honest cut (issue 21)', () => {
  it('cuts a long numbered print once, on whole lines, with counts that add up', async () => {
    const n = 1_000_000;
    const r = await tools.call('execute_code', {
      code: `for i in range(${n}):\n    print(i)`,
      timeout_s: 300,
    });
    expect(r.isError, textOf(r)).toBeFalsy();
    const text = textOf(r);
    expect(text.length).toBeLessThanOrEqual(20_000);
    const notices = [...text.matchAll(NOTICE)];
    expect(notices).toHaveLength(1);
    expect(text).not.toMatch(/dropped|truncated/);
    const [, lines, chars] = notices[0]!;
    const body = text.split('\n').slice(1); // after the status line
    const at = body.findIndex((l) => l.startsWith('[…'));
    const shown = body.filter((_, i) => i !== at);
    // Every line shown is a whole line of the output, in order, and the counts make up the rest.
    expect(shown.slice(0, at)).toEqual(Array.from({ length: at }, (_, i) => String(i)));
    const first = Number(shown[at]);
    expect(shown.slice(at)).toEqual(Array.from({ length: n - first }, (_, i) => String(first + i)));
    expect(num(lines!)).toBe(first - at);
    const original = Array.from({ length: n }, (_, i) => `${i}\n`).join('');
    const keptChars = shown.join('\n').length + 1;
    expect(num(chars!)).toBe(original.length - keptChars);
  }, 300_000);

  it('cuts a single 20 MB line inside the line with one exact notice', async () => {
    const r = await tools.call('execute_code', { code: "print('x' * 20_000_000)", timeout_s: 300 });
    const text = textOf(r);
    const notices = [...text.matchAll(/\[… ([\d,]+) characters omitted[^\]\n]* …\]/g)];
    expect(notices).toHaveLength(1);
    const kept = (text.split('\n').slice(1).join('\n').match(/x/g) ?? []).length;
    expect(num(notices[0]![1]!)).toBe(20_000_001 - kept - 1);
  }, 300_000);
});
