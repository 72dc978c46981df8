import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ToolDeps } from '../deps.js';
import { notebookFiles } from '../internal/documents.js';
import { kernelClientFor } from '../internal/kernel-clients.js';
import { toApiPath } from '../internal/paths.js';
import { hasError } from '../prompts/fix-failing-cell.js';
import type { CompletionKind, PromptDefinition } from '../prompts/prompt.js';
import { isPlainObject, setRawHandler } from './raw-handler.js';
import { RESOURCE_TEMPLATES } from './resource-uris.js';
import { walkRoot } from './resources.js';
import { ErrorCode, rpcError } from './rpc-error.js';

/** At most this many values per answer (the spec's limit). */
const MAX_VALUES = 100;
/** A listing of the root is reused this long while someone types. */
const LISTING_TTL_MS = 5000;

/** The completed arguments of each resource template. */
const TEMPLATE_ARGUMENTS: Record<string, Record<string, CompletionKind>> = Object.fromEntries(
  RESOURCE_TEMPLATES.map((t) => [
    t.uriTemplate,
    t.name === 'notebook'
      ? { path: 'file' }
      : { path: 'notebook', ...(t.name === 'cell' ? { cell: 'cell' } : {}) },
  ]),
);

/**
 * `completion/complete` for prompt and resource-template arguments: notebook paths, file paths, cell
 * ids (of the notebook named by the `path` argument already given) and kernelspec names. Values that
 * start with what was typed come first, then those that contain it. When Jupyter cannot be reached the
 * answer is empty (completion is a convenience; the call itself reports the problem).
 */
export function installCompletionHandler(
  server: Server,
  deps: ToolDeps,
  prompts: readonly PromptDefinition[],
): void {
  let listing: { at: number; entries: Promise<Awaited<ReturnType<typeof walkRoot>>> } | undefined;
  const files = () => {
    if (!listing || Date.now() - listing.at > LISTING_TTL_MS) {
      const entries = walkRoot(deps);
      listing = { at: Date.now(), entries };
      entries.catch(() => {
        listing = undefined;
      });
    }
    return listing.entries;
  };

  setRawHandler(server, 'completion/complete', async (params) => {
    const kind = argumentKind(params, prompts);
    const argument = params.argument as { value?: unknown };
    const typed = typeof argument.value === 'string' ? argument.value : '';
    const context =
      isPlainObject(params.context) && isPlainObject(params.context.arguments)
        ? params.context.arguments
        : {};
    let values: string[] = [];
    try {
      values = kind ? await candidates(kind, typed, context) : [];
    } catch (err) {
      deps.logger.debug(`completion: ${(err as Error).message}`);
    }
    const ranked = rank(values, typed);
    return {
      completion: {
        values: ranked.slice(0, MAX_VALUES),
        total: ranked.length,
        hasMore: ranked.length > MAX_VALUES,
      },
    };
  });

  async function candidates(
    kind: CompletionKind,
    typed: string,
    context: Record<string, unknown>,
  ): Promise<string[]> {
    switch (kind) {
      case 'notebook':
        return (await files()).filter((e) => e.type === 'notebook').map((e) => e.path);
      case 'file':
        return (await files()).map((e) => e.path);
      case 'kernelspec': {
        const specs = await kernelClientFor(deps, await deps.jupyter.connection()).listKernelSpecs();
        return specs.specs.map((s) => s.name);
      }
      case 'cell': {
        const path = typeof context.path === 'string' ? context.path : undefined;
        if (!path) return [];
        const p = toApiPath(path, deps.settings.root);
        const { notebook } = await notebookFiles(deps, await deps.jupyter.connection()).read(p);
        // Failing cells first: the one a user most likely wants.
        const cells = [...notebook.cells].sort((a, b) => Number(hasError(b)) - Number(hasError(a)));
        return cells.map((c) => c.id).filter((id): id is string => !!id && id.startsWith(typed));
      }
    }
  }
}

function argumentKind(
  params: Record<string, unknown>,
  prompts: readonly PromptDefinition[],
): CompletionKind | undefined {
  const ref = params.ref;
  const argument = params.argument;
  if (!isPlainObject(ref) || !isPlainObject(argument) || typeof argument.name !== 'string')
    throw rpcError(
      ErrorCode.InvalidParams,
      'Invalid params: completion/complete needs "ref" ({type, name} or {type, uri}) and "argument" ({name, value}).',
    );
  if (ref.type === 'ref/prompt') {
    const prompt = prompts.find((p) => p.name === ref.name);
    if (!prompt) throw rpcError(ErrorCode.InvalidParams, `Unknown prompt: ${String(ref.name).slice(0, 60)}.`);
    return prompt.arguments.find((a) => a.name === argument.name)?.complete;
  }
  if (ref.type === 'ref/resource') {
    const args = TEMPLATE_ARGUMENTS[String(ref.uri)];
    if (!args)
      throw rpcError(ErrorCode.InvalidParams, `Unknown resource template: ${String(ref.uri).slice(0, 80)}.`);
    return args[argument.name];
  }
  throw rpcError(ErrorCode.InvalidParams, 'Invalid params: ref.type must be "ref/prompt" or "ref/resource".');
}

/** Values starting with `typed` first, then those containing it (each in the candidates' order). */
function rank(values: string[], typed: string): string[] {
  const t = typed.toLowerCase();
  const starts = values.filter((v) => v.toLowerCase().startsWith(t));
  const contains = t
    ? values.filter((v) => !v.toLowerCase().startsWith(t) && v.toLowerCase().includes(t))
    : [];
  return [...starts, ...contains];
}
