/**
 * Timeouts and the network: when the timeouts a scenario sets do not suit the network it
 * runs on, the status line and the Network panel say so with the engine's own sentences,
 * and the Parameters dialog shows what empty fields become on this network and warns while
 * the user types values that would break the algorithm's timing.
 */
import { createSimulation } from '../algorithms/index';
import { encodeFragment } from '../algorithms/scenario/url';
import { expect, test } from './fixtures';

const slow = (params: Record<string, unknown>) => ({
  v: 1 as const,
  algorithm: 'raft',
  params,
  nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
  network: { latency: { min: 80, max: 150 }, loss: 0, fifo: false },
  seed: 4,
  actions: [],
});

test('timeouts that do not suit the network are named where the user looks, and fixed in Parameters', async ({
  page,
}) => {
  const scenario = slow({ electionTimeout: { min: 150, max: 300 } });
  const expected = createSimulation(scenario).summary().warnings;
  expect(expected.length).toBeGreaterThan(0);

  await page.goto(`/?paused#${encodeFragment(scenario)}`);
  const note = page.getByTestId('status-timing');
  await expect(note).toBeVisible();
  // the tooltip is exactly what the engine warns of for this network
  expect((await note.getAttribute('title'))!.split('\n')).toEqual(expected);
  await page.getByTestId('side-tab-inspect').click();
  const panel = page.getByTestId('timing-warnings');
  await expect(panel.locator('li')).toHaveText(expected);

  // Parameters: the explicit values are shown; emptying them shows what the network gives
  await page.getByTestId('params-button').click();
  const dialog = page.getByTestId('params-dialog');
  const min = dialog.getByLabel('Election Timeout minimum, ms');
  const max = dialog.getByLabel('Election Timeout maximum, ms');
  await expect(min).toHaveValue('150');
  await expect(dialog.getByTestId('params-warnings').locator('li')).toHaveText(expected);
  await min.fill('');
  const derived = createSimulation(slow({})).params as { electionTimeout: { min: number } };
  await expect(min).toHaveAttribute('placeholder', String(derived.electionTimeout.min));
  await expect(max).toHaveValue('');
  await expect(dialog.getByTestId('params-warnings')).toHaveCount(0);

  // typing a value that breaks the timing warns at once
  await min.fill('100');
  await expect(dialog.getByTestId('params-warnings')).toContainText('election timeout 100-');

  await min.fill('');
  await dialog.getByTestId('params-apply').click();
  await expect(page.getByTestId('status-timing')).toHaveCount(0);
  await expect(page.getByTestId('timing-warnings')).toHaveCount(0);
});

test('the default network with the default timeouts warns of nothing', async ({ page, pg }) => {
  await pg.open();
  await pg.run(2000);
  await expect(page.getByTestId('status-leader')).toContainText('Leader: node');
  await expect(page.getByTestId('status-timing')).toHaveCount(0);
});
