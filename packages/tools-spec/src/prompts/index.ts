import { explainNotebook } from './explain-notebook.js';
import { exploreData } from './explore-data.js';
import { fixFailingCell } from './fix-failing-cell.js';
import { parameterizeNotebook } from './parameterize-notebook.js';
import type { PromptDefinition } from './prompt.js';
import { runReport } from './run-report.js';

/** Every prompt, in the order clients list them. */
export const ALL_PROMPTS: readonly PromptDefinition[] = [
  explainNotebook,
  fixFailingCell,
  parameterizeNotebook,
  runReport,
  exploreData,
];
