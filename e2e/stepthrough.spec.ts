/**
 * Step-through debugging, asserted on what the screen shows. Time is
 * driven through the test hook (window.__playground), never waited for.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test, type Pg } from './fixtures';

type Sim = {
  index: number;
  leader: number | null;
  world: { leaderTerm?: number };
  step(): unknown;
  state(): { nodes: { id: number; role: string; alive: boolean; term?: number }[] };
};

type Hook = {
  __playground: {
    createSimulation(scenario: unknown): Sim;
    store: {
      getState(): {
        runFor(ms: number): void;
        setSpeed(v: number): void;
        exportScenario(): unknown;
        sim: Sim;
        view: { inFlight: unknown[]; nodes: { role: string }[]; events: number };
      };
    };
  };
};

/** What a user sees of the cluster: each node's role, term and pause, the clock, the queue. */
async function screenState(page: Page, pg: Pg, ids: number[]) {
  const nodes = [];
  for (const id of ids) {
    const n = pg.node(id);
    nodes.push([
      id,
      await n.getAttribute('data-role'),
      await n.getAttribute('data-term'),
      await n.getAttribute('data-paused'),
    ]);
  }
  const inFlight = await page
    .locator('[data-testid^="inflight-"]')
    .evaluateAll((els) =>
      els.map(
        (e) =>
          `${e.getAttribute('data-label')} ${e.getAttribute('data-from')}→${e.getAttribute('data-to')}`,
      ),
    );
  const timers = await page.locator('[data-testid^="timer-"]').allTextContents();
  return {
    nodes,
    inFlight,
    timers,
    clock: await page.getByTestId('sim-clock').textContent(),
    events: await page.getByTestId('event-count').textContent(),
    status: await pg.status().textContent(),
  };
}

/** Keeps keyboard shortcuts global: nothing focused that owns the arrow keys. */
async function blur(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

test('stepping forward 20 events and back 20 shows the same screen as before', async ({
  page,
  pg,
}) => {
  await pg.open();
  // mid-election: candidates asking for votes, messages in flight
  await page.evaluate(() => {
    // the store's state is a new object after each change: read it afresh every time
    const store = (window as unknown as Hook).__playground.store;
    for (let i = 0; i < 300 && store.getState().view.inFlight.length < 4; i++)
      store.getState().runFor(2);
  });
  await page.getByTestId('side-tab-next').click();
  await blur(page);
  // land on an event (the clock then reads that event's time)
  await page.keyboard.press('ArrowRight');
  const start = Number(await page.getByTestId('scrub-index').textContent());
  // the Next tab's list loads on first use
  await expect(page.locator('[data-testid^="inflight-"]').nth(3)).toBeVisible();
  const before = await screenState(page, pg, [1, 2, 3, 4, 5]);
  expect(before.inFlight.length).toBeGreaterThanOrEqual(4);

  for (let k = 0; k < 20; k++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('scrub-index')).toHaveText(String(start + 20));
  const after = await screenState(page, pg, [1, 2, 3, 4, 5]);
  expect(after).not.toEqual(before);

  for (let k = 0; k < 20; k++) await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('scrub-index')).toHaveText(String(start));
  expect(await screenState(page, pg, [1, 2, 3, 4, 5])).toEqual(before);
  // the explored future is still there: the end of the scrubber did not move back
  await expect(page.getByTestId('scrubber')).toHaveAttribute('max', String(start + 20));

  // acting in the past rewrites the future, like an edit after undo, and says so
  await page.keyboard.press('1');
  await page.keyboard.press('k');
  await expect(page.getByTestId('toast')).toHaveText(
    'You acted in the past: the 20 explored events after this point were discarded.',
  );
  await expect(pg.node(1)).toHaveAttribute('data-role', 'dead');
  await expect(page.getByTestId('scrubber')).toHaveAttribute('max', String(start + 1));
});

