import { silentLogger } from '@jupyter-mcp/jupyter-auth';
import { describe, expect, it } from 'vitest';
import {
  applyRunMessage,
  buildResult,
  createRun,
  type QueuedExecution,
} from '../../src/internal/execution.js';
import { type Channel, makeMessage } from '../../src/internal/protocol.js';

const queued = (options: QueuedExecution['options'] = {}): QueuedExecution => ({
  code: 'x',
  options,
  resolve() {},
  reject() {},
});
const msg = (channel: Channel, type: string, content: Record<string, unknown>) =>
  makeMessage(channel, type, content, 's');

describe('a run, message by message', () => {
  it('collects outputs, the execution count and the reply into a result', () => {
    const run = createRun(queued(), 'm1', {}, silentLogger, 100);
    applyRunMessage(run, msg('iopub', 'status', { execution_state: 'busy' }));
    applyRunMessage(run, msg('iopub', 'execute_input', { code: 'x', execution_count: 7 }));
    applyRunMessage(run, msg('iopub', 'stream', { name: 'stdout', text: 'hi\n' }));
    applyRunMessage(
      run,
      msg('iopub', 'execute_result', { execution_count: 7, data: { 'text/plain': '2' }, metadata: {} }),
    );
    expect(run.idle).toBe(false);
    applyRunMessage(run, msg('shell', 'execute_reply', { status: 'ok', execution_count: 7 }));
    applyRunMessage(run, msg('iopub', 'status', { execution_state: 'idle' }));
    expect(run.idle).toBe(true);
    expect(buildResult(run, 112.34)).toEqual({
      status: 'ok',
      executionCount: 7,
      outputs: [
        { output_type: 'stream', name: 'stdout', text: 'hi\n' },
        { output_type: 'execute_result', execution_count: 7, data: { 'text/plain': '2' }, metadata: {} },
      ],
      durationMs: 12.3,
      warnings: [],
    });
  });

  it('reports errors, and input() as a warning', () => {
    const run = createRun(queued(), 'm1', {}, silentLogger, 0);
    expect(applyRunMessage(run, msg('stdin', 'input_request', { prompt: '?' }))).toBe('input_request');
    applyRunMessage(
      run,
      msg('shell', 'execute_reply', { status: 'error', ename: 'StdinNotImplementedError', evalue: 'no' }),
    );
    const r = buildResult(run, 1);
    expect(r.status).toBe('error');
    expect(r.error).toEqual({ ename: 'StdinNotImplementedError', evalue: 'no' });
    expect(r.warnings).toHaveLength(2);
  });

  it('turns an interrupted error into timeout / interrupted, but keeps ok when the cell finished first', () => {
    const timedOut = createRun(queued({ timeoutMs: 50 }), 'm', {}, silentLogger, 0);
    timedOut.reason = 'timeout';
    applyRunMessage(
      timedOut,
      msg('shell', 'execute_reply', { status: 'error', ename: 'KeyboardInterrupt', evalue: '' }),
    );
    const r = buildResult(timedOut, 60);
    expect(r.status).toBe('timeout');
    expect(r.warnings.join(' ')).toMatch(/Timed out after 50 ms/);

    const raced = createRun(queued(), 'm', {}, silentLogger, 0);
    raced.reason = 'interrupted';
    applyRunMessage(raced, msg('shell', 'execute_reply', { status: 'ok' }));
    expect(buildResult(raced, 1).status).toBe('ok');

    const stuck = createRun(queued(), 'm', {}, silentLogger, 0);
    expect(buildResult(stuck, 1, { status: 'interrupted', warning: 'did not stop' })).toMatchObject({
      status: 'interrupted',
      warnings: ['did not stop'],
    });
  });

  it('reports truncation in the result, with the notice in the output, not in the warnings', () => {
    const run = createRun(queued(), 'm', { headChars: 2, tailChars: 2 }, silentLogger, 0);
    applyRunMessage(run, msg('iopub', 'stream', { name: 'stdout', text: 'abcdefgh' }));
    applyRunMessage(run, msg('shell', 'execute_reply', { status: 'ok' }));
    const r = buildResult(run, 1);
    expect(r.truncated).toEqual({
      outputs: [{ index: 0, droppedChars: 4, droppedLines: 0 }],
      droppedOutputs: 0,
      droppedChars: 4,
      droppedLines: 0,
    });
    expect(r.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'ab[… 4 characters omitted …]gh' },
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('keeps a throwing onOutput callback from breaking the run', () => {
    const run = createRun(
      queued({
        onOutput: () => {
          throw new Error('boom');
        },
      }),
      'm',
      {},
      silentLogger,
      0,
    );
    applyRunMessage(run, msg('iopub', 'stream', { name: 'stdout', text: 'a' }));
    expect(run.collector.count).toBe(1);
  });
});
