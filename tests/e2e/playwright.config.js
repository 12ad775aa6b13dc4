import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { artifactsDir } from './artifacts.js';

// xtask builds the app and the server, starts the server on a free port with a fresh database and
// the demo seed, and passes its URL here; without it there is nothing to test against.
const baseURL = process.env.E2E_BASE_URL;
if (!baseURL) {
  throw new Error('E2E_BASE_URL is not set: run these tests with `cargo xtask test e2e`, which starts the server.');
}

export default defineConfig({
  testDir: './specs',
  outputDir: path.join(artifactsDir, 'test-results'),
  forbidOnly: true,
  retries: 0,
  // Two cores are shared by the server and the browser; one worker keeps timings honest.
  workers: 1,
  // xtask reads the totals from the JSON report for its summary line.
  reporter: [['list'], ['json', { outputFile: path.join(artifactsDir, 'report.json') }]],
  use: {
    baseURL,
    browserName: 'chromium',
    launchOptions: {
      // Debian's chromium: Playwright's own browser download is switched off (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
