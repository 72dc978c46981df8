import type { ToolDefinition } from '../tool.js';
import { cancelJob } from './cancel-job.js';
import { cleanupKernels } from './cleanup-kernels.js';
import { clearOutputs } from './clear-outputs.js';
import { createNotebook } from './create-notebook.js';
import { deleteCells } from './delete-cells.js';
import { diagnoseConnection } from './diagnose-connection.js';
import { editCell } from './edit-cell.js';
import { executeCell } from './execute-cell.js';
import { executeCode } from './execute-code.js';
import { executeNotebook } from './execute-notebook.js';
import { getJob } from './get-job.js';
import { getKernelStatus } from './get-kernel-status.js';
import { getNotebookInfo } from './get-notebook-info.js';
import { getServerInfo } from './get-server-info.js';
import { insertCell } from './insert-cell.js';
import { interruptKernel } from './interrupt-kernel.js';
import { listFiles } from './list-files.js';
import { listJobs } from './list-jobs.js';
import { listJupyterServers } from './list-jupyter-servers.js';
import { listKernels } from './list-kernels.js';
import { listKernelspecs } from './list-kernelspecs.js';
import { moveCell } from './move-cell.js';
import { readCell } from './read-cell.js';
import { readNotebook } from './read-notebook.js';
import { restartKernel } from './restart-kernel.js';
import { startJupyterServer } from './start-jupyter-server.js';
import { startKernel } from './start-kernel.js';
import { stopJupyterServer } from './stop-jupyter-server.js';
import { stopKernel } from './stop-kernel.js';
import { updateCell } from './update-cell.js';
import { writeNotebook } from './write-notebook.js';

/** The whole catalogue, in the order clients list it. */
export const ALL_TOOLS: readonly ToolDefinition[] = [
  listFiles,
  readNotebook,
  readCell,
  getNotebookInfo,
  createNotebook,
  writeNotebook,
  insertCell,
  updateCell,
  editCell,
  deleteCells,
  moveCell,
  clearOutputs,
  executeCell,
  executeCode,
  executeNotebook,
  getJob,
  listJobs,
  cancelJob,
  listKernelspecs,
  listKernels,
  startKernel,
  stopKernel,
  interruptKernel,
  restartKernel,
  getKernelStatus,
  cleanupKernels,
  getServerInfo,
  listJupyterServers,
  startJupyterServer,
  stopJupyterServer,
  diagnoseConnection,
] as unknown as readonly ToolDefinition[];
