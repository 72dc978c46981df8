import { parseNotebook } from '@jupyter-mcp/notebook-model';
import { describe, expect, it } from 'vitest';
import { JobRegistry } from '../../src/runs/jobs.js';
import type { RunNotebookResult } from '../../src/runs/runner.js';
import { notebookJson } from './helpers.js';

function result(status: RunNotebookResult['status']): RunNotebookResult {
  const now = new Date();
  return {
    status,
    notebook: parseNotebook(notebookJson([])),
    cells: [],
    total: 2,
    errors: [],
    startTime: now,
    endTime: now,
    durationS: 0,
    saveError: undefined,
  };
}

/** A run that reports one cell started and then waits for cancel or `finish()`. */
function controllable() {
  let finish!: () => void;
  const ended = new Promise<void>((r) => {
    finish = r;
  });
  return {
    finish,
    run: async (signal: AbortSignal, onEvent: Parameters<Parameters<JobRegistry['start']>[0]['run']>[1]) => {
      onEvent({ type: 'cell-start', index: 0, cellId: 'a', done: 0, total: 2 });
      await Promise.race([ended, new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
      onEvent({ type: 'cell-end', index: 0, cellId: 'a', status: 'completed', done: 1, total: 2 });
      return result(signal.aborted ? 'cancelled' : 'completed');
    },
  };
}

const base = { path: 'a.ipynb', outputPath: 'b.ipynb', background: true, cellsTotal: 2 };

describe('JobRegistry', () => {
  it('tracks progress, lists per session, and records the result', async () => {
    const reg = new JobRegistry();
    const c = controllable();
    const job = reg.start({ ...base, sessionId: 's1', run: c.run });
    expect(job.status).toBe('running');
    await Promise.resolve();
    expect(job.current).toMatchObject({ index: 0, cellId: 'a' });
    expect(reg.list('s1')).toEqual([job]);
    expect(reg.list('s2')).toEqual([]);
    expect(reg.list()).toEqual([job]);
    c.finish();
    await job.done;
    expect(job.status).toBe('completed');
    expect(job.cellsDone).toBe(0); // from the result: no code cells in it
    expect(job.current).toBeUndefined();
    expect(job.endedAt).toBeInstanceOf(Date);
    expect(reg.get(job.id)).toBe(job);
  });

  it('cancel and close stop running jobs; a closed registry refuses new jobs', async () => {
    const reg = new JobRegistry();
    const a = reg.start({ ...base, sessionId: 's', run: controllable().run });
    a.cancel();
    await a.done;
    expect(a.status).toBe('cancelled');
    const b = reg.start({ ...base, sessionId: 's', run: controllable().run });
    await reg.close();
    expect(b.status).toBe('cancelled');
    expect(() => reg.start({ ...base, sessionId: 's', run: controllable().run })).toThrow(/closed/);
  });

  it('a run that throws ends failed with the failure kept', async () => {
    const reg = new JobRegistry();
    const job = reg.start({
      ...base,
      sessionId: 's',
      run: async () => {
        throw new Error('could not start the kernel');
      },
    });
    await job.done;
    expect(job.status).toBe('failed');
    expect(job.failure?.message).toBe('could not start the kernel');
  });

  it('forgets the oldest finished jobs and drops old results', async () => {
    const reg = new JobRegistry({ keepFinished: 3, keepResults: 1 });
    const jobs = [];
    for (let i = 0; i < 5; i++) {
      const j = reg.start({ ...base, sessionId: 's', run: async () => result('completed') });
      await j.done;
      jobs.push(j);
    }
    expect(reg.list().map((j) => j.id)).toEqual(jobs.slice(2).map((j) => j.id));
    expect(jobs[4]!.result).toBeDefined();
    expect(jobs[3]!.result).toBeUndefined();
  });
});
