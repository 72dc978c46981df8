export {
  type HubHandle,
  type HubServerState,
  type HubTokenOptions,
  type StartHubOptions,
  startHub,
} from './hub.js';
export {
  freePort,
  hashPassword,
  type JupyterServerHandle,
  randomToken,
  type StartJupyterOptions,
  startJupyter,
} from './jupyter.js';
export {
  installedKernelSpecs,
  installKernelSpec,
  installSigintIgnoringKernel,
  type KernelSpecJson,
  kernelPid,
} from './kernels.js';
export {
  assertVenv,
  chpPath,
  jupyterPath,
  legacyVenvBin,
  legacyVenvDir,
  pythonPath,
  repoRoot,
  tmpRoot,
  venvBin,
  venvDir,
} from './paths.js';
export { descendants, isAlive, killTree } from './processes.js';
export { type LoopbackProxy, type ProxyOptions, startProxy } from './proxy.js';
export { runPython } from './python.js';
export { type WriteWatch, watchWrites } from './write-watch.js';
