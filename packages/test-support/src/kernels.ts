import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonPath } from './paths.js';
import { descendants } from './processes.js';

/** Pid of the kernel process a Jupyter server started for `kernelId` (found by its connection file). */
export function kernelPid(serverPid: number, kernelId: string): number | undefined {
  for (const pid of descendants(serverPid)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(`kernel-${kernelId}.json`)) return pid;
    } catch {
      // process gone
    }
  }
  return undefined;
}

export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: 'signal' | 'message';
  env?: Record<string, string>;
}

/** Install a kernelspec into a test server's data dir (`<dataDir>/kernels/<name>/kernel.json`).
 *  Jupyter reads kernelspecs on each request, so this works on a running server. */
export function installKernelSpec(dataDir: string, name: string, spec: KernelSpecJson): void {
  const dir = join(dataDir, 'kernels', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 1)}\n`);
}

/** Names of the kernelspecs installed in a data dir. */
export function installedKernelSpecs(dataDir: string): string[] {
  try {
    return readdirSync(join(dataDir, 'kernels'));
  } catch {
    return [];
  }
}

/**
 * Install `python3-noint`: an ipykernel that ignores SIGINT while it runs code (its per-request hook that
 * restores Python's KeyboardInterrupt handler is disabled), as a kernel stuck in C code or one that
 * swallows interrupts behaves. Returns the kernelspec name.
 */
export function installSigintIgnoringKernel(dataDir: string, name = 'python3-noint'): string {
  installKernelSpec(dataDir, name, {
    argv: [
      pythonPath,
      '-c',
      'import ipykernel.kernelbase as kb; kb.Kernel.pre_handler_hook = lambda self: None; ' +
        'from ipykernel.kernelapp import launch_new_instance; launch_new_instance()',
      '-f',
      '{connection_file}',
    ],
    display_name: 'Python 3 (ignores SIGINT)',
    language: 'python',
    interrupt_mode: 'signal',
  });
  return name;
}
