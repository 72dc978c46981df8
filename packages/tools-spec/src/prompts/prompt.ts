import type { Notebook } from '@jupyter-mcp/notebook-model';
import type { ToolDeps } from '../deps.js';
import { notebookFiles } from '../internal/documents.js';
import { toApiPath } from '../internal/paths.js';

/** What completion offers for an argument (prompts and resource templates). */
export type CompletionKind = 'notebook' | 'file' | 'cell' | 'kernelspec';

export interface PromptArgument {
  name: string;
  description: string;
  required?: boolean;
  /** Values completion/complete offers for it. */
  complete?: CompletionKind;
}

export type PromptContent =
  | { type: 'text'; text: string }
  | { type: 'resource'; resource: { uri: string; mimeType: string; text: string } };

export interface PromptMessage {
  role: 'user' | 'assistant';
  content: PromptContent;
}

/** What a prompt's `build` can use. */
export interface PromptContext {
  deps: ToolDeps;
  /** Read a notebook named by an argument (path confined to the root like the tools'). */
  notebook(path: string): Promise<{ path: string; notebook: Notebook }>;
}

/** One MCP prompt: a workflow people ask for in notebooks, with the tools it uses. */
export interface PromptDefinition {
  name: string;
  title: string;
  description: string;
  arguments: PromptArgument[];
  /** Tools the workflow uses: the prompt is offered only when every one of them is. */
  needs: string[];
  build(args: Record<string, string>, ctx: PromptContext): Promise<PromptMessage[]>;
}

export function definePrompt(def: PromptDefinition): PromptDefinition {
  return def;
}

export function promptContext(deps: ToolDeps): PromptContext {
  return {
    deps,
    async notebook(path) {
      const p = toApiPath(path, deps.settings.root);
      const { notebook } = await notebookFiles(deps, await deps.jupyter.connection()).read(p);
      return { path: p, notebook };
    },
  };
}

export const userText = (text: string): PromptMessage => ({ role: 'user', content: { type: 'text', text } });
