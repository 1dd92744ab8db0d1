/**
 * The message-count form says how long a run will take, measured on this machine, and it
 * is about right: the first estimate from the page's calibration, the next from the run
 * itself. The only timing a test asserts (loosely), so it runs in its own project after
 * all the others (playwright.config.ts): beside another test's browser, the calibration and
 * the run it predicts could meet very different loads.
 */
import { expect, openPanel, test } from './fixtures';

test('the message-count form says how long a run takes, measured on this machine, and it is about right', async ({
  page,
}) => {
  await openPanel(page);
  await page.getByTestId('xp-tab-messages').click();
  await page.getByTestId('msg-ns').fill('8, 16, 24');
  // 60 trials: a few chunks per point, so that the run's warm chunks (not each worker's
  // first of a point) set the speed the next estimate uses, as in a real run
  await page.getByTestId('msg-trials').fill('60');
  const estimate = page.getByTestId('msg-estimate-ms');
  await expect(estimate).not.toHaveText('', { timeout: 10_000 });
  await expect(page.getByTestId('msg-trials').locator('..').locator('..')).toContainText(
    /About .+ \(measured on this machine\)/,
  );
  const run = async () => {
    const before = Number(await estimate.textContent());
    await page.getByTestId('xp-run').click();
    await expect(page.getByTestId('xp-status')).toHaveAttribute('data-status', 'done', {
      timeout: 120_000,
    });
    const took = Number(await page.getByTestId('xp-status').getAttribute('data-elapsed-ms'));
    return { before, took };
  };
  // the first estimate comes from a calibration on the page, the next from the run itself
  const first = await run();
  expect(first.before).toBeGreaterThan(0);
  expect(first.before / first.took).toBeGreaterThan(1 / 4);
  expect(first.before / first.took).toBeLessThan(4);
  await page.getByTestId('msg-seed').fill('2');
  const second = await run();
  expect(second.before / second.took).toBeGreaterThan(1 / 2.5);
  expect(second.before / second.took).toBeLessThan(2.5);
});
