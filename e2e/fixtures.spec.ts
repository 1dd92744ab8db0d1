/**
 * The reused tab (fixtures.ts): what one test leaves behind, the next does not see. The
 * two tests run in order in one worker, so the second gets the tab the first used.
 */
import { expect, test } from './fixtures';
import { resizeWindow } from './views';

test.describe.configure({ mode: 'serial' });

let first: unknown = null;

test('a test leaves storage, media, a listener, a second page and sizes behind', async ({
  page,
  pg,
}) => {
  await pg.open();
  await page.evaluate(() => {
    localStorage.setItem('left-behind', '1');
    sessionStorage.setItem('left-behind', '1');
  });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 800, height: 600 });
  // and a window size set as the lessons' views set it, through a DevTools session of its own
  await resizeWindow(page, 900, 700);
  await expect.poll(() => page.evaluate(() => innerWidth)).toBe(900);
  page.on('dialog', (d) => void d.accept());
  await page.context().newPage();
  first = page;
});

test('the next test gets the same tab as a new one', async ({ page, pg }) => {
  // the same tab (else this test shows nothing about the reset)
  expect(page).toBe(first);
  expect(page.context().pages()).toEqual([page]);
  expect(page.viewportSize()).toEqual({ width: 1280, height: 720 });
  await pg.open();
  expect(
    await page.evaluate(() => ({
      local: localStorage.getItem('left-behind'),
      session: sessionStorage.getItem('left-behind'),
      dark: matchMedia('(prefers-color-scheme: dark)').matches,
      reduce: matchMedia('(prefers-reduced-motion: reduce)').matches,
      width: innerWidth,
      height: innerHeight,
      // with no listener of this test's, Playwright dismisses a dialog; the first test's accepted it
      confirmed: confirm('left behind?'),
    })),
  ).toEqual({
    local: null,
    session: null,
    dark: false,
    reduce: false,
    width: 1280,
    height: 720,
    confirmed: false,
  });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});
