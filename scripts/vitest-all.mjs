#!/usr/bin/env node
// Runs both vitest projects (unit + integration) and ends with one plain line
// "Tests: N passed, N failed, N skipped" so any CI reader can count what ran.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, '.tmp'), { recursive: true });
const out = join(root, '.tmp/vitest-report.json');
const r = spawnSync(
  join(root, 'node_modules/.bin/vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
try {
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = (rep.numPendingTests ?? 0) + (rep.numTodoTests ?? 0);
  console.log(`Tests: ${rep.numPassedTests} passed, ${rep.numFailedTests} failed, ${skipped} skipped`);
  if (rep.numTotalTests === 0) {
    console.error('No test ran.');
    process.exit(1);
  }
} catch {
  console.error('vitest wrote no report; treating the run as failed.');
  process.exit(r.status || 1);
}
process.exit(r.status ?? 1);