test('at 100x the event log follows the run: the lines on screen are the latest events', async ({
  page,
  pg,
}) => {
  await pg.open();
  await page.evaluate(() =>
    (window as unknown as Hook).__playground.store.getState().setSpeed(100),
  );
  await page.getByTestId('play-toggle').click();
  await expect(page.getByTestId('log-follow')).toHaveAttribute('aria-pressed', 'true');
  // hundreds of events a frame: the log scrolls by that much, and draws those lines in the
  // same frame (they were drawn a frame late, on the scroll event: an empty list; and the
  // scroll itself, asked for in a frame that a newer render cancelled, never came)
  for (let k = 0; k < 12; k++) {
    await page.waitForTimeout(150);
    const seen = await page.evaluate(
      () =>
        new Promise<{ events: number; visible: number[] }>((done) =>
          requestAnimationFrame(() =>
            setTimeout(() => {
              const log = document
                .querySelector('[data-testid="event-log"]')!
                .getBoundingClientRect();
              const visible = [
                ...document.querySelectorAll<HTMLElement>('[data-testid^="log-row-"]'),
              ]
                .filter((r) => {
                  const b = r.getBoundingClientRect();
                  return b.bottom > log.top + 2 && b.top < log.bottom - 2;
                })
                .map((r) => Number(r.dataset.testid!.slice('log-row-'.length)));
              done({
                events: (window as unknown as Hook).__playground.store.getState().view.events,
                visible,
              });
            }),
          ),
        ),
    );
    if (seen.events < 3000) continue; // (the first second)
    expect(seen.visible.length, `lines on screen at ${seen.events} events`).toBeGreaterThanOrEqual(
      3,
    );
    // within a few frames of the run (a frame is ~200 events at 100x)
    expect(Math.max(...seen.visible)).toBeGreaterThan(seen.events - 2000);
  }
});

test('a finger that scrolls the event log stops it following the run', async ({ page, pg }) => {
  await pg.open();
  await pg.run(420);
  const log = page.getByTestId('event-log');
  await expect(log).toBeVisible();
  const follow = page.getByTestId('log-follow');
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  const bottom = await log.evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(bottom).toBeGreaterThan(0);
  await expect.poll(() => log.evaluate((el) => el.scrollTop)).toBeGreaterThan(bottom - 2);
  // a real touch drag (Chromium's input pipeline, as a touch screen or whiteboard sends it)
  const box = (await log.boundingBox())!;
  const x = box.x + box.width / 2;
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', y: number) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: type === 'touchEnd' ? [] : [{ x, y }],
    });
  await touch('touchStart', box.y + 20);
  for (let dy = 10; dy <= 150; dy += 10) await touch('touchMove', box.y + 20 + dy);
  await touch('touchEnd', box.y + 170);
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  // (a touch scroll glides on a little after the finger lifts)
  let scrolled = -1;
  await expect
    .poll(async () => {
      const last = scrolled;
      scrolled = await log.evaluate((el) => el.scrollTop);
      return scrolled === last;
    })
    .toBe(true);
  expect(scrolled).toBeLessThan(bottom - 50);
  // the run goes on and the log stays where the finger left it
  await pg.run(200);
  expect(await log.evaluate((el) => el.scrollTop)).toBe(scrolled);
});

