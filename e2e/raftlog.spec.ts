/**
 * Raft log replication on screen: client requests (button and W)
 * fill a log strip under each node, committed entries marked; a crashed follower keeps
 * its shorter log; the inspector lists a node's log.
 */
import { expect, openNodeMenu, test } from './fixtures';

test("client requests fill the log strips; the inspector shows a node's log", async ({
  page,
  pg,
}) => {
  await pg.open();
  const leader = await pg.runUntilLeader();
  await expect(page.locator('.logstrip[display="inline"]')).toHaveCount(0);
  await page.getByTestId('client-request').click();
  await pg.run(60);
  await page.getByTestId('client-request').click();
  await page.keyboard.press('w');
  await pg.run(200);
  for (const id of [1, 2, 3, 4, 5]) {
    const strip = pg.node(id).locator('.logstrip');
    await expect(strip).toHaveAttribute('data-log-length', '3');
    await expect(strip).toHaveAttribute('data-commit', '3');
    await expect(strip.locator('.log-cell.committed')).toHaveCount(3);
  }
  const follower = leader === 1 ? 2 : 1;
  await page.keyboard.press(String(follower));
  await page.keyboard.press('k');
  await page.keyboard.press('Escape');
  await page.keyboard.press('w');
  await page.keyboard.press('w');
  await expect(pg.node(leader).locator('.logstrip')).toHaveAttribute('data-log-length', '5');
  await expect(pg.node(leader).locator('.log-cell.pending')).toHaveCount(2);
  await pg.run(200);
  await expect(pg.node(leader).locator('.logstrip')).toHaveAttribute('data-commit', '5');
  await expect(pg.node(follower).locator('.logstrip')).toHaveAttribute('data-log-length', '3');
  await page.keyboard.press(String(leader));
  const log = page.getByTestId('inspector-log');
  await expect(log).toContainText('5 entries · commit index 5');
  await expect(page.getByTestId('log-entry-5')).toContainText('cmd 5');
  await expect(page.getByTestId('log-entry-5')).toContainText('committed');
});

test('clock drift from the node menu is recorded and shown', async ({ page, pg }) => {
  await pg.open();
  await pg.run(50);
  await openNodeMenu(page, pg, 2);
  await page.getByTestId('menu-clock').click();
  await expect(page.getByTestId('toast')).toContainText("Node 2's clock now runs fast ×2");
  await expect(page.getByTestId('inspector-clock')).toContainText('fast ×2');
  await expect(page.getByTestId('user-actions')).toHaveText('1 action recorded');
  await openNodeMenu(page, pg, 2);
  await expect(page.getByTestId('menu-clock')).toContainText('fast ×2');
  await page.getByTestId('menu-clock').click();
  await expect(page.getByTestId('inspector-clock')).toContainText('slow ×0.5');
});
