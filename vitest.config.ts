import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import sibling packages from their sources, so a change in one package is seen by the others'
// tests without a build. (Spawned apps run the built dist: the test script builds first.)
const root = fileURLToPath(new URL('.', import.meta.url));
const alias: Record<string, string> = {};
for (const dir of readdirSync(new URL('./packages', import.meta.url))) {
  alias[`@jupyter-mcp/${dir}`] = `${root}packages/${dir}/src/index.ts`;
}

const shared = {
  resolve: { alias },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: ['{packages,apps}/*/test/**/*.test.ts'],
          exclude: ['**/test/integration/**', '**/node_modules/**'],
          testTimeout: 10_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        ...shared,
        test: {
          name: 'integration',
          include: ['{packages,apps}/*/test/integration/**/*.test.ts'],
          globalSetup: ['packages/test-support/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real Jupyter servers and kernels: keep the two cores from thrashing.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          fileParallelism: true,
        },
      },
    ],
  },
});
