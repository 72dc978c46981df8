import { definePrompt, userText } from './prompt.js';

export const parameterizeNotebook = definePrompt({
  name: 'parameterize_notebook',
  title: 'Turn a notebook into a parameterised report',
  description:
    'Move hard-coded inputs into a papermill "parameters" cell so the notebook runs as a report with execute_notebook.',
  arguments: [
    {
      name: 'path',
      description: 'Notebook path under the Jupyter root.',
      required: true,
      complete: 'notebook',
    },
    {
      name: 'parameters',
      description:
        'Names of the values to turn into parameters, e.g. "start_date, region" (default: you choose).',
    },
  ],
  needs: ['read_notebook', 'insert_cell', 'edit_cell', 'execute_notebook'],
  async build(args, ctx) {
    const { path } = await ctx.notebook(args.path!);
    const which = args.parameters?.trim()
      ? `these values: ${args.parameters.trim()}`
      : 'the inputs a reader would want to change: dates and periods, file paths, thresholds, names, sample sizes';
    return [
      userText(
        `Turn the notebook ${path} into a parameterised report that runs with execute_notebook (papermill semantics).\n` +
          `1. Read it with read_notebook and find the hard-coded values for ${which}.\n` +
          '2. Insert one code cell near the top with insert_cell and tags ["parameters"], assigning each parameter its current value as the default, with a short comment per line.\n' +
          '3. Replace the hard-coded uses with the parameter names (edit_cell), and add a markdown cell explaining the parameters.\n' +
          `4. Verify: run it with execute_notebook, first with the defaults, then with changed parameters and an output_path such as "runs/${path.replace(/\.ipynb$/, '')}-test.ipynb", and compare the results.\n` +
          'Keep the analysis itself unchanged, and report the parameters and how to run it.',
      ),
    ];
  },
});
