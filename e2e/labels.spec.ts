/**
 * What a class reads on a projector (where the payment board goes is checked at every
 * lesson step in lessons.spec.ts): a message label (or the reason a message was
 * dropped) never lies over a node's circle, id, term, role or vote; every text in the
 * network view and the side panel, icons included, is at least 12 px on screen.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { encodeFragment } from '../algorithms/scenario/url';
import { parseScenario } from '../algorithms/scenario/parse';
import { findLesson } from '../algorithms/index';
import { raftScenario, screenSizes, under } from './views';

type Hook = {
  __playground: {
    store: { getState(): { runFor(ms: number): void; sim: { leader: number | null } } };
  };
};

/**
 * Runs the simulation in steps of `step` ms for up to `ms` (or until `stop` holds) and,
 * after each step, lists every shown message or drop label whose box touches a node's
 * circle, id, term, role or vote; counts the labels seen.
 */
async function labelCrossings(page: Page, ms: number, step: number, untilLeader: boolean) {
  // the message layer draws (and lists its labels) once it knows its size, which it learns
  // from a ResizeObserver a frame after the nodes show: the steps below run in one task, so
  // they would all draw into a layer that had not been sized yet on a busy machine
  await page.waitForFunction(
    () =>
      (document.querySelector('canvas.layer-anim') as { labelBoxes?: unknown } | null)
        ?.labelBoxes !== undefined,
  );
  return page.evaluate(
    ([limit, dt, leader]) => {
      type R = { x1: number; y1: number; x2: number; y2: number };
      type L = R & { text?: string; kind?: string };
      const s = (window as unknown as Hook).__playground.store.getState();
      const hit = (a: R, b: R) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
      const bad = new Set<string>();
      let seen = 0;
      let drops = 0;
      for (let t = 0; t < limit; t += dt) {
        s.runFor(dt);
        const canvas = document.querySelector('canvas.layer-anim') as HTMLCanvasElement & {
          labelBoxes?: L[];
        };
        const c = canvas.getBoundingClientRect();
        const labels = (canvas.labelBoxes ?? []).map((b) => ({
          ...b,
          x1: b.x1 + c.left,
          y1: b.y1 + c.top,
          x2: b.x2 + c.left,
          y2: b.y2 + c.top,
        }));
        seen += labels.length;
        drops += labels.filter((l) => l.kind === 'drop').length;
        for (const g of document.querySelectorAll('.layer-front g.node')) {
          const id = g.getAttribute('data-node');
          const body = g.querySelector('.body')!.getBoundingClientRect();
          const rad = body.width / 2;
          const cx = body.left + rad;
          const cy = body.top + rad;
          const parts = [...g.querySelectorAll('.nid, .term, .role-text, .vote-text')]
            .filter((e) => (e.textContent ?? '') !== '' && e.closest('[display="none"]') === null)
            .map((e) => {
              const r = e.getBoundingClientRect();
              return { e, b: { x1: r.left, y1: r.top, x2: r.right, y2: r.bottom } };
            })
            .filter((p) => p.b.x2 > p.b.x1);
          for (const l of labels) {
            const name = `${l.kind ?? 'message'} label "${l.text ?? '?'}"`;
            const nx = Math.max(l.x1, Math.min(cx, l.x2));
            const ny = Math.max(l.y1, Math.min(cy, l.y2));
            if ((nx - cx) ** 2 + (ny - cy) ** 2 < rad * rad) bad.add(`${name} covers node ${id}`);
            for (const p of parts)
              if (hit(l, p.b))
                bad.add(
                  `${name} covers node ${id}'s ${p.e.getAttribute('class')} "${p.e.textContent}"`,
                );
          }
        }
        if (leader && s.sim.leader !== null) break;
      }
      return { bad: [...bad], seen, drops };
    },
    [ms, step, untilLeader] as const,
  );
}

