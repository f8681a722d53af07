import { defineConfig } from 'vitest/config';

// The machine CI and most of us run on has 2 cores, where vitest's default is one worker: the
// suite ran file after file. Engine, analysis, notebook and CLI tests are independent processes'
// worth of CPU each, so they share the cores two at a time; the browser tests then run one at a
// time on their own, because several of them measure how quickly the page answers a person.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/browser/**'], maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