test('clicking a line of the event log travels to that event', async ({ page, pg }) => {
  await pg.open();
  await pg.run(420);
  const total = Number(await page.getByTestId('scrub-index').textContent());
  expect(total).toBeGreaterThan(25);
  const log = page.getByTestId('event-log');
  await expect(log).toBeVisible();

  // the first lines are above the fold after following the run: the wheel scrolls there
  // (and stops the log following the run), then a click on #10
  await log.hover();
  await page.mouse.wheel(0, -100_000);
  await expect(page.getByTestId('log-follow')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => log.evaluate((el) => el.scrollTop)).toBe(0);
  await page.getByTestId('log-row-9').click();
  await expect(page.getByTestId('scrub-index')).toHaveText('10');
  await expect(page.getByTestId('event-count')).toHaveText('10 events');
  await expect(page.getByTestId('log-row-9')).toHaveAttribute('aria-current', 'step');
  await expect(page.getByTestId('step-caption')).toContainText('#10 ·');
  // lines after it are the explored future, still listed
  await expect(page.getByTestId('log-row-12')).toHaveClass(/future/);

  // what the screen shows is exactly a fresh run of the same scenario stopped after 10 events
  const expected = await page.evaluate(() => {
    const pgw = (window as unknown as Hook).__playground;
    const sim = pgw.createSimulation(pgw.store.getState().exportScenario());
    for (let i = 0; i < 10; i++) sim.step();
    return sim.state().nodes.map((n) => [n.id, n.alive ? n.role : 'dead', String(n.term ?? '')]);
  });
  for (const [id, role, term] of expected) {
    await expect(pg.node(Number(id))).toHaveAttribute('data-role', String(role));
    await expect(pg.node(Number(id))).toHaveAttribute('data-term', String(term));
  }

  // and forward again, into the explored future
  await log.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.getByTestId(`log-row-${total - 3}`).click();
  await expect(page.getByTestId('scrub-index')).toHaveText(String(total - 2));
  await expect(page.getByTestId('scrubber')).toHaveAttribute('max', String(total));
});

test('a breakpoint on "leader elected" stops playback right after the electing event', async ({
  page,
  pg,
}) => {
  await pg.open();
  const expected = await page.evaluate(() => {
    const pgw = (window as unknown as Hook).__playground;
    const sim = pgw.createSimulation(pgw.store.getState().exportScenario());
    while (sim.leader === null) sim.step();
    return { index: sim.index, leader: sim.leader, term: sim.world.leaderTerm };
  });
  await page.getByTestId('side-tab-checks').click();
  await page.getByTestId('bp-leader').check();
  await page.evaluate(() => (window as unknown as Hook).__playground.store.getState().setSpeed(20));
  await page.getByTestId('play-toggle').click();
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('scrub-index')).toHaveText(String(expected.index));
  await expect(pg.status()).toHaveText(`★ Leader: node ${expected.leader}, term ${expected.term}`);
  await expect(page.getByTestId('bp-hit')).toContainText(
    `Stopped at #${expected.index}: node ${expected.leader} was elected leader of term ${expected.term}`,
  );
  await expect(page.getByTestId('toast')).toContainText('Stopped at a breakpoint');
  await expect(page.getByTestId('step-caption')).toContainText(`#${expected.index} ·`);
  await expect(page.locator(`[data-testid="log-row-${expected.index - 1}"]`)).toHaveClass(
    /elected/,
  );
});

