import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Unit and integration tests (real servers on port 0). e2e runs separately with Playwright.
export default defineConfig({
  resolve: { alias: { '@/': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    include: ['lib/**/*.test.ts', 'bench/**/*.test.ts', 'servers/**/*.test.ts', 'tests/integration/**/*.test.ts', 'components/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single one on a 2-core machine, though most of
    // these tests wait on sockets and timers. Two there take the suite from ≈ 610 to ≈ 430 s (CI's budget).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One process per worker for all its files, not one per file: each file re-importing the daemon, every lab
    // and their libraries took 410 of the suite's 454 s (summed over workers). Every lab's state lives in the
    // daemon a file starts and stops (no module singletons), so files sharing a process do not see each other.
    isolate: false,
  },
});
