/**
 * The ZooKeeper election in the page: a link names the algorithm, the run elects a worker,
 * and its LEADER badge agrees with the service's own state (the owner of the lowest znode,
 * as the service's inspector facts list them).
 */
import { expect, test } from './fixtures';
import { encodeFragment } from '../algorithms/scenario/url';
import { parseScenario } from '../algorithms/scenario/parse';

const scenario = parseScenario({
  v: 1,
  algorithm: 'zookeeper',
  nodes: [1, 2, 3, 4, 5, 6].map((id) => ({ id })),
  network: { latency: { min: 5, max: 10 } },
  seed: 1,
  actions: [],
}).scenario;

test('a zookeeper link plays to a leader whose badge agrees with the service', async ({
  page,
  pg,
}) => {
  await page.goto(`/?paused#${encodeFragment(scenario)}`);
  await expect(pg.node(1)).toBeVisible();
  await expect(pg.node(1).locator('.role-text')).toHaveText('ZOOKEEPER');
  await page.getByTestId('play-toggle').click();
  // ("No leader · election in progress" also says leader: wait for one named)
  await expect(pg.status()).toContainText(/Leader: node \d+/, { timeout: 15_000 });
  await page.getByTestId('play-toggle').click();
  const { id: leader } = await pg.leader();
  expect([2, 3, 4, 5]).toContain(leader);
  await expect(pg.node(leader!).locator('.role-text')).toHaveText('LEADER');
  // the service's znodes, lowest sequence number first: the first one is the leader's
  await page.keyboard.press('1');
  await page.getByTestId('side-tab-inspect').click();
  const znodes = page.getByTestId('fact-znodes');
  await expect(znodes).toContainText(`/election/n_`);
  const first = /\(node (\d+),/.exec((await znodes.textContent()) ?? '')?.[1];
  expect(Number(first)).toBe(leader);
});
