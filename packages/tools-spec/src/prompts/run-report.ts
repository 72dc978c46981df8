import { definePrompt, userText } from './prompt.js';

export const runReport = definePrompt({
  name: 'run_report',
  title: 'Run a notebook report',
  description: 'Run a notebook with parameters (papermill-style) and summarise its results.',
  arguments: [
    {
      name: 'path',
      description: 'Notebook path under the Jupyter root.',
      required: true,
      complete: 'notebook',
    },
    { name: 'parameters', description: 'Parameter values as a JSON object, e.g. {"region": "EU"}.' },
    { name: 'output_path', description: 'Where to save the run (default: next to it, under runs/).' },
    {
      name: 'kernel_name',
      description: "Kernelspec to run it with (default: the notebook's).",
      complete: 'kernelspec',
    },
  ],
  needs: ['execute_notebook', 'read_notebook'],
  async build(args, ctx) {
    const { path } = await ctx.notebook(args.path!);
    let parameters = '';
    if (args.parameters?.trim()) {
      try {
        parameters = JSON.stringify(JSON.parse(args.parameters));
      } catch {
        parameters = args.parameters.trim();
      }
    }
    const output =
      args.output_path?.trim() ||
      `runs/${path.replace(/\.ipynb$/, '')}-${new Date().toISOString().slice(0, 10)}.ipynb`;
    return [
      userText(
        `Run the notebook ${path} with execute_notebook` +
          `${parameters ? ` and parameters ${parameters}` : ''}, output_path "${output}"` +
          `${args.kernel_name ? `, kernel_name "${args.kernel_name}"` : ''}. ` +
          'For a long run pass background: true and follow it with get_job. ' +
          `Then read the executed notebook (${output}) with read_notebook and summarise the results: the key numbers, ` +
          'what the tables and figures show, and any failed cell with its error and likely cause.',
      ),
    ];
  },
});
