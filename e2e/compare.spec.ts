/**
 * Compare mode in a real browser: a compare link opens Bully and Raft side by side on
 * one clock, ONE lasso partitions both clusters, playing shows Bully's split brain (its
 * status line and its engine) beside Raft's one leader per term, and the share link
 * reopens both views at the same moment.
 */
import type { Browser, Locator, Page } from '@playwright/test';
import { encodeComparePart, encodeFragment, parseScenario } from '../algorithms/index';
import { expect, test } from './fixtures';
import { overlaps } from './views';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const scenario = parseScenario({
  v: 1,
  algorithm: 'bully',
  params: {},
  nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
  network: { latency: { min: 10, max: 15 }, loss: 0, fifo: false },
  seed: 1,
  actions: [],
}).scenario;
const compareLink = `/?paused#${encodeFragment(scenario)}&${encodeComparePart({ algorithm: 'raft', params: {} }, 800_000)}`;

interface SideState {
  now: number;
  index: number;
  hash: string;
  leaders: { id: number; term?: number }[];
  splitBrain: boolean;
  actions: unknown[];
}
type Sim = {
  now: number;
  index: number;
  traceHash(): string;
  scenario: { nodes: { id: number }[]; actions: unknown[] };
  node(id: number): { alive: boolean; role: string; term?: number };
  violations(): { invariant: string }[];
};
type Fit = { k: number; dx: number; dy: number };
type Hook = {
  __playground: {
    compare(): null | {
      pair: { time(): number; pause(): void; runFor(ms: number): void };
      left: Sim;
      right: Sim;
      fit: { left: Fit; right: Fit };
    };
  };
};

/** Both runs as the engines hold them (null when not comparing). */
function engines(page: Page) {
  return page.evaluate(() => {
    const c = (window as unknown as Hook).__playground.compare();
    if (!c) return null;
    const side = (sim: Sim): SideState => ({
      now: sim.now,
      index: sim.index,
      hash: sim.traceHash(),
      leaders: sim.scenario.nodes
        .map((n) => ({ id: n.id, ...sim.node(n.id) }))
        .filter((n) => n.alive && n.role === 'leader')
        .map((n) => ({ id: n.id, term: n.term })),
      splitBrain: sim.violations().some((v) => v.invariant === 'split-brain'),
      actions: sim.scenario.actions,
    });
    return { t: c.pair.time(), left: side(c.left), right: side(c.right) };
  });
}

const pane = (page: Page, side: 'left' | 'right') => page.getByTestId(`compare-${side}`);

/** Drags a lasso (a circle) around node `id` of one view, from empty space outside the ring. */
async function lassoAround(page: Page, view: Locator, id: number) {
  const b = (await view.getByTestId(`node-${id}`).locator('.body').boundingBox())!;
  const c = { x: b.x + b.width / 2, y: b.y + b.height / 2, r: b.width / 2 };
  const svg = (await view.getByTestId('topology').boundingBox())!;
  const mid = { x: svg.x + svg.width / 2, y: svg.y + svg.height / 2 };
  const len = Math.hypot(c.x - mid.x, c.y - mid.y);
  const u = { x: (c.x - mid.x) / len, y: (c.y - mid.y) / len };
  const rad = c.r * 1.75;
  const start = Math.atan2(u.y, u.x);
  await page.mouse.move(c.x + u.x * rad, c.y + u.y * rad);
  await page.mouse.down();
  for (let k = 1; k <= 24; k++) {
    const a = start + (2 * Math.PI * k) / 24;
    await page.mouse.move(c.x + Math.cos(a) * rad, c.y + Math.sin(a) * rad);
  }
  await page.mouse.up();
}

async function openFresh(browser: Browser, link: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(link);
  return { context, page, errors };
}

