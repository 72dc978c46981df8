import type { Logger } from '@jupyter-mcp/jupyter-auth';
import type { ExecuteOptions, ExecutionResult, ExecutionStatus, OutputLimits } from '../types.js';
import { DEFAULT_OUTPUT_LIMITS, OutputCollector } from './outputs.js';
import type { KernelMessage, LargeStreamOptions } from './protocol.js';

/** An execution waiting in a handle's queue. */
export interface QueuedExecution {
  code: string;
  options: ExecuteOptions;
  resolve(result: ExecutionResult): void;
  reject(err: unknown): void;
}

/** The execution a handle is running: everything its messages have told us so far. */
export interface Run {
  queued: QueuedExecution;
  /** msg_id of the execute_request; the kernel's messages carry it as parent. */
  msgId: string;
  collector: OutputCollector;
  started: number;
  reply: Record<string, unknown> | undefined;
  idle: boolean;
  executionCount: number | null;
  /** Why we interrupted it, if we did. */
  reason: 'timeout' | 'interrupted' | undefined;
  timer: NodeJS.Timeout | undefined;
  graceTimer: NodeJS.Timeout | undefined;
  /** Armed once execute_reply arrived without IOPub idle; refreshed by each IOPub message of the run. */
  quietTimer: NodeJS.Timeout | undefined;
  /** Periodic check that the kernel still exists on the server. */
  watchdog: NodeJS.Timeout | undefined;
  settled: boolean;
  /** The interrupt did not take within the grace period. */
  gaveUp: boolean;
  onSettled: (() => void)[];
}

export function createRun(
  queued: QueuedExecution,
  msgId: string,
  limits: Partial<OutputLimits>,
  logger: Logger,
  now: number,
): Run {
  const onOutput = queued.options.onOutput;
  return {
    queued,
    msgId,
    collector: new OutputCollector(limits, onOutput ? safeCallback(onOutput, logger) : undefined),
    started: now,
    reply: undefined,
    idle: false,
    executionCount: null,
    reason: undefined,
    timer: undefined,
    graceTimer: undefined,
    quietTimer: undefined,
    watchdog: undefined,
    settled: false,
    gaveUp: false,
    onSettled: [],
  };
}

/** Mark a run settled and stop its timers; false if it already was. */
export function settleRun(run: Run): boolean {
  if (run.settled) return false;
  run.settled = true;
  if (run.timer) clearTimeout(run.timer);
  if (run.graceTimer) clearTimeout(run.graceTimer);
  if (run.quietTimer) clearTimeout(run.quietTimer);
  if (run.watchdog) clearInterval(run.watchdog);
  return true;
}

/**
 * Apply one message of this run (its parent is the run's execute_request). Returns `'input_request'`
 * when the kernel asked for stdin, which the caller refuses.
 */
export function applyRunMessage(run: Run, msg: KernelMessage): 'input_request' | undefined {
  const type = msg.header?.msg_type;
  if (msg.channel === 'iopub') {
    if (type === 'status') {
      if (msg.content.execution_state === 'idle') run.idle = true;
    } else if (type === 'execute_input') {
      run.executionCount = (msg.content.execution_count as number | undefined) ?? run.executionCount;
    } else if (msg.largeText) {
      run.collector.streamLarge(msg.content.name === 'stderr' ? 'stderr' : 'stdout', msg.largeText);
    } else {
      run.collector.handle(type, msg.content);
    }
  } else if (msg.channel === 'shell' && type === 'execute_reply') {
    run.reply = msg.content;
    if (typeof msg.content.execution_count === 'number') run.executionCount = msg.content.execution_count;
  } else if (msg.channel === 'stdin' && type === 'input_request') {
    run.collector.addWarning(
      'The code asked for keyboard input (input()/getpass); this client cannot answer interactively, so the request was refused. Pass values in code instead.',
    );
    return 'input_request';
  }
  return undefined;
}

/** The result of a finished (or given-up) run. */
export function buildResult(
  run: Run,
  now: number,
  override?: { status: ExecutionStatus; warning?: string },
): ExecutionResult {
  const { outputs, truncated } = run.collector.finish();
  const warnings = [...run.collector.warnings];
  const reply = run.reply;
  let status: ExecutionStatus;
  if (override) status = override.status;
  else if (run.reason && reply?.status !== 'ok') status = run.reason;
  else status = (reply?.status as ExecutionStatus | undefined) ?? 'aborted';
  if (override?.warning) warnings.push(override.warning);
  if (run.reason === 'timeout' && !override)
    warnings.push(
      `Timed out after ${run.queued.options.timeoutMs} ms; the kernel was interrupted and the output so far kept.`,
    );
  const result: ExecutionResult = {
    status,
    executionCount: run.executionCount,
    outputs,
    durationMs: Math.round((now - run.started) * 10) / 10,
    warnings,
  };
  if (truncated) {
    // Cut text carries its notice where it was cut; only whole outputs dropped need saying here.
    result.truncated = truncated;
    if (truncated.droppedOutputs)
      warnings.push(
        `The cell produced more than ${run.collector.outputLimits.maxOutputs} outputs: ${truncated.droppedOutputs.toLocaleString('en-US')} outputs from the middle were dropped (the first and the latest are kept).`,
      );
  }
  if (reply?.status === 'error') {
    const ename = String(reply.ename ?? '');
    result.error = { ename, evalue: String(reply.evalue ?? '') };
    if (ename === 'StdinNotImplementedError')
      warnings.push(
        'The code called input() (or another stdin read); this client does not provide interactive input, so it failed. Pass the value in code instead.',
      );
  }
  return result;
}

export function largeStreamOptions(limits: Partial<OutputLimits>): LargeStreamOptions {
  const { headChars, tailChars } = { ...DEFAULT_OUTPUT_LIMITS, ...limits };
  // A UTF-8 JSON string needs at most 6 bytes per UTF-16 unit (\uXXXX); below this it is cheaper to parse.
  return { thresholdBytes: Math.max(64 * 1024, 6 * (headChars + tailChars)), headChars, tailChars };
}

export function emptyResult(status: ExecutionStatus, warnings: string[]): ExecutionResult {
  return { status, executionCount: null, outputs: [], durationMs: 0, warnings };
}

function safeCallback<T>(fn: (e: T) => void, logger: Logger): (e: T) => void {
  return (e) => {
    try {
      fn(e);
    } catch (err) {
      logger.warn('kernel-client: onOutput callback threw', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  };
}
