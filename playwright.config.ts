import {
  defineConfig,
  type PlaywrightTestOptions,
  type PlaywrightWorkerOptions,
} from '@playwright/test';
import { findChromium } from './scripts/find-chromium.mjs';

const CI = !!process.env.CI;
/** E2E_PORT lets a second checkout run its end-to-end tests beside a running one. */
const PORT = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${PORT}`;
/** The built site as a class would host it: a plain static server, under a sub-path. */
const HOST_PORT = Number(process.env.E2E_HOST_PORT ?? PORT + 7);
const HOST_BASE = '/course/elections/';
const hostURL = `http://127.0.0.1:${HOST_PORT}${HOST_BASE}`;

const chromium: Partial<PlaywrightTestOptions & PlaywrightWorkerOptions> = {
  browserName: 'chromium',
  viewport: { width: 1280, height: 720 },
  launchOptions: {
    executablePath: findChromium(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  fullyParallel: true,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: 2,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    headless: true,
    screenshot: 'only-on-failure',
    // a trace records a DOM snapshot and a screenshot at every action: about 40% more CPU
    // for the whole suite when kept for every test, so only a retried test records one
    trace: 'on-first-retry',
  },
  projects: [
    {
      // the app itself, from `vite preview`; the offline layer is tested by 'hosting', so
      // here no test pays for a service worker precaching the whole site
      name: 'chromium',
      testIgnore: /(hosting|estimate)\.spec\.ts/,
      use: { ...chromium, serviceWorkers: 'block' },
    },
    {
      // the one timing a test asserts (the experiments form's estimate), alone on the
      // machine once every other test is done
      name: 'quiet',
      testMatch: /estimate\.spec\.ts/,
      dependencies: ['chromium', 'hosting'],
      use: { ...chromium, serviceWorkers: 'block' },
    },
    {
      // dist/ served under a sub-path by scripts/serve-dist.mjs, with its service worker
      name: 'hosting',
      testMatch: /hosting\.spec\.ts/,
      use: { ...chromium, baseURL: hostURL, serviceWorkers: 'allow' },
    },
  ],
  webServer: [
    {
      command: `npm run preview -- --port ${PORT}`,
      url: baseURL,
      reuseExistingServer: !CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `node scripts/serve-dist.mjs --port ${HOST_PORT} --base ${HOST_BASE}`,
      url: hostURL,
      reuseExistingServer: !CI,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