test('Bully vs Raft: one lasso partitions both, Bully splits its brain, Raft keeps one leader per term, and the link reopens both', async ({
  page,
  browser,
}) => {
  await page.goto(compareLink);
  await expect(page.getByTestId('compare-stage')).toBeVisible();
  await expect(page.getByTestId('compare-left-title')).toHaveText('Bully');
  await expect(page.getByTestId('compare-right-title')).toHaveText('Raft');
  await expect(page.getByTestId('compare-time')).toHaveText('800 ms');
  let e = (await engines(page))!;
  expect([e.left.now, e.right.now]).toEqual([800_000, 800_000]);
  await expect(pane(page, 'left').getByTestId('status-leader')).toHaveText('★ Coordinator: node 5');
  await expect(pane(page, 'right').getByTestId('status-leader')).toHaveText(
    '★ Leader: node 3, term 1',
  );

  // each view fits on its own: the legend opened over the left view moves that view (zoom
  // or shift) to keep its nodes clear, and the right view and its fit stay as they were
  const fits = async () => ({
    ...(await page.evaluate(() => (window as unknown as Hook).__playground.compare()!.fit)),
    boxes: await Promise.all(
      (['left', 'right'] as const).map((side) =>
        pane(page, side).locator('.topology svg').first().getAttribute('viewBox'),
      ),
    ),
  });
  const before = await fits();
  await pane(page, 'left').locator('.legend summary').click();
  await expect(pane(page, 'left').locator('.legend ul').first()).toBeVisible();
  await expect.poll(async () => (await fits()).left).not.toEqual(before.left);
  const after = await fits();
  expect(after.right).toEqual(before.right);
  expect(after.boxes[1]).toBe(before.boxes[1]);
  expect(after.boxes[0]).not.toBe(before.boxes[0]);
  // and clears them: in a pane, half the view, the open legend lies low and wide
  await expect.poll(() => overlaps(page)).toEqual([]);
  await pane(page, 'left').locator('.legend summary').click();

  // one lasso, drawn on the left view, around node 3: both clusters are partitioned
  await lassoAround(page, pane(page, 'left'), 3);
  for (const side of ['left', 'right'] as const)
    await expect(pane(page, side).getByTestId('status-partition')).toContainText('{3}');
  e = (await engines(page))!;
  expect(e.left.actions).toHaveLength(1);
  expect(e.right.actions).toEqual(e.left.actions);

  // play: the shared clock moves both runs together
  await page.getByTestId('compare-play').click();
  await expect.poll(async () => (await engines(page))!.t).toBeGreaterThan(800_000);
  await page.getByTestId('compare-play').click();
  e = (await engines(page))!;
  expect(e.left.now).toBe(e.t);
  expect(e.right.now).toBe(e.t);
  // then on to well past the failure detectors' timeouts
  await page.evaluate(() => (window as unknown as Hook).__playground.compare()!.pair.runFor(1500));

  // Bully: two coordinators, on screen and in the engine
  await expect(pane(page, 'left').getByTestId('status-stale')).toContainText(
    'still believes it leads',
  );
  e = (await engines(page))!;
  expect(e.left.leaders.map((l) => l.id).sort()).toEqual([3, 5]);
  expect(e.left.splitBrain).toBe(true);
  // Raft: a new leader in a higher term on the majority side; never two in one term
  const terms = e.right.leaders.map((l) => l.term);
  expect(new Set(terms).size).toBe(terms.length);
  const fresh = e.right.leaders.find((l) => l.id !== 3)!;
  expect(fresh.term).toBeGreaterThanOrEqual(2);
  await expect(pane(page, 'right').getByTestId('status-leader')).toHaveText(
    `★ Leader: node ${fresh.id}, term ${fresh.term}`,
  );

  // the share link carries both runs and the shared clock
  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toContain('&compare=');
  expect(link).toContain(`&ct=${e.t}`);
  await page.getByTestId('copy-link').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await page.keyboard.press('Escape');

  const other = await openFresh(browser, link);
  await expect(other.page.getByTestId('compare-stage')).toBeVisible();
  await expect(other.page.getByTestId('compare-time')).toHaveText(
    await page.getByTestId('compare-time').innerText(),
  );
  for (const side of ['left', 'right'] as const)
    await expect(other.page.getByTestId(`compare-${side}-event`)).toHaveText(
      await pane(page, side).getByTestId(`compare-${side}-event`).innerText(),
    );
  const again = (await engines(other.page))!;
  expect(again).toEqual(e);
  expect(other.errors).toEqual([]);
  await other.context.close();

  // Esc first clears the lasso's selection, then leaves compare mode; the left run stays
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare-stage')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('compare-stage')).toHaveCount(0);
  await expect(page.getByTestId('status-leader')).toHaveText('★ Coordinator: node 5');
});

test('a broken compare part shows the bad-link banner and replaces nothing', async ({ page }) => {
  await page.goto('/?paused');
  await expect(page.getByTestId('node-1')).toBeVisible();
  const before = await page.getByTestId('algorithm-picker').inputValue();
  await page.evaluate(
    (frag) => {
      window.location.hash = frag;
    },
    `${encodeFragment(scenario)}&${encodeComparePart({ algorithm: 'nope', params: {} })}`,
  );
  await expect(page.getByTestId('link-banner')).toContainText('compare part of the link');
  await expect(page.getByTestId('compare-stage')).toHaveCount(0);
  expect(await page.getByTestId('algorithm-picker').inputValue()).toBe(before);
});
