/**
 * Classroom screens: the network view is one tab stop whose links are reached with the
 * arrows (and drawn focused along the line, not as a box), the space-time diagram zooms
 * about the pointer and keeps 41 lane labels apart, and embed mode at 640 x 400 shows the
 * whole transport.
 */
import { encodeFragment } from '../algorithms/scenario/url';
import { parseScenario } from '../algorithms/scenario/parse';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

type Hook = {
  __playground: {
    store: {
      getState(): {
        view: { cuts: Set<number> };
        load(s: unknown, o: { ask: boolean }): void;
        runFor(ms: number): void;
        play(): void;
        pause(): void;
        setSpeed(v: number): void;
      };
    };
  };
};

const inTopology = (page: Page) =>
  page.evaluate(() => {
    const a = document.activeElement;
    return {
      inside: !!a && !!a.closest('[data-testid="topology"]'),
      node: a?.getAttribute('data-node') ?? null,
      link: a?.getAttribute('data-link') ?? null,
      body: a === document.body,
    };
  });

function raft(n: number) {
  return {
    v: 1,
    algorithm: 'raft',
    params: {},
    nodes: Array.from({ length: n }, (_, i) => ({ id: i + 1 })),
    network: { latency: { min: 30, max: 60 }, loss: 0, fifo: false },
    seed: 2,
    actions: [],
  };
}

test('the network view is one tab stop: arrows reach a link, Enter cuts it, focus stays while it plays', async ({
  page,
  pg,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open();

  // Tab from the top of the page reaches the view once, on its first node, and leaves it
  let at = await inTopology(page);
  for (let i = 0; i < 80 && !at.inside; i++) {
    await page.keyboard.press('Tab');
    at = await inTopology(page);
  }
  expect(at).toMatchObject({ inside: true, node: '1' });
  await page.keyboard.press('Tab');
  expect((await inTopology(page)).inside).toBe(false);
  await page.keyboard.press('Shift+Tab');
  expect(await inTopology(page)).toMatchObject({ inside: true, node: '1' });

  // → to node 2, ↓ to its first link, → to its next one: 2-4, a diagonal
  await page.keyboard.press('ArrowRight');
  expect(await inTopology(page)).toMatchObject({ node: '2' });
  await page.keyboard.press('ArrowDown');
  expect(await inTopology(page)).toMatchObject({ link: '2-3' });
  await page.keyboard.press('ArrowRight');
  expect(await inTopology(page)).toMatchObject({ link: '2-4' });
  const hit = page.locator('[data-link="2-4"]');
  await expect(hit).toHaveAttribute('aria-label', 'Link 2-4, up');
  await expect(page.getByTestId('link-2-4').locator('.link-focus')).toHaveCSS('opacity', '1');

  // Enter cuts it, in the engine too; Enter again heals it; Space cuts it again
  const cuts = () =>
    page.evaluate(() => {
      const c = (window as unknown as Hook).__playground.store.getState().view.cuts;
      return [c.has(2 * 1024 + 4), c.has(4 * 1024 + 2)];
    });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('link-2-4')).toHaveAttribute('data-state', 'cut');
  expect(await cuts()).toEqual([true, true]);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('link-2-4')).toHaveAttribute('data-state', 'ok');
  expect(await cuts()).toEqual([false, false]);
  await page.keyboard.press(' ');
  expect(await cuts()).toEqual([true, true]);
  expect(await inTopology(page)).toMatchObject({ link: '2-4' });

  // while the run plays focus stays on the link (never on <body>); ↑ goes back to node 2
  await page.evaluate(() => {
    const s = (window as unknown as Hook).__playground.store.getState();
    s.setSpeed(2);
    s.play();
  });
  const samples = await page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const seen: string[] = [];
        const end = performance.now() + 1500;
        const timer = setInterval(() => {
          const a = document.activeElement;
          seen.push(a === document.body ? 'body' : (a?.getAttribute('data-link') ?? 'other'));
          // (a loaded machine may run few timers: ten samples at the least)
          if (performance.now() < end || seen.length < 10) return;
          clearInterval(timer);
          resolve(seen);
        }, 30);
      }),
  );
  expect(samples.length).toBeGreaterThanOrEqual(10);
  expect(new Set(samples)).toEqual(new Set(['2-4']));
  await page.keyboard.press('ArrowUp');
  expect(await inTopology(page)).toMatchObject({ node: '2' });
});

