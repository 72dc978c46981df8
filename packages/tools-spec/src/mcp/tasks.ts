import type { CreateTaskOptions } from '@modelcontextprotocol/sdk/experimental/tasks';
import { InMemoryTaskStore, isTerminal } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { Request, RequestId, Result, Task } from '@modelcontextprotocol/sdk/types.js';

/** How long a task and its result are kept when the client asks for nothing else (1 hour). */
export const DEFAULT_TASK_TTL_MS = 3_600_000;
/** The longest a client may ask a task to be kept (24 hours). */
export const MAX_TASK_TTL_MS = 86_400_000;
/** Suggested `tasks/get` interval. */
export const TASK_POLL_INTERVAL_MS = 1000;

/**
 * The tasks of one MCP session (2025-11-25 task-augmented `tools/call`): the SDK's in-memory store,
 * with a bounded lifetime (no task lives forever) and cancellation wired to the running call —
 * `tasks/cancel` marks the task cancelled and aborts the tool (execution tools interrupt the kernel).
 */
export class ToolTaskStore extends InMemoryTaskStore {
  readonly #running = new Map<string, AbortController>();

  override async createTask(
    params: CreateTaskOptions,
    requestId: RequestId,
    request: Request,
    sessionId?: string,
  ): Promise<Task> {
    const ttl = Math.min(MAX_TASK_TTL_MS, Math.max(1000, params.ttl ?? DEFAULT_TASK_TTL_MS));
    return super.createTask(
      { ...params, ttl, pollInterval: params.pollInterval ?? TASK_POLL_INTERVAL_MS },
      requestId,
      request,
      sessionId,
    );
  }

  /** The abort controller of a task's running call (aborted by `tasks/cancel` and `close`). */
  track(taskId: string): AbortController {
    const controller = new AbortController();
    this.#running.set(taskId, controller);
    return controller;
  }

  /** The call of a task ended (its result is stored or it was cancelled). */
  untrack(taskId: string): void {
    this.#running.delete(taskId);
  }

  override async updateTaskStatus(
    taskId: string,
    status: Task['status'],
    statusMessage?: string,
    sessionId?: string,
  ): Promise<void> {
    await super.updateTaskStatus(taskId, status, statusMessage, sessionId);
    if (status === 'cancelled') this.#running.get(taskId)?.abort();
  }

  /** Store a call's result unless the task already ended (a cancelled task stays cancelled). `store`
   *  is the request's task store (it also notifies the client of the new status). */
  async finish(
    taskId: string,
    result: Result & { isError?: boolean },
    store: { storeTaskResult(id: string, status: 'completed' | 'failed', r: Result): Promise<void> },
    sessionId?: string,
  ): Promise<void> {
    this.untrack(taskId);
    const task = await this.getTask(taskId, sessionId);
    if (!task || isTerminal(task.status)) return;
    // A tool result with isError: true is a failed task (its result is still what tasks/result returns).
    await store.storeTaskResult(taskId, result.isError ? 'failed' : 'completed', result).catch(() => {});
  }

  /** Abort every running call and forget every task (the session closed). */
  close(): void {
    for (const c of this.#running.values()) c.abort();
    this.#running.clear();
    this.cleanup();
  }
}
