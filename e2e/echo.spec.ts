/**
 * An algorithm defined in one folder reaches the page through its definition alone: the
 * echo test algorithm is offered only when the page is opened with `?test-algorithms`, and
 * picking it runs it, with its roles, its leader and its narration on screen.
 */
import { expect, test } from './fixtures';
import { algorithms } from '../algorithms/index';

test('the echo test algorithm is hidden by default, and runs when picked', async ({ page, pg }) => {
  await pg.open();
  const picker = page.getByTestId('algorithm-picker');
  // every registered algorithm but the test ones, in the registry's order
  await expect(picker.locator('option')).toHaveText(
    algorithms.filter((a) => !a.testOnly).map((a) => a.title),
  );
  await expect(picker.locator('option[value="echo"]')).toHaveCount(0);

  await pg.open('paused&test-algorithms');
  await expect(picker.locator('option[value="echo"]')).toHaveText('Echo (test)');
  await picker.selectOption('echo');
  await pg.run(250);
  // node 1, the lowest id, leads; the others listen to it
  expect(await pg.leader()).toEqual({ id: 1, term: undefined });
  await expect(page.getByTestId('status-leader')).toHaveText(/Leader: node 1$/);
  await expect(pg.node(1)).toHaveAttribute('data-role', 'leader');
  await expect(pg.node(2)).toHaveAttribute('data-role', 'follower');
  await expect(page.getByTestId('event-log')).toContainText(
    'hears a PING from node 1 and echoes it',
  );
});
