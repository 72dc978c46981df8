import { toApiPath } from '../internal/paths.js';
import { definePrompt, userText } from './prompt.js';

export const exploreData = definePrompt({
  name: 'explore_data',
  title: 'Explore a data file',
  description:
    'Load a data file in a kernel and describe it: shape, columns, types, missing values, statistics.',
  arguments: [
    {
      name: 'path',
      description: 'Data file under the Jupyter root (CSV, Parquet, JSON, Excel…).',
      required: true,
      complete: 'file',
    },
  ],
  needs: ['execute_code'],
  async build(args, ctx) {
    const path = toApiPath(args.path!, ctx.deps.settings.root);
    return [
      userText(
        `Explore the data file ${path} (relative to the Jupyter root, which is the kernel's working directory) with execute_code. ` +
          'Load it with the reader that fits its format (pandas when available), then report: its shape, the columns with their types, ' +
          'missing values, summary statistics, a few sample rows, and data quality problems (duplicates, odd values, mixed types). ' +
          'Keep outputs short (head(), describe()), do not modify the file, and end with three analyses worth doing next.',
      ),
    ];
  },
});