test('a focused diagonal link is outlined along the line, not with a box', async ({ page, pg }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open();
  const hit = page.getByTestId('link-2-4').locator('.link-hit');
  // a key press first, so that the browser shows focus as it does for keyboard users
  await page.keyboard.press('Shift');
  await hit.focus();
  // the focus is a band along the link: no outline box, the band covers the link's middle
  // and not the corners of its bounding box, and it is thin next to that box
  const look = await hit.evaluate((line: SVGLineElement) => {
    const g = line.parentElement as unknown as SVGGElement;
    const band = g.querySelector<SVGPathElement>('.link-focus');
    const x1 = line.x1.baseVal.value;
    const y1 = line.y1.baseVal.value;
    const x2 = line.x2.baseVal.value;
    const y2 = line.y2.baseVal.value;
    const pt = (x: number, y: number) => new DOMPoint(x, y);
    const box = band?.getBBox();
    return {
      outline: getComputedStyle(line).outlineStyle,
      groupOutline: getComputedStyle(g).outlineStyle,
      tag: band?.tagName ?? null,
      opacity: band ? getComputedStyle(band).opacity : null,
      middle: band?.isPointInFill(pt((x1 + x2) / 2, (y1 + y2) / 2)) ?? false,
      corners: band
        ? [band.isPointInFill(pt(x1, y2)), band.isPointInFill(pt(x2, y1))]
        : [true, true],
      diagonal: Math.abs(x2 - x1) > 100 && Math.abs(y2 - y1) > 100,
      bandArea: box ? box.width * box.height : 0,
      lineBox: Math.abs(x2 - x1) * Math.abs(y2 - y1),
      length: Math.hypot(x2 - x1, y2 - y1),
    };
  });
  expect(look.diagonal).toBe(true);
  expect(look.outline).toBe('none');
  expect(look.groupOutline).toBe('none');
  expect(look.tag).toBe('path');
  expect(look.opacity).toBe('1');
  expect(look.middle).toBe(true);
  expect(look.corners).toEqual([false, false]);
  expect(look.bandArea).toBeGreaterThan(0);

  await page.screenshot({ path: test.info().outputPath('link-focus-1024x768.png') });
});

/** The time under client x, read off the diagram's axis ticks (linear between the two farthest apart). */
async function timeAt(page: Page, clientX: number): Promise<{ t: number; usPerPx: number }> {
  return page.getByTestId('timeline').evaluate((host, cx) => {
    const ticks = [...host.querySelectorAll<SVGGElement>('.tl-axis .tick')]
      .map((g) => {
        const text = g.textContent ?? '';
        const v =
          /s$/.test(text) && !/ms$/.test(text) ? parseFloat(text) * 1e6 : parseFloat(text) * 1e3;
        const r = g.getBoundingClientRect();
        return { x: r.left + r.width / 2, v };
      })
      .filter((k) => Number.isFinite(k.v));
    const a = ticks[0];
    const b = ticks[ticks.length - 1];
    const usPerPx = (b.v - a.v) / (b.x - a.x);
    return { t: a.v + (cx - a.x) * usPerPx, usPerPx };
  }, clientX);
}