test('manual delivery: two candidates split the vote in one term, then a new term begins', async ({
  page,
  pg,
}) => {
  await pg.open();
  // four nodes: a majority needs three votes
  await page.getByTestId('remove-node').click();
  await expect(pg.node(5)).toHaveCount(0);
  await page.getByTestId('side-tab-next').click();
  await page.getByTestId('manual-toggle').check();
  await expect(page.getByTestId('manual-toggle')).toBeChecked();

  // force two timeouts at once
  await page.getByTestId('fire-1-election').click();
  await page.getByTestId('fire-2-election').click();
  for (const id of [1, 2]) {
    await expect(pg.node(id)).toHaveAttribute('data-role', 'candidate');
    await expect(pg.node(id)).toHaveAttribute('data-term', '1');
  }
  const row = (from: number, to: number) =>
    page.locator(`[data-testid^="inflight-"][data-from="${from}"][data-to="${to}"]`);
  // each candidate's RequestVote reaches a different voter first
  await expect(row(1, 3)).toHaveAttribute('data-label', /RequestVote/);
  await row(1, 3)
    .getByRole('button', { name: /^Deliver/ })
    .click();
  await row(2, 4)
    .getByRole('button', { name: /^Deliver/ })
    .click();
  // then everything else, in the order listed
  const rows = page.locator('[data-testid^="inflight-"]');
  for (let guard = 0; guard < 30 && (await rows.count()) > 0; guard++)
    await rows
      .first()
      .getByRole('button', { name: /^Deliver/ })
      .click();
  await expect(rows).toHaveCount(0);

  // two candidates in term 1, neither with a majority, no leader
  for (const id of [1, 2]) {
    await expect(pg.node(id)).toHaveAttribute('data-role', 'candidate');
    await expect(pg.node(id)).toHaveAttribute('data-term', '1');
  }
  for (const id of [3, 4]) await expect(pg.node(id)).toHaveAttribute('data-role', 'follower');
  await expect(pg.status()).toHaveText(/^No leader · election in progress/);
  // the log, filtered to each voter's vote requests, says who voted for whom
  await page.getByTestId('bottom-tab-log').click();
  const log = page.getByTestId('event-log');
  await page.getByTestId('log-filter-type').selectOption('RequestVote');
  await page.getByTestId('log-filter-node').selectOption('3');
  await expect(page.getByTestId('log-count')).toContainText('2 of');
  await expect(log).toContainText('Node 3 votes for node 1 in term 1');
  await expect(log).toContainText('Node 3 refuses to vote for node 2 in term 1');
  await page.getByTestId('log-filter-node').selectOption('4');
  await expect(log).toContainText('Node 4 votes for node 2 in term 1');
  await page.getByTestId('log-filter-node').selectOption('');
  await page.getByTestId('log-filter-type').selectOption('');
  await pg
    .node(1)
    .locator('.body')
    .click({ modifiers: ['Shift'] });
  await page.getByTestId('side-tab-inspect').click();
  await expect(page.getByTestId('inspector')).toContainText('2 of 3 needed');
  const choices = Number(
    (await page.getByTestId('user-actions').textContent())?.match(/\d+/)?.[0] ?? 0,
  );
  expect(choices).toBeGreaterThanOrEqual(10);

  // the same choices replay exactly
  const splitAt = Number(await page.getByTestId('scrub-index').textContent());
  await page.getByTestId('replay').click();
  await expect(page.getByTestId('scrub-index')).toHaveText('0');
  await pg.run(0);
  await expect(page.getByTestId('scrub-index')).toHaveText(String(splitAt));
  for (const id of [1, 2]) await expect(pg.node(id)).toHaveAttribute('data-role', 'candidate');

  // with the clock running again, a timer fires: a new term
  await page.getByTestId('side-tab-next').click();
  await page.getByTestId('manual-toggle').uncheck();
  await page.evaluate(() => {
    const s = (window as unknown as Hook).__playground.store.getState();
    for (let i = 0; i < 100 && !s.sim.state().nodes.some((n) => (n.term ?? 0) >= 2); i++)
      s.runFor(5);
  });
  await expect(page.locator('[data-term="2"]').first()).toBeVisible();
  await expect(page.getByTestId('event-log')).toContainText('for term 2');
});

test('axe finds no serious problems in the debugger: checks, diagram, manual delivery, a payload', async ({
  page,
  pg,
}) => {
  const serious = async () =>
    (
      await new AxeBuilder({ page })
        .include('.side')
        .include('.bottom')
        .include('.scrubber')
        .analyze()
    ).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await pg.open();
  await pg.runUntilLeader();
  await page.evaluate(() => (window as unknown as Hook).__playground.store.getState().runFor(300));
  await page.keyboard.press('ArrowLeft');
  await page.getByTestId('side-tab-checks').click();
  await page.getByTestId('bottom-tab-timeline').click();
  await expect(page.getByTestId('timeline').locator('.tl-msg').first()).toBeAttached();
  expect(await serious()).toEqual([]);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByTestId('side-tab-next').click();
  await page.getByTestId('manual-toggle').check();
  await page.locator('[data-testid^="inflight-"] .next-what').first().click();
  await expect(page.getByTestId('message-payload')).toBeVisible();
  await page.getByTestId('bottom-tab-log').click();
  expect(await serious()).toEqual([]);
});
