/**
 * The built site as a class hosts it: dist/ copied under a sub-path of a plain static
 * server (scripts/serve-dist.mjs), then used with the network off.
 *
 * - Under /course/elections/: every request stays under that path, a leader is elected,
 *   Experiments runs a small Figure 16 in workers, and a copied link (with this page's own
 *   origin and path) opens the same run at the same event in a new browser context.
 * - Offline: after one visit (service worker active and controlling), with the server gone
 *   and the context offline, a reload works, a lesson plays, a share link opens in a new
 *   tab and a small experiment runs in workers.
 * - Update: a second deployment of the site makes the update prompt appear; Later hides it
 *   until the next visit, Reload switches to the new version and the run on screen comes
 *   back from its link.
 *
 * Runs in the 'hosting' project (service workers allowed; baseURL ends in the sub-path).
 * The offline and update tests start their own servers, so that they can stop them or
 * change the files served.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { serveDist } from '../scripts/serve-dist.mjs';
import { lessons } from '../algorithms/scenario/lessons/index';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
// each test loads the whole site more than once and runs workers: room for a busy machine
test.describe.configure({ timeout: 120_000 });

type Hook = {
  __playground: {
    store: {
      getState(): {
        runFor(ms: number): void;
        sim: { traceHash(): string; index: number; now: number; leader: number | null };
      };
    };
  };
};

/** The run on screen: enough to tell two runs apart. */
function runState(page: Page) {
  return page.evaluate(() => {
    const s = (window as unknown as Hook).__playground.store.getState();
    return { hash: s.sim.traceHash(), index: s.sim.index, now: s.sim.now, leader: s.sim.leader };
  });
}

/** Runs simulated time until some node leads (at most 5 s of it); returns the leader. */
function electLeader(page: Page) {
  return page.evaluate(() => {
    const s = (window as unknown as Hook).__playground.store.getState();
    for (let t = 0; t < 5000 && s.sim.leader === null; t += 10) s.runFor(10);
    return s.sim.leader;
  });
}

async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByTestId('node-1')).toBeVisible();
}

/** Waits until the page is controlled by an activated service worker (the site is precached). */
async function waitForServiceWorker(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), {
      timeout: 30_000,
    })
    .toBe('activated');
}

/**
 * A small Figure 16 in two workers, the playground paused: one line of 75 trials, three
 * chunks of at most 25, so the second worker gets one (the first takes two at once).
 * Returns its fingerprint.
 */
async function smallFigure16(page: Page) {
  await page.getByTestId('experiments-button').click();
  await expect(page.getByTestId('experiments-panel')).toBeVisible();
  await page.getByTestId('fig16-lines').fill('150-175');
  await page.getByTestId('fig16-trials').fill('75');
  await page.getByTestId('xp-workers').fill('2');
  await expect(page.getByTestId('xp-run')).toHaveText(/Run 75 trials/);
  await page.getByTestId('xp-run').click();
  await expect(page.getByTestId('xp-status')).toHaveAttribute('data-status', 'done', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('xp-status')).toContainText('on 2 worker');
  await expect(page.getByTestId('xp-progress')).toHaveAttribute('data-done', '75');
  await expect(page.getByTestId('xp-table').locator('tbody tr')).toHaveCount(1);
  const fingerprint = await page.getByTestId('xp-fingerprint').textContent();
  expect(fingerprint).toMatch(/^[0-9a-f]{8}$/);
  return fingerprint;
}

/** The link in the Share dialog, after checking that Copy link copies exactly it. */
async function copyShareLink(page: Page) {
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-dialog')).toBeVisible();
  const link = await page.getByTestId('share-link').inputValue();
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link')).toHaveText('✓ Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-dialog')).toHaveCount(0);
  return link;
}

/** Page errors and console errors of every page of a context. */
function recordErrors(context: BrowserContext) {
  const errors: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}

async function freshContext(browser: Browser) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    permissions: ['clipboard-read', 'clipboard-write'],
    serviceWorkers: 'allow',
  });
  return { context, errors: recordErrors(context) };
}

