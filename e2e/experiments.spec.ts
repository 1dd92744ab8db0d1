/**
 * Experiments panel: trials run in Web Workers with a progress bar that advances, Cancel
 * stops them, a small run draws a chart and fills a table, results do not depend on the
 * number of workers, the parameters travel in a link, Figure 16's labels keep clear of
 * the curves. The form's time estimate has its own spec (estimate.spec.ts), run alone.
 */
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import LZString from 'lz-string';
import { expect, openPanel, test } from './fixtures';

type Hook = { __playground: { store: { getState(): { now: number } } } };

/** Serious or critical axe findings inside the experiments panel. */
async function serious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).include('[data-testid="experiments-panel"]').analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The workers the form allows, and those that take chunks while the playground plays (one core stays with its animation). */
async function workersWhilePlaying(page: Page): Promise<{ allowed: number; working: number }> {
  const allowed = Number(await page.getByTestId('xp-workers').inputValue());
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  return { allowed, working: Math.min(allowed, Math.max(1, cores - 1)) };
}

const done = (page: Page) => page.getByTestId('xp-progress').getAttribute('data-done').then(Number);

test('the progress bar advances while the network view keeps running, and Cancel stops the workers', async ({
  page,
}) => {
  await openPanel(page, ''); // the playground plays by itself
  // Figure 16's bottom graph, 5 × 10,000 trials: far more work than this test waits for
  // (5 × 1000 took about 5 s with the playground playing, and was done before Cancel)
  await page.getByTestId('fig16-preset').selectOption('bottom');
  await page.getByTestId('fig16-trials').fill('10000');
  await expect(page.getByTestId('xp-run')).toHaveText(/Run 50,000 trials/);
  await page.getByTestId('xp-run').click();
  const status = page.getByTestId('xp-status');
  await expect(status).toHaveAttribute('data-status', 'running');
  await expect.poll(() => done(page), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await done(page);
  const simBefore = await page.evaluate(
    () => (window as unknown as Hook).__playground.store.getState().now,
  );
  await expect.poll(() => done(page), { timeout: 20_000 }).toBeGreaterThan(first);
  await expect(status).toContainText(/trials\/s/);
  await expect(status).toContainText(/left/);
  // while the playground plays, the run leaves it a core: the line names the workers at work
  const { allowed, working } = await workersWhilePlaying(page);
  await expect(status).toContainText(`· ${working} worker${working === 1 ? '' : 's'}`);
  if (working < allowed) await expect(status).toContainText('while the playground plays');
  else await expect(status).not.toContainText('while the playground plays');
  // the page stayed responsive: simulated time moved on while the workers ran
  const simAfter = await page.evaluate(
    () => (window as unknown as Hook).__playground.store.getState().now,
  );
  expect(simAfter).toBeGreaterThan(simBefore);
  // closing the panel keeps the run going; the header button shows how far it is
  await page.getByTestId('xp-close').click();
  await expect(page.getByTestId('experiments-progress')).toHaveText(/\d+%/);
  await page.getByTestId('experiments-button').click();

  await page.getByTestId('xp-cancel').click();
  // the main thread may be busy drawing the last chunk's curves on a loaded machine
  await expect(status).toHaveAttribute('data-status', 'cancelled', { timeout: 15_000 });
  await expect(status).toContainText('Cancelled after');
  const stopped = await done(page);
  expect(stopped).toBeLessThan(50_000);
  await page.waitForTimeout(1000);
  expect(await done(page)).toBe(stopped);
  await expect(page.getByTestId('xp-run')).toBeEnabled();
  // with the panel closed, the header button no longer shows a run in progress
  await page.getByTestId('xp-close').click();
  await expect(page.getByTestId('experiments-button')).toBeVisible();
  await expect(page.getByTestId('experiments-progress')).toHaveCount(0);
});

test('while the playground plays, the message-count form measures the machine in the workers a run would use, and says so', async ({
  page,
}) => {
  await openPanel(page, ''); // the playground plays by itself
  await page.getByTestId('xp-tab-messages').click();
  const { working } = await workersWhilePlaying(page);
  const form = page.getByTestId('msg-trials').locator('..').locator('..');
  await expect(form).toContainText(/About .+ \(measured on this machine\)/, { timeout: 20_000 });
  await expect(form).toContainText(`on ${working} worker${working === 1 ? '' : 's'} (measured`);
  // the measurement started no worker beyond those (each compiles for a second or more)
  expect(page.workers().length).toBeGreaterThan(0);
  expect(page.workers().length).toBeLessThanOrEqual(working);
});

test('a small message-count run draws a chart with theory curves and fills the table; CSV export', async ({
  page,
}) => {
  await openPanel(page);
  await page.getByTestId('xp-tab-messages').click();
  await page.getByTestId('msg-ns').fill('4, 8');
  await page.getByTestId('msg-trials').fill('2');
  await expect(page.getByTestId('xp-run')).toHaveText(/Run 20 trials/);
  await page.getByTestId('xp-run').click();
  await expect(page.getByTestId('xp-status')).toHaveAttribute('data-status', 'done', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('xp-progress')).toHaveAttribute('data-done', '20');

  const chart = page.getByTestId('msg-chart');
  await expect(chart.locator('svg path').first()).toBeVisible();
  await expect(chart.locator('svg')).toContainText('Messages per election');
  await expect(chart.locator('svg')).toContainText('Bully, lowest id');
  const rows = page.getByTestId('xp-table').locator('tbody tr');
  await expect(rows).toHaveCount(10);
  // Bully with the lowest id detecting: exactly n² − n − 1 = 11 messages for n = 4
  const worst4 = rows.filter({ hasText: 'Bully, lowest id detects' }).first();
  await expect(worst4.locator('td').nth(2)).toHaveText('11.0');
  await expect(worst4.locator('td').last()).toHaveText('+0.0%');

  // hover values
  const box = (await chart.locator('svg').boundingBox())!;
  const circle = (await chart.locator('svg circle').first().boundingBox())!;
  await page.mouse.move(circle.x + circle.width / 2, circle.y + circle.height / 2);
  await expect(page.getByTestId('xp-tip')).toContainText(/n = \d+/);
  expect(box.width).toBeGreaterThan(300);

  // the y axis goes linear and back
  await chart.getByText('linear', { exact: true }).click();
  await expect(chart.locator('svg')).toContainText('Messages per election');

  const download = page.waitForEvent('download');
  await page.getByTestId('xp-export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('messages-summary.csv');
  const svgDownload = page.waitForEvent('download');
  await chart.getByTestId('xp-export-svg').click();
  expect((await svgDownload).suggestedFilename()).toBe('messages-all.svg');

  await page.mouse.move(0, 0);
  expect(await serious(page)).toEqual([]);
});

test('the same seed gives the same results with one worker or two', async ({ page }) => {
  await openPanel(page);
  await page.getByTestId('fig16-lines').fill('150-175, 12-24, 40-80');
  await page.getByTestId('fig16-trials').fill('30');
  const run = async (workers: number) => {
    await page.getByTestId('xp-workers').fill(String(workers));
    await page.getByTestId('xp-run').click();
    await expect(page.getByTestId('xp-status')).toHaveAttribute('data-status', 'done', {
      timeout: 30_000,
    });
    await expect(page.getByTestId('xp-status')).toContainText(`on ${workers} worker`);
    return page.getByTestId('xp-fingerprint').textContent();
  };
  const one = await run(1);
  const two = await run(2);
  expect(one).toMatch(/^[0-9a-f]{8}$/);
  expect(two).toBe(one);
  // 150-175 goes with the paper's top graph, 12-24 with the bottom one, 40-80 on its own
  for (const g of ['top', 'bottom', 'custom'])
    await expect(page.getByTestId(`fig16-chart-${g}`).locator('svg path').first()).toBeVisible();
  await expect(page.getByTestId('xp-table').locator('tbody tr')).toHaveCount(3);
  // a different seed gives different results
  await page.getByTestId('fig16-seed').fill('2');
  expect(await run(2)).not.toBe(one);
});

test('the parameters travel in a link, and a bad field falls back to its default', async ({
  page,
}) => {
  const context = page.context();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPanel(page);
  await page.getByTestId('xp-tab-downtime').click();
  await page.getByTestId('dt-axis').getByText('latency').click();
  await page.getByTestId('dt-values').fill('5, 25');
  await page.getByTestId('dt-trials').fill('7');
  await page.getByTestId('xp-copy-link').click();
  await expect(page.getByTestId('xp-copy-link')).toHaveText('Link copied');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  // the scenario's link (app/share) with the experiment's part appended
  expect(link).toMatch(/#v1=[^&]+.*&exp=/);

  const other = await context.newPage();
  await other.emulateMedia({ colorScheme: 'dark' });
  await other.goto(link.replace(/^https?:\/\/[^/]+\//, '/?paused'));
  await expect(other.getByTestId('experiments-panel')).toBeVisible();
  await expect(other.getByTestId('xp-tab-downtime')).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByTestId('dt-values')).toHaveValue('5, 25');
  await expect(other.getByTestId('dt-trials')).toHaveValue('7');
  await expect(other.getByTestId('xp-run')).toHaveText(/Run 42 trials/);
  // the scenario part opened too: no bad-link banner
  await expect(other.getByTestId('link-banner')).toHaveCount(0);
  expect(await serious(other)).toEqual([]);

  // a hand-edited link with one bad field keeps the good ones
  const bad = LZString.compressToEncodedURIComponent(
    JSON.stringify({ tab: 'messages', messages: { trials: -3, ns: [4, 12] } }),
  );
  await other.goto(
    link.replace(/^https?:\/\/[^/]+\//, '/?paused').replace(/exp=[^&]*/, `exp=${bad}`),
  );
  await expect(other.getByTestId('xp-tab-messages')).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByTestId('msg-ns')).toHaveValue('4, 12');
  await expect(other.getByTestId('msg-trials')).toHaveValue('10');
  await other.close();
});

test('the address bar follows the open experiment and its parameters; closing the panel takes them out', async ({
  page,
}) => {
  const expPart = () => new URL(page.url()).hash.split('&').filter((p) => p.startsWith('exp='));
  await openPanel(page);
  await page.getByTestId('xp-tab-messages').click();
  await page.getByTestId('msg-trials').fill('13');
  await expect.poll(expPart).toHaveLength(1);
  await expect
    .poll(async () => {
      const [part] = expPart();
      if (!part) return null;
      const params = JSON.parse(LZString.decompressFromEncodedURIComponent(part.slice(4)) ?? '{}');
      return [params.tab, params.messages?.trials];
    })
    .toEqual(['messages', 13]);
  expect(page.url()).toMatch(/#v1=/);

  // the address as it stands reopens the panel on the same tab with the same trials
  const address = page.url();
  const again = await page.context().newPage();
  await again.goto(address);
  await expect(again.getByTestId('experiments-panel')).toBeVisible();
  await expect(again.getByTestId('xp-tab-messages')).toHaveAttribute('aria-selected', 'true');
  await expect(again.getByTestId('msg-trials')).toHaveValue('13');
  await again.close();

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('experiments-panel')).toHaveCount(0);
  await expect.poll(expPart).toHaveLength(0);
  expect(page.url()).toMatch(/#v1=/);
});

/** The screen boxes of a chart's annotation labels and points sampled along its curves. */
async function labelsAndCurves(page: Page, testid: string) {
  return page.getByTestId(testid).evaluate((fig) => {
    const labels = [...fig.querySelectorAll('text[data-annotation]')].map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent ?? '', x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    });
    const points: { series: string; x: number; y: number }[] = [];
    for (const path of fig.querySelectorAll<SVGPathElement>('path[data-series]')) {
      const m = path.getScreenCTM();
      if (!m) continue;
      const len = path.getTotalLength();
      for (let d = 0; d <= len; d += 1.5) {
        const p = path.getPointAtLength(d).matrixTransform(m);
        points.push({ series: path.dataset.series ?? '', x: p.x, y: p.y });
      }
    }
    return { labels, points, paths: fig.querySelectorAll('path[data-series]').length };
  });
}

test("Figure 16's paper labels cross no curve and no other label; a screenshot at 1024x768", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await openPanel(page);
  await page.getByTestId('fig16-preset').selectOption('both');
  await page.getByTestId('fig16-trials').fill('100');
  await page.getByTestId('xp-run').click();
  await expect(page.getByTestId('xp-status')).toHaveAttribute('data-status', 'done', {
    timeout: 120_000,
  });
  const check = async (chart: string) => {
    await page.getByTestId(chart).scrollIntoViewIfNeeded();
    const { labels, points, paths } = await labelsAndCurves(page, chart);
    expect(paths).toBeGreaterThanOrEqual(5);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(points.length).toBeGreaterThan(500);
    for (const l of labels) {
      // a pixel of slack for anti-aliasing at the box's edge
      const inside = points.filter(
        (p) => p.x > l.x0 + 1 && p.x < l.x1 - 1 && p.y > l.y0 + 1 && p.y < l.y1 - 1,
      );
      expect(inside, `"${l.text}" is crossed by ${inside[0]?.series}`).toEqual([]);
      for (const o of labels)
        if (o !== l)
          expect(
            l.x0 < o.x1 && o.x0 < l.x1 && l.y0 < o.y1 && o.y0 < l.y1,
            `"${l.text}" overlaps "${o.text}"`,
          ).toBe(false);
    }
  };
  const charts = ['fig16-chart-top', 'fig16-chart-bottom'];
  for (const chart of charts) await check(chart);
  // the other time axis moves every curve: the labels move with them
  for (const [chart, other] of [
    ['fig16-chart-top', 'linear'],
    ['fig16-chart-bottom', 'log'],
  ] as const) {
    await page.getByTestId(chart).getByText(other, { exact: true }).click();
    await check(chart);
  }
  // on a log axis from the paper's 100 ms the 12-24 ms line's elections (tens of ms) would
  // pile up on the left edge as one vertical rise: the axis reaches below every curve
  const rises = await page.getByTestId('fig16-chart-bottom').evaluate((fig) =>
    [...fig.querySelectorAll<SVGPathElement>('path[data-series]')].map((path) => {
      const m = path.getScreenCTM()!;
      const pts: DOMPoint[] = [];
      for (let d = 0; d <= path.getTotalLength(); d += 1)
        pts.push(path.getPointAtLength(d).matrixTransform(m));
      const left = Math.min(...pts.map((p) => p.x));
      const ys = pts.filter((p) => p.x < left + 0.75).map((p) => p.y);
      return { series: path.dataset.series, rise: Math.max(...ys) - Math.min(...ys) };
    }),
  );
  expect(rises.map((r) => r.series)).toContain('12-24 ms');
  // (the first trial's step is about 3 px)
  for (const r of rises) expect(r.rise, `${r.series} rises at its left end`).toBeLessThan(8);
  for (const [chart, back] of [
    ['fig16-chart-top', 'log'],
    ['fig16-chart-bottom', 'linear'],
  ] as const)
    await page.getByTestId(chart).getByText(back, { exact: true }).click();
  await page.getByTestId('fig16-chart-top').scrollIntoViewIfNeeded();
  const path = testInfo.outputPath('figure16-1024x768.png');
  await page.screenshot({ path });
  await testInfo.attach('figure16-1024x768', { path, contentType: 'image/png' });
  const bottom = testInfo.outputPath('figure16-bottom-1024x768.png');
  await page.getByTestId('fig16-chart-bottom').screenshot({ path: bottom });
  await testInfo.attach('figure16-bottom-1024x768', { path: bottom, contentType: 'image/png' });
});
