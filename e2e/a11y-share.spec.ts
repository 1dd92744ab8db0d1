/**
 * Accessibility of the sharing, lesson and payment screens: axe finds no serious or critical problems with
 * a lesson running and the share dialog open, with the bad-link banner, and in presenter
 * mode on the payment lesson (dark theme).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Checks only our own parts of the page (the rest has its own axe tests): faster. */
async function serious(page: Page, ...only: string[]) {
  const builder = new AxeBuilder({ page });
  for (const sel of only) builder.include(sel);
  const r = await builder.analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe: lesson panel, share dialog, bad-link banner, presenter mode', async ({ page, pg }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/?paused#v1=cut-short');
  await expect(page.getByTestId('link-banner')).toBeVisible();
  expect(await serious(page, '[data-testid="link-banner"]')).toEqual([]);
  await page.getByTestId('link-banner-dismiss').click();

  await page.getByTestId('lessons-button').click();
  await expect(page.getByTestId('lessons-dialog')).toBeVisible();
  await page.getByTestId('lesson-lesson-payment-no-fencing').click();
  for (let i = 0; i < 5; i++) await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('payment-board')).toBeVisible();
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-dialog')).toBeVisible();
  expect(
    await serious(
      page,
      '[data-testid="share-dialog"]',
      '[data-testid="lesson-panel"]',
      '[data-testid="payment-board"]',
      '.app-header',
    ),
  ).toEqual([]);
  await page.keyboard.press('Escape');

  await pg.body(3).click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('p');
  await expect(page.getByTestId('presenter-bar')).toBeVisible();
  expect(
    await serious(page, '[data-testid="presenter-bar"]', '[data-testid="payment-board"]', '.stage'),
  ).toEqual([]);
});
