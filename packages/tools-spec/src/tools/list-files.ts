import { z } from 'zod';
import type { FileEntry } from '../internal/notebooks.js';
import { boundText } from '../render/text.js';
import { defineTool, ok } from '../tool.js';
import { apiPath } from './common.js';

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export const listFiles = defineTool({
  name: 'list_files',
  title: 'List files',
  description:
    'List files and directories under the Jupyter root (type, size, last_modified), paged. Find notebooks here.',
  inputSchema: {
    path: z.string().default('').describe('Directory ("" = the root).'),
    pattern: z.string().optional().describe('Glob on name or path, e.g. "*.ipynb", "data/**/*.csv".'),
    depth: z.number().int().min(1).max(5).default(1).describe('Levels to descend (1 = this directory).'),
    offset: z.number().int().min(0).default(0).describe('Entries to skip.'),
    limit: z.number().int().min(1).max(1000).default(100).describe('Entries to return.'),
  },
  outputSchema: {
    path: z.string(),
    total: z.number().int(),
    offset: z.number().int(),
    entries: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        type: z.string(),
        size: z.number().nullable(),
        last_modified: z.string().nullable(),
      }),
    ),
    next_offset: z.number().int().nullable(),
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    const dir = apiPath(ctx, args.path);
    const files = await ctx.files();
    const re = args.pattern ? globToRegExp(args.pattern) : undefined;
    const all: FileEntry[] = [];
    const walk = async (d: string, level: number) => {
      for (const e of await files.list(d)) {
        const rel = dir ? e.path.slice(dir.length + 1) : e.path;
        if (!re || re.test(e.name) || re.test(rel)) all.push(e);
        if (e.type === 'directory' && level < args.depth && all.length < 10_000)
          await walk(e.path, level + 1);
      }
    };
    await walk(dir, 1);
    all.sort(
      (a, b) =>
        (a.type === 'directory' ? 0 : 1) - (b.type === 'directory' ? 0 : 1) || a.path.localeCompare(b.path),
    );
    const page = all.slice(args.offset, args.offset + args.limit);
    const next = args.offset + page.length < all.length ? args.offset + page.length : null;
    const lines = page.map(
      (e) =>
        `${e.type === 'directory' ? 'dir ' : e.type === 'notebook' ? 'nb  ' : 'file'}  ${e.path}${e.type === 'directory' ? '/' : ''}` +
        `${e.size != null && e.type !== 'directory' ? `  ${e.size} B` : ''}${e.last_modified ? `  ${e.last_modified.slice(0, 19)}` : ''}`,
    );
    const head =
      `${all.length} entr${all.length === 1 ? 'y' : 'ies'} in /${dir}${args.pattern ? ` matching ${args.pattern}` : ''}` +
      (all.length ? ` (showing ${args.offset}–${args.offset + page.length - 1})` : '');
    const tail = next !== null ? `\nMore: call again with offset ${next}.` : '';
    const text = boundText(
      `${head}\n${lines.join('\n')}${tail}`,
      ctx.deps.settings.outputLimit,
      'use offset/limit to page',
    ).text;
    return ok(text, { path: dir, total: all.length, offset: args.offset, entries: page, next_offset: next });
  },
});
