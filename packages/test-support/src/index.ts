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
