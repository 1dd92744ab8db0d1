/**
 * The Checks panel's agreement line follows each algorithm's leader rule: a healthy lease
 * election agrees on the worker the store names (not on the highest id, the payment
 * service), and the line names that worker's disagreement while an election is under way.
 */
import { expect, test } from './fixtures';

type Hook = {
  __playground: { store: { getState(): { view: { leader: number | null } } } };
};

test('a healthy lease run shows agreement on the leader the store names', async ({ page, pg }) => {
  await pg.open();
  await page.getByTestId('algorithm-picker').selectOption('lease');
  await expect(page.getByTestId('status-leader')).toBeVisible();
  await page.getByTestId('side-tab-checks').click();
  const line = page.getByTestId('inv-agreement');
  await pg.run(6000);
  const leader = await page.evaluate(
    () => (window as unknown as Hook).__playground.store.getState().view.leader,
  );
  // a worker leads: neither the store (node 1) nor the payment service (node 5)
  expect(leader).not.toBeNull();
  expect([2, 3, 4]).toContain(leader);
  await expect(line).toHaveClass(/\bok\b/);
  await expect(line).toContainText('agree');
  await expect(line).not.toContainText('highest id');
  // the inspector names each kind's own number: the store's revision, a worker's token
  await page.keyboard.press('1');
  await page.getByTestId('side-tab-inspect').click();
  await expect(page.getByTestId('inspector-epoch-name')).toHaveText('Revision');
  const rev = (await pg.node(1).locator('.term').textContent())!.replace('rev ', '');
  await expect(page.getByTestId('inspector-term')).toHaveText(rev);
  await page.keyboard.press(String(leader));
  await expect(page.getByTestId('inspector-epoch-name')).toHaveText('Fencing token');
});
