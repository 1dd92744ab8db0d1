/**
 * Foundation acceptance: the page elects a leader by itself and shows it, and the
 * browser computes the same trace hash as Node for a fixed scenario.
 */
import { createSimulation } from '../algorithms/index';
import { expect, test } from './fixtures';

const FIXED = {
  v: 1,
  algorithm: 'raft',
  params: { electionTimeout: { min: 150, max: 300 } },
  nodes: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }],
  network: { latency: { min: 10, max: 15 }, loss: 0.05, fifo: false },
  seed: 12345,
  actions: [
    { at: 1000, type: 'kill', node: 3 },
    { at: 1500, type: 'partition', groups: [[1, 2]] },
    { at: 2500, type: 'healAll' },
    { at: 3000, type: 'restart', node: 3 },
    { at: 3200, type: 'cut', from: 4, to: 5, oneWay: true },
    { at: 3300, type: 'pause', node: 1 },
    { at: 3900, type: 'resume', node: 1 },
  ],
} as const;

test('the page loads, plays by itself and shows the elected leader', async ({ page, pg }) => {
  await page.goto('/');
  const status = pg.status();
  // default speed (0.05x): the first election ends ~250 ms of simulated time in, ~5 s of real time
  await expect(status).toHaveText(/Leader: node \d+, term \d+/, { timeout: 15_000 });
  const text = (await status.textContent()) ?? '';
  const [, id, term] = /node (\d+), term (\d+)/.exec(text)!;
  // with the default seed node 3 wins term 1
  expect(`${id}/${term}`).toBe('3/1');
  const node = pg.node(Number(id));
  await expect(node).toHaveAttribute('data-role', 'leader');
  await expect(node).toHaveAttribute('aria-label', new RegExp(`Node ${id}: leader.*term ${term}`));
  await expect(node.locator('.role-text')).toHaveText('LEADER');
  await expect(node.locator('.term')).toHaveText(`term ${term}`);
  // the others follow it
  for (const other of [1, 2, 4, 5].filter((n) => n !== Number(id)))
    await expect(pg.node(other)).toHaveAttribute('data-role', 'follower');
  // the clock moves while playing
  const t1 = await page.getByTestId('sim-clock').textContent();
  await expect(page.getByTestId('sim-clock')).not.toHaveText(t1 ?? '');
  // and in every frame for two seconds of play, the scrubber, the event log and the
  // footer give the same number of events
  const frames = await page.evaluate(async () => {
    const count = (id: string) =>
      (document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '')
        .replace(/\D+/g, ' ')
        .trim()
        .split(' ')[0];
    const seen: string[] = [];
    const t0 = performance.now();
    await new Promise<void>((done) => {
      const look = () => {
        seen.push(`${count('scrub-index')} ${count('log-count')} ${count('event-count')}`);
        if (performance.now() - t0 < 2000) requestAnimationFrame(look);
        else done();
      };
      requestAnimationFrame(look);
    });
    return seen;
  });
  expect(frames.length).toBeGreaterThan(20);
  expect(new Set(frames).size, 'events happened while sampling').toBeGreaterThan(1);
  expect(frames.filter((f) => new Set(f.split(' ')).size !== 1)).toEqual([]);
});

test('the browser computes the same trace hash as Node', async ({ page, pg }) => {
  const sim = createSimulation(FIXED);
  sim.runUntil(5000);
  const inNode = sim.traceHash();
  expect(sim.summary().events).toBeGreaterThan(100);
  await pg.open();
  const inPage = await page.evaluate((scenario) => {
    const hook = (
      window as unknown as {
        __playground: {
          createSimulation(s: unknown): { runUntil(ms: number): number; traceHash(): string };
        };
      }
    ).__playground;
    const s = hook.createSimulation(scenario);
    s.runUntil(5000);
    return s.traceHash();
  }, FIXED);
  expect(inPage).toBe(inNode);
});

test('the playground replays its own recorded run to the same trace hash', async ({ page, pg }) => {
  await pg.open();
  await pg.run(400);
  // a user action, recorded in the scenario at the current simulated time
  await page.keyboard.press('3');
  await page.keyboard.press('k');
  await pg.run(1200);
  const hashes = await page.evaluate(() => {
    const hook = (
      window as unknown as {
        __playground: {
          store: {
            getState(): {
              sim: { traceHash(): string; now: number };
              exportScenario(): unknown;
            };
          };
          createSimulation(s: unknown): { runUntilTime(t: number): number; traceHash(): string };
        };
      }
    ).__playground;
    const st = hook.store.getState();
    const again = hook.createSimulation(st.exportScenario());
    again.runUntilTime(st.sim.now);
    return [st.sim.traceHash(), again.traceHash()];
  });
  expect(hashes[1]).toBe(hashes[0]);
});
