import type {
  KernelExecutionState,
  KernelInfo,
  KernelSpecInfo,
  KernelSpecList,
  SessionInfo,
} from '../types.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);

const STATES = new Set<KernelExecutionState>([
  'starting',
  'idle',
  'busy',
  'restarting',
  'autorestarting',
  'dead',
  'terminating',
]);

/** `GET /api/kernels` item → KernelInfo. */
export function toKernelInfo(model: unknown): KernelInfo {
  const m = obj(model);
  const state = str(m.execution_state) as KernelExecutionState;
  return {
    id: str(m.id),
    name: str(m.name),
    executionState: STATES.has(state) ? state : 'unknown',
    connections: typeof m.connections === 'number' ? m.connections : 0,
    lastActivity: typeof m.last_activity === 'string' ? m.last_activity : undefined,
  };
}

/** `GET /api/sessions` item → SessionInfo. */
export function toSessionInfo(model: unknown): SessionInfo {
  const m = obj(model);
  const nb = obj(m.notebook);
  return {
    id: str(m.id),
    path: normalisePath(str(m.path || nb.path)),
    name: str(m.name || nb.name),
    type: str(m.type || 'notebook'),
    kernel: toKernelInfo(m.kernel),
  };
}

/** `GET /api/kernelspecs` → KernelSpecList (sorted by name). */
export function toKernelSpecList(model: unknown): KernelSpecList {
  const m = obj(model);
  const specs: KernelSpecInfo[] = Object.entries(obj(m.kernelspecs)).map(([key, v]) => {
    const entry = obj(v);
    const spec = obj(entry.spec);
    return {
      name: str(entry.name) || key,
      displayName: str(spec.display_name) || key,
      language: str(spec.language),
    };
  });
  specs.sort((a, b) => a.name.localeCompare(b.name));
  return { default: str(m.default), specs };
}

/** Notebook paths as the Contents API has them: no leading slash, forward slashes. */
export function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\/+/, '');
}
