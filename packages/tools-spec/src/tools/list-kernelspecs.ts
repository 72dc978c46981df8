import { z } from 'zod';
import { defineTool, ok } from '../tool.js';

export const listKernelspecs = defineTool({
  name: 'list_kernelspecs',
  title: 'List kernelspecs',
  description: 'Kernel types the server can start (e.g. python3), with language and the default.',
  inputSchema: {},
  outputSchema: {
    default: z.string(),
    kernelspecs: z.array(z.object({ name: z.string(), display_name: z.string(), language: z.string() })),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(_args, ctx) {
    const specs = await (await ctx.kernels()).listKernelSpecs();
    const list = specs.specs.map((s) => ({
      name: s.name,
      display_name: s.displayName,
      language: s.language,
    }));
    const text = list
      .map(
        (s) => `${s.name}${s.name === specs.default ? ' (default)' : ''}: ${s.display_name} [${s.language}]`,
      )
      .join('\n');
    return ok(text || 'No kernelspecs installed.', { default: specs.default, kernelspecs: list });
  },
});