test('message and drop labels never cross a node or its labels at 1024 x 768', async ({
  page,
  pg,
}) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 1024, height: 768 });

  // the default scenario, from the start through its first election
  await pg.open();
  const first = await labelCrossings(page, 3000, 4, true);
  expect(first.seen).toBeGreaterThan(20);
  expect(first.bad).toEqual([]);

  // nine Raft nodes mid-election: vote requests and replies crossing everywhere
  const nine = raftScenario(9, { min: 40, max: 60 }, 3);
  await page.goto(`/?paused#${encodeFragment(nine)}`);
  await expect(pg.node(9)).toBeVisible();
  const crowd = await labelCrossings(page, 3000, 4, true);
  expect(crowd.seen).toBeGreaterThan(50);
  expect(crowd.bad).toEqual([]);

  // Bully's split brain: messages dropped at the partition say why, clear of the nodes
  const lesson = findLesson('lesson-bully-partition')!;
  const split = parseScenario(lesson.scenario).scenario;
  await page.goto(`/?paused#${encodeFragment(split)}`);
  await expect(pg.node(5)).toBeVisible();
  const bully = await labelCrossings(page, 3100, 5, false);
  expect(bully.seen).toBeGreaterThan(50);
  expect(bully.drops).toBeGreaterThan(0);
  expect(bully.bad).toEqual([]);
});

/** The message and drop labels drawn on the view's canvas now (its test hook). */
function labelsDrawn(): { id?: number; kind: string; text: string }[] {
  const canvas = document.querySelector('canvas.layer-anim') as HTMLCanvasElement & {
    labelBoxes?: { id?: number; kind: string; text: string }[];
  };
  return canvas.labelBoxes ?? [];
}

type Flight = {
  id: number;
  from: number;
  to: number;
  label: string;
  lost?: boolean;
  sentAt: number;
  deliverAt: number;
};
type Labelled = {
  __playground: {
    store: { getState(): { runFor(ms: number): void; now: number; view: { inFlight: Flight[] } } };
  };
};

