import { defineConfig } from '@playwright/test';

// Started by tests/e2e/run.mjs, which sets the browser path, free ports and a temp data dir.
const port = Number(process.env.PORT ?? 3000);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 720 },
    screenshot: 'only-on-failure',
    // Recording a trace of every test (to keep the failures') made the suite ≈ 25% slower; a failure keeps its
    // screenshot, and `npm run test:e2e -- --trace retain-on-failure` records traces when one needs more.
    trace: 'off',
    launchOptions: {
      executablePath: process.env.LAB_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node --import tsx server.ts',
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
