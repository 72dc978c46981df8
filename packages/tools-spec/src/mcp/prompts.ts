import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ToolDeps } from '../deps.js';
import { type PromptDefinition, promptContext } from '../prompts/prompt.js';
import { closest } from './arguments.js';
import { isPlainObject, setRawHandler, stringParam } from './raw-handler.js';
import { resourceError } from './resources.js';
import { ErrorCode, rpcError } from './rpc-error.js';

/** The prompts offered with these tools: a prompt needs every tool its workflow uses. */
export function selectPrompts(
  all: readonly PromptDefinition[],
  tools: readonly string[],
): PromptDefinition[] {
  const offered = new Set(tools);
  return all.filter((p) => p.needs.every((t) => offered.has(t)));
}

/** `prompts/list` and `prompts/get` for the offered prompts (errors are -32602 naming what is wrong). */
export function installPromptHandlers(
  server: Server,
  deps: ToolDeps,
  prompts: readonly PromptDefinition[],
): void {
  const byName = new Map(prompts.map((p) => [p.name, p]));
  setRawHandler(server, 'prompts/list', () => ({
    prompts: prompts.map((p) => ({
      name: p.name,
      title: p.title,
      description: p.description,
      arguments: p.arguments.map((a) => ({
        name: a.name,
        description: a.description,
        required: !!a.required,
      })),
    })),
  }));
  setRawHandler(server, 'prompts/get', async (params) => {
    const name = stringParam(params, 'name', 'prompts/get');
    const def = byName.get(name);
    if (!def) {
      const near = closest(name, [...byName.keys()]);
      throw rpcError(
        ErrorCode.InvalidParams,
        `Unknown prompt: ${name.slice(0, 60)}.${near ? ` Did you mean ${near}?` : ''} prompts/list shows the ${byName.size} prompts.`,
      );
    }
    const args = promptArguments(def, params.arguments);
    try {
      return { description: def.description, messages: await def.build(args, promptContext(deps)) };
    } catch (err) {
      const e = resourceError(err, '', deps) as { code?: number; message: string };
      // A notebook named by an argument that does not exist is a bad argument.
      if (e.code === -32002)
        throw rpcError(ErrorCode.InvalidParams, e.message.replace(/^Resource not found: /, ''));
      throw e;
    }
  });
}

function promptArguments(def: PromptDefinition, raw: unknown): Record<string, string> {
  if (raw !== undefined && !isPlainObject(raw))
    throw rpcError(
      ErrorCode.InvalidParams,
      `Invalid params: "arguments" of ${def.name} must be an object of strings.`,
    );
  const args = (raw ?? {}) as Record<string, unknown>;
  const names = def.arguments.map((a) => a.name);
  for (const k of Object.keys(args)) {
    if (names.includes(k)) continue;
    const near = closest(k, names);
    throw rpcError(
      ErrorCode.InvalidParams,
      `Unknown argument ${k.slice(0, 40)} for prompt ${def.name}${near ? ` (did you mean ${near}?)` : ''}; it takes: ${names.join(', ')}.`,
    );
  }
  const out: Record<string, string> = {};
  for (const a of def.arguments) {
    const v = args[a.name];
    if (v === undefined || v === '') {
      if (a.required)
        throw rpcError(
          ErrorCode.InvalidParams,
          `Missing required argument ${a.name} for prompt ${def.name}: ${a.description}`,
        );
      continue;
    }
    if (typeof v !== 'string')
      throw rpcError(ErrorCode.InvalidParams, `Argument ${a.name} of prompt ${def.name} must be a string.`);
    out[a.name] = v;
  }
  return out;
}
