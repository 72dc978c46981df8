import type { ToolDefinition } from '../tool.js';
import { cancelJob } from './cancelJob.js';
import { cleanupKernels } from './cleanupKernels.js';
import { clearOutputs } from './clearOutputs.js';
import { createNotebook } from './createNotebook.js';
import { deleteCells } from './deleteCells.js';
import { diagnoseConnection } from './diagnoseConnection.js';
import { editCell } from './editCell.js';
import { executeCell } from './executeCell.js';
import { executeCode } from './executeCode.js';
import { executeNotebook } from './executeNotebook.js';
import { getJob } from './getJob.js';
import { getKernelStatus } from './getKernelStatus.js';
import { getNotebookInfo } from './getNotebookInfo.js';
import { getServerInfo } from './getServerInfo.js';
import { insertCell } from './insertCell.js';
import { interruptKernel } from './interruptKernel.js';
import { listFiles } from './listFiles.js';
import { listJobs } from './listJobs.js';
import { listJupyterServers } from './listJupyterServers.js';
import { listKernels } from './listKernels.js';
import { listKernelspecs } from './listKernelspecs.js';
import { moveCell } from './moveCell.js';
import { readCell } from './readCell.js';
import { readNotebook } from './readNotebook.js';
import { restartKernel } from './restartKernel.js';
import { startJupyterServer } from './startJupyterServer.js';
import { startKernel } from './startKernel.js';
import { stopJupyterServer } from './stopJupyterServer.js';
import { stopKernel } from './stopKernel.js';
import { updateCell } from './updateCell.js';
import { writeNotebook } from './writeNotebook.js';

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