test('a message whose label the crowded view leaves out is named by keyboard: its link, focused, names it and draws its label', async ({
  page,
  pg,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  const nine = raftScenario(9, { min: 40, max: 60 }, 3);
  await page.goto(`/?paused#${encodeFragment(nine)}`);
  await expect(pg.node(9)).toBeVisible();
  // mid-election: run until a message is in flight with no label on screen
  const m = await page.evaluate(() => {
    const store = (window as unknown as Labelled).__playground.store;
    for (let t = 0; t < 3000; t += 4) {
      store.getState().runFor(4);
      const canvas = document.querySelector('canvas.layer-anim') as HTMLCanvasElement & {
        labelBoxes?: { id?: number }[];
      };
      const shown = new Set((canvas.labelBoxes ?? []).map((b) => b.id));
      // half way along its link: not a label held back while it leaves or reaches a node
      const now = store.getState().now;
      const hidden = store
        .getState()
        .view.inFlight.find(
          (f) =>
            f.from !== f.to &&
            !f.lost &&
            !shown.has(f.id) &&
            Math.abs((now - f.sentAt) / (f.deliverAt - f.sentAt) - 0.5) < 0.15,
        );
      if (hidden) return { id: hidden.id, from: hidden.from, to: hidden.to, label: hidden.label };
    }
    return null;
  });
  expect(m, 'a message without a label on screen').not.toBeNull();
  const { from, to, label, id } = m!;

  // the keyboard: the sender, ↓ to its links, → along them to the receiver's
  await pg.node(from).focus();
  await page.keyboard.press('ArrowDown');
  for (let k = 0; k < (to - from - 1 + 9) % 9; k++) await page.keyboard.press('ArrowRight');
  const key = `${Math.min(from, to)}-${Math.max(from, to)}`;
  const hit = page.locator(`[data-link="${key}"]`);
  await expect(hit).toBeFocused();
  await expect(hit).toHaveAttribute(
    'aria-label',
    new RegExp(
      `in flight: .*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} from node ${from} to node ${to}`,
    ),
  );
  const drawn = await page.evaluate(labelsDrawn);
  expect(drawn.filter((b) => b.id === id).map((b) => b.kind)).toEqual(['focused']);
  // and clear of the nodes and their labels, as every label is
  const cross = await labelCrossings(page, 1, 1, false);
  expect(cross.bad).toEqual([]);

  // focus elsewhere: the link's name is its state again
  await page.keyboard.press('ArrowUp');
  await expect(hit).not.toBeFocused();
  await expect(hit).toHaveAttribute('aria-label', /^Link \d+-\d+, [a-z ]+$/);
});

test('at 1024 x 768 every text and icon in the view, the inspector and the side panel is at least 12 px', async ({
  page,
  pg,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open();
  await pg.run(210);
  await page.locator('.legend summary').click();
  await expect(page.locator('.legend ul').first()).toBeVisible();
  const places = '.network-wrap, .side';
  const election = await screenSizes(page, places, { icons: true });
  expect(election.some((x) => x.text === '✕')).toBe(true);
  expect(under(election, 12)).toEqual([]);

  // a node selected, a leader elected, a node killed and a link cut
  await pg.runUntilLeader();
  await page.keyboard.press('2');
  await page.keyboard.press('k');
  await expect(pg.node(2)).toHaveAttribute('data-alive', 'false');
  await page.keyboard.press('1');
  await expect(page.getByTestId('inspector')).toContainText('Node 1');
  await page.locator('.links-list summary').click();
  const node = await screenSizes(page, places, { icons: true });
  expect(node.some((x) => x.text.includes('★'))).toBe(true);
  expect(node.some((x) => /Believes leader/.test(x.text))).toBe(true);
  expect(under(node, 12)).toEqual([]);

  await page.getByRole('button', { name: 'Select the link between node 1 and node 3' }).click();
  await expect(page.getByTestId('inspector')).toContainText('Link 1 ↔ 3');
  await page.keyboard.press('c');
  await expect(page.getByTestId('link-ab')).toHaveText('dropped');
  const link = await screenSizes(page, places, { icons: true });
  expect(link.some((x) => x.text === '1 → 3')).toBe(true);
  expect(under(link, 12)).toEqual([]);

  // the log's lines and count, icons included
  await pg.run(500);
  const log = await screenSizes(page, '.log-scroll, [data-testid="log-count"]', { icons: true });
  expect(log.length).toBeGreaterThan(5);
  expect(under(log, 13)).toEqual([]);
});

type Loader = {
  __playground: {
    store: {
      getState(): { load(sc: unknown, opts: { ask: boolean }): void; kill(id: number): void };
    };
  };
};

test('at 1024 x 768 every text in the space-time diagram, the scrubber, the share dialog, the experiments panel and compare mode is at least 12 px', async ({
  page,
  pg,
}) => {
  test.setTimeout(90_000);
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open();

  // compare mode with a lesson's caption: both views, their titles and the transport bar
  await page.getByTestId('lessons-button').click();
  await page.getByTestId('lesson-compare-bully-raft-partition').click();
  await expect(page.getByTestId('compare-caption')).toBeVisible();
  await page.getByTestId('compare-next').click();
  const compare = await screenSizes(page, '.compare-stage, .compare-bar', { icons: true });
  expect(compare.some((x) => x.text === 'Bully')).toBe(true);
  expect(compare.some((x) => /event \d/.test(x.text))).toBe(true);
  expect(under(compare, 12)).toEqual([]);
  // and whole: no node's text runs past the edge of its view
  const cut = await page.evaluate(() => {
    const out: string[] = [];
    for (const view of document.querySelectorAll('.compare-pane .topology')) {
      const v = view.getBoundingClientRect();
      for (const t of view.querySelectorAll('g.node text')) {
        const r = t.getBoundingClientRect();
        if (r.width === 0 || !t.textContent) continue;
        if (r.left < v.left - 0.5 || r.right > v.right + 0.5) out.push(`"${t.textContent}"`);
      }
    }
    return out;
  });
  expect(cut).toEqual([]);
  await page.getByTestId('compare-leave').click();
  await expect(page.getByTestId('compare-stage')).toHaveCount(0);

  // 41 Raft nodes after an election and a crash: the diagram's lanes, axis, fault marks
  // and the scrubber's marks
  const many = raftScenario(41, { min: 5, max: 15 }, 1);
  await page.evaluate(
    (sc) => (window as unknown as Loader).__playground.store.getState().load(sc, { ask: false }),
    many,
  );
  await expect(pg.node(41)).toBeVisible();
  const leader = await pg.runUntilLeader();
  await page.evaluate(
    (id) => (window as unknown as Loader).__playground.store.getState().kill(id),
    leader,
  );
  await pg.runUntilLeader({ not: leader });
  await pg.run(100);
  await page.getByTestId('bottom-tab-timeline').click();
  await expect(page.getByTestId('timeline').locator('.tl-lane-label')).toHaveCount(41);
  await expect(page.getByTestId('timeline').locator('.tl-fault')).not.toHaveCount(0);
  const diagram = await screenSizes(page, '.timeline, .scrubber', { icons: true });
  expect(diagram.some((x) => x.text === 'node 41')).toBe(true);
  expect(diagram.some((x) => /\d ms$/.test(x.text))).toBe(true);
  expect(diagram.some((x) => x.text === '★')).toBe(true);
  expect(diagram.some((x) => x.text.startsWith('⚡'))).toBe(true);
  expect(under(diagram, 12)).toEqual([]);

  // the keyboard names a lane whose label is thinned out: ↓ ↓ on the focused diagram
  const lanes = page.getByTestId('timeline').locator('g.tl-lane');
  const svg = page.getByTestId('timeline').locator('svg.timeline-svg');
  await expect(lanes.nth(1)).toHaveClass(/thin/);
  await svg.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(lanes.nth(1)).toHaveClass(/hot/);
  await expect(lanes.nth(1).locator('text')).toHaveCSS('opacity', '1');
  await expect(svg).toHaveAttribute('aria-label', /lane of node 2$/);
  expect(await screenSizes(page, '.tl-lane.hot')).toEqual([{ text: 'node 2', px: 12 }]);

  // the share dialog
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-link')).toBeVisible();
  const share = await screenSizes(page, '[data-testid="share-dialog"]', { icons: true });
  expect(share.length).toBeGreaterThan(10);
  expect(under(share, 12)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('share-dialog')).toHaveCount(0);

  // the experiments panel: a small message-count run, then a small Figure 16 run
  await page.getByTestId('experiments-button').click();
  await expect(page.getByTestId('experiments-panel')).toBeVisible();
  const panel = '[data-testid="experiments-panel"]';
  await page.getByTestId('xp-tab-messages').click();
  await page.getByTestId('msg-ns').fill('4, 8');
  await page.getByTestId('msg-trials').fill('2');
  await page.getByTestId('xp-run').click();
  await expect(page.getByTestId('xp-status')).toHaveAttribute('data-status', 'done', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('msg-chart').locator('svg path').first()).toBeVisible();
  const messages = await screenSizes(page, panel, { icons: true });
  // the chart's own SVG text: its axis title, ticks and legend
  expect(messages.some((x) => x.text.startsWith('Cluster size n'))).toBe(true);
  expect(messages.some((x) => x.text.startsWith('Bully, lowest id'))).toBe(true);
  expect(under(messages, 12)).toEqual([]);

  await page.getByTestId('xp-tab-fig16').click();
  await page.getByTestId('fig16-lines').fill('150-175, 12-24');
  await page.getByTestId('fig16-trials').fill('20');
  await page.getByTestId('xp-run').click();
  await expect(page.getByTestId('xp-status')).toHaveAttribute('data-status', 'done', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('fig16-chart-top').locator('svg path').first()).toBeVisible();
  const fig16 = await screenSizes(page, panel, { icons: true });
  expect(fig16.some((x) => x.text.startsWith('Time without a leader'))).toBe(true);
  expect(fig16.some((x) => x.text === '150-175 ms')).toBe(true);
  expect(under(fig16, 12)).toEqual([]);
});