test('the space-time diagram zooms about the pointer, and 41 lane labels do not overlap', async ({
  page,
  pg,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open();
  await pg.runUntilLeader();
  await pg.run(400);
  await page.getByTestId('bottom-tab-timeline').click();
  const svg = page.getByTestId('timeline').locator('svg.timeline-svg');
  await expect(page.getByTestId('timeline').locator('.tl-msg').first()).toBeAttached();
  const box = (await svg.boundingBox())!;
  const y = box.y + box.height / 2;
  // wheel in, then out, at two places: the time under the pointer stays put
  for (const [fx, dy] of [
    [0.3, -300],
    [0.7, -200],
    [0.5, 400],
  ] as const) {
    const x = box.x + box.width * fx;
    await page.mouse.move(x, y);
    const before = await timeAt(page, x);
    await page.mouse.wheel(0, dy);
    await expect
      .poll(async () => (await timeAt(page, x)).usPerPx)
      .not.toBeCloseTo(before.usPerPx, 3);
    await page.waitForTimeout(250);
    const after = await timeAt(page, x);
    expect(after.usPerPx).not.toBeCloseTo(before.usPerPx, 3);
    // within a pixel of the finer of the two scales (plus the ticks' 1 ms rounding)
    expect(Math.abs(after.t - before.t)).toBeLessThanOrEqual(
      Math.min(after.usPerPx, before.usPerPx) + 1000,
    );
  }

  // 41 lanes: the labels shown are apart and readable, and hovering a lane names it
  await page.evaluate(
    (sc) => (window as unknown as Hook).__playground.store.getState().load(sc, { ask: false }),
    raft(41),
  );
  await pg.run(300);
  const labels = page.getByTestId('timeline').locator('.tl-lane-label');
  await expect(labels).toHaveCount(41);
  // the labels drawn are readable and apart, whether or not the pointer names a lane
  const apart = async () => {
    const shown = await labels.evaluateAll((els) =>
      els
        .filter((e) => {
          const cs = getComputedStyle(e);
          return cs.display !== 'none' && cs.visibility !== 'hidden' && Number(cs.opacity) > 0;
        })
        .map((e) => {
          const r = e.getBoundingClientRect();
          const size = parseFloat(getComputedStyle(e).fontSize);
          return { top: r.top, bottom: r.bottom, size, text: e.textContent };
        })
        .sort((x, y) => x.top - y.top),
    );
    expect(shown.length).toBeGreaterThanOrEqual(8);
    for (const l of shown) expect(l.size).toBeGreaterThanOrEqual(12);
    for (let i = 1; i < shown.length; i++)
      expect(shown[i].top, `${shown[i - 1].text} / ${shown[i].text}`).toBeGreaterThanOrEqual(
        shown[i - 1].bottom - 0.5,
      );
  };
  await page.mouse.move(1, 1);
  await apart();
  // a lane whose label is thinned out is named while the pointer is on it
  const hidden = await labels.evaluateAll((els) =>
    els.findIndex(
      (e) => getComputedStyle(e).opacity === '0' || getComputedStyle(e).display === 'none',
    ),
  );
  if (hidden >= 0) {
    const lane = page.getByTestId('timeline').locator('g.tl-lane').nth(hidden);
    const lb = (await lane.locator('line').boundingBox())!;
    await page.mouse.move(lb.x + lb.width / 2, lb.y + lb.height / 2);
    await expect(labels.nth(hidden)).toHaveCSS('opacity', '1');
    await apart();
  }
});

test('embed mode at 640 x 400 shows the speed and the clock whole', async ({ page, pg }) => {
  await page.setViewportSize({ width: 640, height: 400 });
  const scenario = parseScenario(raft(5)).scenario;
  await page.goto(`/?paused#${encodeFragment(scenario, { embed: true })}`);
  await expect(pg.node(1)).toBeVisible();
  for (const id of ['speed-slider', 'speed-value', 'sim-clock', 'event-count', 'play-toggle']) {
    const el = page.getByTestId(id);
    await expect(el).toBeVisible();
    const r = (await el.boundingBox())!;
    expect(r.x, id).toBeGreaterThanOrEqual(0);
    expect(r.y, id).toBeGreaterThanOrEqual(0);
    expect(r.x + r.width, id).toBeLessThanOrEqual(640);
    expect(r.y + r.height, id).toBeLessThanOrEqual(400);
    // nothing drawn over it: the element itself is on top at its centre and its corners
    const top = await el.evaluate((e) => {
      const b = e.getBoundingClientRect();
      const pts = [
        [b.left + b.width / 2, b.top + b.height / 2],
        [b.left + 2, b.top + 2],
        [b.right - 2, b.bottom - 2],
      ];
      return pts.every(([x, y]) => {
        const hit = document.elementFromPoint(x, y);
        return !!hit && (hit === e || e.contains(hit));
      });
    });
    expect(top, `${id} is not covered`).toBe(true);
  }
});