test('under a sub-path: loads, elects a leader, runs Figure 16 in workers, and its link reopens the run elsewhere', async ({
  page,
  browser,
  baseURL,
}) => {
  expect(baseURL).toMatch(/\/course\/elections\/$/);
  const requests: string[] = [];
  const failed: string[] = [];
  page.context().on('request', (r) => requests.push(r.url()));
  page.context().on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });

  await open(page, './?paused');
  const leader = await electLeader(page);
  expect(leader).not.toBeNull();
  await expect(page.getByTestId('status-leader')).toContainText(`Leader: node ${leader}`);

  await smallFigure16(page);
  // the experiment's own "Copy link" also points at this page
  await page.getByTestId('xp-copy-link').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(
    new RegExp(`^${baseURL!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#v1=[^&]+.*&exp=`),
  );
  await page.getByTestId('xp-close').click();

  // a run that has moved on: some events after the election, paused between two of them
  await page.evaluate(() => (window as unknown as Hook).__playground.store.getState().runFor(1234));
  const before = await runState(page);
  expect(before.index).toBeGreaterThan(10);
  const link = await copyShareLink(page);
  expect(link.startsWith(`${baseURL}#v1=`)).toBe(true);
  expect(link).toContain(`&e=${before.index}`);

  const other = await freshContext(browser);
  const p2 = await other.context.newPage();
  await open(p2, link);
  expect(await runState(p2)).toEqual(before);
  await expect(p2.getByTestId('link-banner')).toHaveCount(0);
  await expect(p2.getByTestId('event-count')).toHaveText(
    (await page.getByTestId('event-count').textContent())!,
  );
  expect(other.errors).toEqual([]);
  await other.context.close();

  // nothing was asked of the server's root: every URL resolved under the sub-path,
  // the trial workers' script included
  const origin = new URL(baseURL!).origin;
  const local = requests.filter((u) => u.startsWith(origin));
  expect(local.length).toBeGreaterThan(3);
  expect(local.filter((u) => !u.startsWith(baseURL!))).toEqual([]);
  expect(local.some((u) => /\/course\/elections\/assets\/worker-[^/]+\.js$/.test(u))).toBe(true);
  expect(failed).toEqual([]);
});

test('a trial worker that cannot be loaded ends the run with a message instead of a hang', async ({
  browser,
  baseURL,
}) => {
  // an incomplete copy of the site: the workers' script is missing
  const context = await browser.newContext({ baseURL, serviceWorkers: 'block' });
  try {
    await context.route(/\/assets\/worker-[^/]+\.js$/, (r) => r.fulfill({ status: 404 }));
    const page = await context.newPage();
    await open(page, './?paused');
    await page.getByTestId('experiments-button').click();
    await page.getByTestId('fig16-lines').fill('150-175');
    await page.getByTestId('fig16-trials').fill('4');
    await page.getByTestId('xp-run').click();
    const status = page.getByTestId('xp-status');
    await expect(status).toHaveAttribute('data-status', 'error', { timeout: 20_000 });
    await expect(status).toContainText('The run failed: a trial worker could not be loaded');
    // the form is usable again
    await expect(page.getByTestId('xp-run')).toBeEnabled();
  } finally {
    await context.close();
  }
});

test('offline after one visit: reload, a lesson, a share link in a new tab, a small experiment', async ({
  browser,
}) => {
  const server = await serveDist({ dir: 'dist', base: '/course/elections/' });
  const { context, errors } = await freshContext(browser);
  try {
    const page = await context.newPage();
    await open(page, `${server.url}?paused`);
    await waitForServiceWorker(page);
    // a link made while online, to open once the network is gone
    expect(await electLeader(page)).not.toBeNull();
    await page.evaluate(() =>
      (window as unknown as Hook).__playground.store.getState().runFor(700),
    );
    const before = await runState(page);
    const link = await copyShareLink(page);

    // the network goes away: the server stops, and the browser is offline too
    await server.close();
    await context.setOffline(true);
    const tryFetch = (url: string) =>
      page.evaluate(
        (u) =>
          fetch(u).then(
            (r) => `answered ${r.status}`,
            () => 'failed',
          ),
        url,
      );
    // the service worker answers for the site's own files, and nothing else gets through
    expect(await tryFetch('./index.html')).toBe('answered 200');
    expect(await tryFetch('./not-in-the-build.txt')).toBe('failed');
    // the browser logs that refused request; it is the only error this test expects
    expect(errors).toEqual([expect.stringMatching(/ERR_INTERNET_DISCONNECTED/)]);
    errors.length = 0;

    const reload = await page.reload();
    expect(reload?.fromServiceWorker()).toBe(true);
    await expect(page.getByTestId('node-1')).toBeVisible();
    expect(await electLeader(page)).not.toBeNull();

    // a lesson plays: captions move on with Next until its end
    await page.getByTestId('lessons-button').click();
    await page.getByTestId(`lesson-${lessons[0].name}`).click();
    await expect(page.getByTestId('lesson-name')).toHaveText(lessons[0].title);
    const caption = page.getByTestId('lesson-caption');
    const captions = new Set<string>();
    for (let i = 0; i < 30 && !(await page.getByTestId('lesson-end').isVisible()); i++) {
      captions.add((await caption.textContent()) ?? '');
      await page.getByTestId('lesson-next').click();
    }
    await expect(page.getByTestId('lesson-end')).toBeVisible();
    expect(captions.size).toBeGreaterThan(1);
    const lessonNow = (await runState(page)).now;
    expect(lessonNow).toBeGreaterThan(0);

    // the share link opens in a new tab, from the cache
    const tab = await context.newPage();
    const response = await tab.goto(link);
    expect(response?.fromServiceWorker()).toBe(true);
    await expect(tab.getByTestId('node-1')).toBeVisible();
    expect(await runState(tab)).toEqual(before);
    await expect(tab.getByTestId('link-banner')).toHaveCount(0);

    // the lazily loaded panel and the trial workers come from the cache as well
    await smallFigure16(tab);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    await server.close();
  }
});

