/**
 * `execute_notebook` behind the tool: check every argument and load the notebook (nothing written on
 * bad input), choose the kernel, then run in the foreground or as a background job.
 */
import type { KernelClient, KernelHandle } from '@jupyter-mcp/kernel-client';
import type { Notebook, NotebookVersion, ParameterValue } from '@jupyter-mcp/notebook-model';
import { ToolError } from '../errors.js';
import { toToolError } from '../internal/convert.js';
import type { NotebookFiles } from '../internal/notebooks.js';
import type { ToolContext } from '../tool.js';
import type { Job, JobRegistry } from './jobs.js';
import { type PreparedRun, prepareRun } from './papermill.js';
import { type RunEvent, type RunNotebookResult, runNotebook } from './runner.js';

export interface ExecuteNotebookArgs {
  /** API path of the input notebook. */
  path: string;
  /** API path of the output (undefined = in place). */
  outputPath: string | undefined;
  parameters: Record<string, ParameterValue>;
  kernelName?: string;
  kernelId?: string;
  timeoutS: number;
  continueOnError: boolean;
  startIndex?: number;
  endIndex?: number;
}

/** A validated run, ready to start. */
export interface PlannedRun {
  args: ExecuteNotebookArgs;
  outputPath: string;
  inPlace: boolean;
  prepared: PreparedRun;
  files: NotebookFiles;
  client: KernelClient;
  /** Version of the input read (in-place runs save with conflict detection against it). */
  inputVersion: NotebookVersion | undefined;
  /** Kernel to start (undefined when attaching to `kernelId`). */
  kernelName: string | undefined;
  /** Code cells to run. */
  total: number;
}

/** Read, check and prepare. Throws a `ToolError` (nothing written) for any bad input. */
export async function planRun(
  ctx: ToolContext,
  args: ExecuteNotebookArgs,
  jobs: JobRegistry | undefined,
): Promise<PlannedRun> {
  if (args.kernelId && args.kernelName)
    throw new ToolError('INVALID_ARGUMENT', 'Both kernel_id and kernel_name were given.', {
      hint: 'Pass kernel_id to run in a kernel that is already running, or kernel_name to start a fresh one — not both.',
    });
  const params = args.parameters as unknown;
  if (params === null || typeof params !== 'object' || Array.isArray(params))
    throw new ToolError(
      'INVALID_ARGUMENT',
      `parameters must be a JSON object of name → value, got ${Array.isArray(params) ? 'a list' : params === null ? 'null' : typeof params}.`,
      { hint: 'Pass e.g. {"alpha": 0.5, "name": "q3"}. Nothing was written.' },
    );
  const files = await ctx.files();
  const outputPath = args.outputPath ?? args.path;
  const inPlace = outputPath === args.path;
  if (!outputPath.endsWith('.ipynb'))
    throw new ToolError('INVALID_ARGUMENT', `output_path '${outputPath}' does not end in .ipynb.`, {
      hint: 'Pass an output notebook path such as "runs/report-q3.ipynb".',
    });
  const loaded = await files.read(args.path);
  const nb: Notebook = loaded.notebook;
  const conn = await ctx.connection();
  const client = jobs ? jobs.kernelClient(conn) : await ctx.kernels();

  let kernelName: string | undefined;
  if (!args.kernelId) {
    const specs = await client.listKernelSpecs();
    kernelName = args.kernelName ?? nb.kernelName ?? specs.default;
    if (!specs.specs.some((s) => s.name === kernelName))
      throw new ToolError(
        'INVALID_ARGUMENT',
        `No kernel named '${kernelName}' is installed on the Jupyter Server${args.kernelName ? '' : ` (it is the kernelspec of ${args.path})`}; installed: ${specs.specs.map((s) => s.name).join(', ') || 'none'}.`,
        {
          hint: 'Pass kernel_name with one of the installed kernels (list_kernelspecs shows them). Nothing was written.',
        },
      );
  } else {
    // Fails with KERNEL_NOT_FOUND before anything is written.
    const model = await conn.request('GET', `api/kernels/${encodeURIComponent(args.kernelId)}`, {
      allowStatus: [404],
    });
    if (model.status === 404) {
      await model.arrayBuffer();
      throw new ToolError('KERNEL_NOT_FOUND', `No running kernel has the id '${args.kernelId}'.`, {
        hint: 'list_kernels shows the running kernels; omit kernel_id to run in a fresh kernel. Nothing was written.',
      });
    }
    const body = (await model.json()) as { name?: string };
    kernelName = undefined;
    args.kernelName = body.name;
  }
  const prepared = prepareRun(nb, {
    parameters: args.parameters,
    ...(kernelName ? { kernelName } : args.kernelName ? { kernelName: args.kernelName } : {}),
    ...(args.startIndex !== undefined ? { startIndex: args.startIndex } : {}),
    ...(args.endIndex !== undefined ? { endIndex: args.endIndex } : {}),
    inputPath: args.path,
    outputPath,
  });
  // Validate the prepared notebook now: a problem here must not leave a half-written output.
  try {
    prepared.notebook.validate();
  } catch (err) {
    throw new ToolError('INVALID_NOTEBOOK', `${args.path} cannot be run: ${(err as Error).message}`, {
      hint: 'Nothing was written. Fix the notebook (read_notebook shows it) and try again.',
      cause: err,
    });
  }
  return {
    args,
    outputPath,
    inPlace,
    prepared,
    files,
    client,
    inputVersion: loaded.version,
    kernelName,
    total: prepared.plan.filter((c) => c.cell_type === 'code').length,
  };
}

