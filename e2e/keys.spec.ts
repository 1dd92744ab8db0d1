/**
 * Keys do what the help says wherever focus is: a focused button (the breakpoint's "add",
 * a line of the event log) does not take Space away from play/pause, and a slider keeps
 * its arrows while Space still plays. Text fields keep every key.
 */
import { expect, test } from './fixtures';

test('Space plays and pauses wherever focus is, except in a text field', async ({ page, pg }) => {
  await pg.open();
  const play = page.getByTestId('play-toggle');
  await expect(play).toHaveAttribute('aria-pressed', 'false');

  // focus the breakpoint "add" button by clicking it: one breakpoint
  await page.getByTestId('side-tab-checks').click();
  // the Checks tab loads when first shown: count its breakpoints once it is there
  await expect(page.getByTestId('bp-add')).toBeVisible();
  const breakpoints = page.locator('.bp-list > li');
  const had = await breakpoints.count();
  await page.getByTestId('bp-add').click();
  await expect(breakpoints).toHaveCount(had + 1);
  await page.getByTestId('bp-add').focus();
  await page.keyboard.press(' ');
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(' ');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  // Space added no breakpoint
  await expect(breakpoints).toHaveCount(had + 1);

  // on a slider Space plays, the arrows stay the slider's
  await page.getByTestId('side-tab-inspect').click();
  const speed = page.getByRole('slider').first();
  await speed.focus();
  const before = await speed.inputValue();
  await page.keyboard.press(' ');
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(' ');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('ArrowRight');
  expect(await speed.inputValue()).not.toBe(before);

  // in a text field Space is a character
  await page.getByTestId('params-button').click();
  const seed = page.getByTestId('seed-input');
  await seed.focus();
  await page.keyboard.press(' ');
  await expect(play).toHaveAttribute('aria-pressed', 'false');
});

test('the run pauses behind a dialog and plays on when it closes', async ({ page, pg }) => {
  await pg.open();
  const play = page.getByTestId('play-toggle');
  await play.click();
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  const now = () =>
    page.evaluate(
      () =>
        (
          window as unknown as { __playground: { store: { getState(): { now: number } } } }
        ).__playground.store.getState().now,
    );
  await page.getByTestId('params-button').click();
  await expect(page.getByTestId('params-dialog')).toBeVisible();
  await expect(play).toHaveAttribute('aria-pressed', 'false');
  const frozen = await now();
  await page.waitForTimeout(600);
  expect(await now()).toBe(frozen);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('params-dialog')).toHaveCount(0);
  await expect(play).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(now).toBeGreaterThan(frozen);
});

test('the event log is one tab stop; Up and Down move between lines and Enter travels', async ({
  page,
  pg,
}) => {
  await pg.open();
  await pg.run(400);
  const log = page.getByTestId('event-log');
  await log.focus();
  // Tab leaves the log in one step, however many lines it holds
  await page.keyboard.press('Tab');
  expect(await log.evaluate((el) => el.contains(document.activeElement))).toBe(false);
  await page.keyboard.press('Shift+Tab');
  await expect(log).toBeFocused();
  // Up from the list goes to the line before the current event's
  const index = () =>
    page.evaluate(
      () =>
        (
          window as unknown as {
            __playground: { store: { getState(): { position: { index: number } } } };
          }
        ).__playground.store.getState().position.index,
    );
  const at = await index();
  await page.keyboard.press('ArrowUp');
  const focused = page.locator('.log-row:focus');
  await expect(focused).toHaveAttribute('data-testid', `log-row-${at - 2}`);
  await page.keyboard.press('ArrowUp');
  await expect(focused).toHaveAttribute('data-testid', `log-row-${at - 3}`);
  await page.keyboard.press('Enter');
  await expect.poll(index).toBe(at - 2);
});