test('a new deployment shows the update prompt; Reload switches to it and keeps the run', async ({
  browser,
}, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'elections-site-'));
  cpSync('dist', dir, { recursive: true });
  const server = await serveDist({ dir, base: '/course/elections/' });
  const { context, errors } = await freshContext(browser);
  try {
    const page = await context.newPage();
    await open(page, `${server.url}?paused`);
    await waitForServiceWorker(page);
    const firstWorker = await page.evaluate(
      () => navigator.serviceWorker.controller?.scriptURL ?? '',
    );
    expect(firstWorker).toBe(`${server.url}sw.js`);
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);

    // deploy version 2: a changed index.html, and the worker that precaches it
    const marker = '<meta name="deployed" content="version 2" />';
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    writeFileSync(join(dir, 'index.html'), html.replace('<head>', `<head>\n    ${marker}`));
    const sw = readFileSync(join(dir, 'sw.js'), 'utf8');
    const revision = /\{url:"index\.html",revision:"([0-9a-f]+)"\}/.exec(sw);
    expect(revision, 'sw.js lists index.html with a revision').not.toBeNull();
    writeFileSync(join(dir, 'sw.js'), sw.replace(revision![1], 'version-2'));

    // the open page finds it (as its hourly check or the next visit would)
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toBeVisible({ timeout: 30_000 });
    await expect(prompt).toContainText('A new version of the playground is ready.');
    await expect(prompt.getByRole('button', { name: 'Reload' })).toBeVisible();
    const axe = await new AxeBuilder({ page }).include('[data-testid="update-prompt"]').analyze();
    expect(axe.violations.map((v) => `${v.id} (${v.impact})`)).toEqual([]);
    // pictures to look at: the whole page in both themes, and the card
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      const path = testInfo.outputPath(`update-prompt-${scheme}.png`);
      await page.screenshot({ path });
      await testInfo.attach(`update prompt, ${scheme} theme`, { path, contentType: 'image/png' });
    }
    await prompt.screenshot({ path: testInfo.outputPath('update-prompt-card.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // Later: hidden, the old version keeps running, and the next visit asks again
    await page.getByTestId('update-later').click();
    await expect(prompt).toHaveCount(0);
    expect(await page.evaluate(() => !!document.querySelector('meta[name="deployed"]'))).toBe(
      false,
    );
    await page.reload();
    await expect(prompt).toBeVisible({ timeout: 30_000 });

    // a run to keep: Reload must bring it back from the address bar, even when the last
    // steps were taken a moment before (the address bar is written with a delay)
    expect(await electLeader(page)).not.toBeNull();
    const before = await page.evaluate(() => {
      const s = (window as unknown as Hook).__playground.store.getState();
      s.runFor(321);
      const run = {
        hash: s.sim.traceHash(),
        index: s.sim.index,
        now: s.sim.now,
        leader: s.sim.leader,
      };
      document.querySelector<HTMLButtonElement>('[data-testid="update-reload"]')!.click();
      // the click wrote the address bar at once: the reload cannot miss the last steps
      return { run, hash: window.location.hash };
    });
    expect(before.hash).toMatch(new RegExp(`&e=${before.run.index}(&|$)`));
    // the page reloads into version 2 (once the new worker has taken over, or after a few
    // seconds if the browser keeps it waiting: then once more when it takes over)
    await expect(page.locator('meta[name="deployed"]')).toHaveAttribute('content', 'version 2', {
      timeout: 30_000,
    });
    await expect(page.getByTestId('node-1')).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'))
      .toBe('activated');
    await expect(prompt).toHaveCount(0);
    await expect.poll(() => runState(page).catch(() => null)).toEqual(before.run);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