/** Directory of an API path ('' for the root). */
function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Start a fresh kernel in the notebook's directory (like JupyterLab, relative paths resolve next to
 * the notebook) without binding it to a session, or attach to `kernelId`.
 */
async function acquireKernel(plan: PlannedRun): Promise<{ handle: KernelHandle; started: boolean }> {
  const { client, args } = plan;
  if (args.kernelId) return { handle: await client.attachKernel(args.kernelId), started: false };
  const model = (await client.connection.json('POST', 'api/kernels', {
    body: { name: plan.kernelName, path: dirOf(args.path) },
  })) as { id: string };
  try {
    return { handle: await client.attachKernel(model.id), started: true };
  } catch (err) {
    await client.connection
      .request('DELETE', `api/kernels/${encodeURIComponent(model.id)}`, { allowStatus: [404] })
      .catch(() => {});
    throw err;
  }
}

/** Save errors after which the run stops (everything except a transient connection problem). */
function isFatalSaveError(err: unknown): boolean {
  const code = toToolError(err).code;
  return code !== 'JUPYTER_UNAVAILABLE' && code !== 'JUPYTER_ERROR';
}

/** Execute a planned run: kernel, papermill run, progressive saves, kernel shut down if started. */
export async function executePlannedRun(
  ctx: Pick<ToolContext, 'logger'>,
  plan: PlannedRun,
  signal: AbortSignal,
  onEvent: (e: RunEvent) => void,
  job?: Job,
): Promise<RunNotebookResult> {
  const { handle, started } = await acquireKernel(plan);
  if (job) {
    job.kernelId = handle.id;
    job.kernelName = handle.name;
    job.ownsKernel = started;
    job.connection = plan.client.connection;
  }
  let version: NotebookVersion | undefined = plan.inPlace ? plan.inputVersion : undefined;
  try {
    if (signal.aborted)
      throw new ToolError('CANCELLED', `The run of ${plan.args.path} was cancelled before its first cell.`, {
        hint: 'Nothing was written. Start it again with execute_notebook.',
      });
    return await runNotebook({
      prepared: plan.prepared,
      kernel: handle,
      cellTimeoutMs: plan.args.timeoutS * 1000,
      continueOnError: plan.args.continueOnError,
      signal,
      onEvent,
      isFatalSaveError,
      // Each save goes through the notebook's write queue and replaces the file only if it is still the
      // revision this run last wrote (or read, in place): someone else's save stops the run instead.
      async save(nb) {
        const written = await plan.files.write(
          plan.outputPath,
          nb,
          version ? { ifVersion: version } : { overwrite: true },
        );
        version = written.version;
      },
    });
  } finally {
    if (started) {
      await handle.shutdown().catch((err: unknown) => {
        ctx.logger.warn(`could not shut down the run's kernel ${handle.id}: ${(err as Error).message}`);
      });
    } else if (!handle.disposed) handle.dispose();
  }
}
