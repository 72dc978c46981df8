import { resourceUri } from '../mcp/resource-uris.js';
import { notebookMarkdown } from '../render/notebook-markdown.js';
import { definePrompt, userText } from './prompt.js';

export const explainNotebook = definePrompt({
  name: 'explain_notebook',
  title: 'Explain a notebook',
  description: 'Explain what a notebook does: its purpose, data, steps, results and weak spots.',
  arguments: [
    {
      name: 'path',
      description: 'Notebook path under the Jupyter root.',
      required: true,
      complete: 'notebook',
    },
  ],
  needs: ['read_notebook'],
  async build(args, ctx) {
    const { path, notebook } = await ctx.notebook(args.path!);
    const limit = ctx.deps.settings.outputLimit;
    const view = notebookMarkdown(notebook, {
      path,
      limit,
      more: (first, last) => `read_notebook with offset ${first} (cells ${first}–${last})`,
    });
    return [
      userText(
        `Explain the notebook ${path} to someone who has not seen it: its purpose; the data it reads and from where; ` +
          'the main steps, citing cell indices; the results and what they show; and anything that looks wrong or fragile ' +
          '(errors in outputs, cells run out of order, hard-coded paths or credentials, results that do not follow from ' +
          'the code). The notebook is attached as markdown; use read_notebook or read_cell for anything cut short.',
      ),
      {
        role: 'user',
        content: {
          type: 'resource',
          resource: { uri: resourceUri(path, 'view=markdown'), mimeType: 'text/markdown', text: view },
        },
      },
    ];
  },
});
