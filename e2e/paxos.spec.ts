/**
 * Paxos reaches the page through its definition alone: picked in the header, it runs, and
 * the leader the engine elects is the one the status line, the node's badge and the
 * ballot under it show.
 */
import { expect, test } from './fixtures';

test('Paxos, picked in the header, elects a leader the page shows as the engine has it', async ({
  page,
  pg,
}) => {
  await pg.open();
  const picker = page.getByTestId('algorithm-picker');
  await picker.selectOption('paxos');
  const leader = await pg.runUntilLeader();
  expect(leader).toBeGreaterThan(0);
  const { id, term } = await pg.leader();
  expect(id).toBe(leader);
  // the ballot is (round, id): the leader's own id is in it
  expect(term! % 1000).toBe(leader);
  const ballot = `${Math.floor(term! / 1000)}.${leader}`;
  // the status line says the ballot as round.id, not the number it travels as
  await expect(pg.status()).toHaveText(new RegExp(`Leader: node ${leader}, ballot ${ballot}$`));
  await expect(pg.node(leader)).toHaveAttribute('data-role', 'leader');
  await expect(pg.node(leader)).toContainText(`ballot ${ballot}`);
  for (const other of [1, 2, 3, 4, 5].filter((n) => n !== leader))
    await expect(pg.node(other)).toHaveAttribute('data-role', 'follower');
  await expect(page.getByTestId('event-log')).toContainText(
    `with a majority it leads ballot ${ballot}`,
  );
});
