/**
 * Regenerate the finding table of the root README's "Troubleshooting 403" section from the catalogue
 * the doctor uses (between `<!-- doctor:catalogue -->` markers). A unit test fails when they drift.
 *   pnpm --filter @jupyter-mcp/doctor readme
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderCatalogueMarkdown } from '../src/index.js';

const path = new URL('../../../README.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const re = /(<!-- doctor:catalogue -->\n)[\s\S]*?(\n<!-- \/doctor:catalogue -->)/;
if (!re.test(text)) throw new Error('README.md has no <!-- doctor:catalogue --> block');
writeFileSync(path, text.replace(re, `$1${renderCatalogueMarkdown()}$2`));
process.stdout.write('README.md: doctor catalogue table updated\n');
