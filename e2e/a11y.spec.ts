/**
 * Accessibility: axe finds no serious or critical problems in either theme (with a menu
 * and a dialog open too), every control has a name, nodes are reachable by keyboard
 * with a visible focus ring, and prefers-reduced-motion is honoured.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';

async function serious(page: import('@playwright/test').Page) {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe finds no serious problems: light theme, node menu open', async ({ page, pg }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await pg.open();
  await pg.runUntilLeader();
  await pg.run(100);
  await pg.body(2).click();
  await expect(page.getByTestId('node-menu')).toBeVisible();
  expect(await serious(page)).toEqual([]);
});

test('axe finds no serious problems: dark theme, a partition, shortcuts sheet open', async ({
  page,
  pg,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await pg.open();
  await pg.runUntilLeader();
  await page.keyboard.press('Shift+Digit1');
  await page.keyboard.press('Shift+Digit2');
  await page.keyboard.press('i');
  await pg.run(300);
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-overlay')).toBeVisible();
  expect(await serious(page)).toEqual([]);
});

test('nodes take keyboard focus with a visible ring; glossary tooltips open on focus', async ({
  page,
  pg,
}) => {
  await pg.open();
  const node = pg.node(1);
  await node.focus();
  await expect(node).toBeFocused();
  await expect(node.locator('.focus-ring')).toHaveCSS('opacity', '1');
  // the view is one tab stop: the arrows move between its nodes
  await page.keyboard.press('ArrowRight');
  await expect(pg.node(2)).toBeFocused();
  await expect(pg.node(2).locator('.focus-ring')).toHaveCSS('opacity', '1');
  // tooltips that explain the words
  await page.keyboard.press('Escape');
  const quorum = page.locator('[data-glossary="quorum"]').first();
  await quorum.focus();
  await expect(quorum.getByRole('tooltip')).toBeVisible();
  await expect(quorum.getByRole('tooltip')).toContainText('majority');
});

test('prefers-reduced-motion is honoured', async ({ page, pg }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await pg.open();
  await expect(page.getByTestId('topology')).toHaveClass(/reduced-motion/);
  await expect(pg.body(1)).toHaveCSS('transition-duration', '0s');
});
