/**
 * What a classroom sees on the network view: labels are readable on screen; message
 * labels do not pile up; a dead node's id stays legible and a lone node's role does not
 * cover its id. (That no panel over the view covers a node, at every lesson step, in six
 * views, is checked while the lessons play through: lessons.spec.ts.)
 */
import { expect, test } from './fixtures';
import { encodeFragment } from '../algorithms/scenario/url';
import { parseScenario } from '../algorithms/scenario/parse';
import { raftScenario, screenSizes, under } from './views';

type Hook = {
  __playground: {
    store: {
      getState(): {
        runFor(ms: number): void;
        view: { leader: number | null; inFlight: { kind: string }[] };
      };
    };
  };
};

// every check here is at a projector's size, the tightest fit
test.use({ viewport: { width: 1024, height: 768 } });

test('labels are readable at 1024 x 768: 12 px on the view, 13 px in the log, 18 px for the presenter', async ({
  page,
  pg,
}) => {
  await pg.open();
  // the header's pickers: every algorithm's name fits whole, and the preset picker shows
  // the chosen preset's name (the brand name gives way at this width)
  const cut = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLSelectElement>('header select')].flatMap((s) => {
      const cs = getComputedStyle(s);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = cs.font;
      // the text's room: the box less its padding and the drop-down arrow (about 20 px)
      const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
      const names =
        s.dataset.testid === 'algorithm-picker' ? [...s.options] : [s.selectedOptions[0]];
      return names
        .filter((o) => ctx.measureText(o.text).width > room)
        .map((o) => `${s.dataset.testid} cuts "${o.text}" (${Math.round(room)} px of room)`);
    }),
  );
  expect(cut).toEqual([]);
  // mid-election (votes, "voted for") and then with a leader (terms, roles)
  await pg.run(210);
  await page.locator('.legend summary').click();
  await expect(page.locator('.legend ul').first()).toBeVisible();
  // the legend's long lines (an algorithm's message names) wrap inside its box: none runs
  // past its border over the picture, and the box scrolls rather than leave the view
  const spills = await page.locator('.legend').evaluate((legend) => {
    const box = legend.getBoundingClientRect();
    const view = document.querySelector('.network-wrap')!.getBoundingClientRect();
    const out: string[] = [];
    if (box.bottom > view.bottom + 1 || box.top < view.top - 1) out.push('the box leaves the view');
    const walk = document.createTreeWalker(legend, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(t);
      for (const r of range.getClientRects())
        if (r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5))
          out.push(`"${t.textContent?.trim()}" ends at ${Math.round(r.right)} of ${box.right}`);
    }
    return out;
  });
  expect(spills).toEqual([]);
  const view = '.network-wrap';
  const mid = await screenSizes(page, view);
  expect(mid.some((x) => /voted for|votes/.test(x.text))).toBe(true);
  expect(under(mid, 12)).toEqual([]);
  await pg.runUntilLeader();
  const led = await screenSizes(page, view);
  expect(led.some((x) => /^term \d+$/.test(x.text))).toBe(true);
  expect(led.some((x) => x.text === 'LEADER')).toBe(true);
  expect(under(led, 12)).toEqual([]);
  // the log's lines and its count
  const log = await screenSizes(page, '.log-scroll, [data-testid="log-count"]');
  expect(log.length).toBeGreaterThan(5);
  expect(under(log, 13)).toEqual([]);

  // presenter mode: the key hints and the lesson title, and a leader badge on one line
  await page.getByTestId('lessons-button').click();
  await page.getByTestId('lesson-lesson-raft-partition').click();
  await page.keyboard.press('p');
  await expect(page.getByTestId('presenter-bar')).toBeVisible();
  for (let i = 0; i < 4; i++) await page.keyboard.press('n');
  await expect(pg.status()).toHaveText(/Leader: node \d+, term \d+/);
  const bar = await screenSizes(page, '.pbar-keys, .pbar-title');
  expect(bar.some((x) => x.text.includes('Raft'))).toBe(true);
  expect(under(bar, 18)).toEqual([]);
  const lines = await pg.status().evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
  });
  expect(lines).toBe(1);
});

test('message labels never overlap each other or a node, with nine Raft nodes broadcasting', async ({
  page,
  pg,
}) => {
  const scenario = raftScenario(9, { min: 40, max: 60 }, 3);
  await page.goto(`/?paused#${encodeFragment(scenario)}`);
  await expect(pg.node(9)).toBeVisible();
  await pg.runUntilLeader();
  // a moment with the leader's heartbeats in flight to all eight followers
  const crowded = await page.evaluate(() => {
    const s = (window as unknown as Hook).__playground.store.getState();
    for (let t = 0; t < 2000; t += 2) {
      s.runFor(2);
      const v = (window as unknown as Hook).__playground.store.getState().view;
      if (v.inFlight.filter((m) => m.kind === 'heartbeat').length >= 8) return true;
    }
    return false;
  });
  expect(crowded).toBe(true);
  const result = await page.evaluate(() => {
    type R = { x1: number; y1: number; x2: number; y2: number };
    const canvas = document.querySelector('canvas.layer-anim') as HTMLCanvasElement & {
      labelBoxes?: R[];
    };
    const c = canvas.getBoundingClientRect();
    const labels = (canvas.labelBoxes ?? []).map((b) => ({
      x1: b.x1 + c.left,
      y1: b.y1 + c.top,
      x2: b.x2 + c.left,
      y2: b.y2 + c.top,
    }));
    const hit = (a: R, b: R) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    const bad: string[] = [];
    labels.forEach((a, i) =>
      labels.forEach((b, j) => {
        if (i < j && hit(a, b)) bad.push(`labels ${i} and ${j} overlap`);
      }),
    );
    for (const body of document.querySelectorAll('.layer-front .node .body')) {
      const r = body.getBoundingClientRect();
      const rad = r.width / 2;
      const cx = r.left + rad;
      const cy = r.top + rad;
      labels.forEach((b, i) => {
        const nx = Math.max(b.x1, Math.min(cx, b.x2));
        const ny = Math.max(b.y1, Math.min(cy, b.y2));
        if ((nx - cx) ** 2 + (ny - cy) ** 2 < rad * rad) bad.push(`label ${i} covers a node`);
      });
    }
    return { count: labels.length, bad };
  });
  expect(result.count).toBeGreaterThanOrEqual(4);
  expect(result.bad).toEqual([]);
});

test('node labels: a dead node keeps its id legible, a lone node its id clear of its role', async ({
  page,
  pg,
}) => {
  const geometry = (id: number) =>
    pg.node(id).evaluate((g) => {
      type R = { x1: number; y1: number; x2: number; y2: number };
      const box = (e: Element | null): R | null => {
        if (!e || e.closest('[display="none"]')) return null;
        const r = e.getBoundingClientRect();
        return r.width === 0 ? null : { x1: r.left, y1: r.top, x2: r.right, y2: r.bottom };
      };
      const hit = (a: R | null, b: R | null) =>
        !!a && !!b && a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
      const nid = box(g.querySelector('.nid'));
      const lum = (c: string) => {
        const [r, gr, b] = (c.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0'])
          .slice(0, 3)
          .map((v) => Number(v) / 255)
          .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r + 0.7152 * gr + 0.0722 * b;
      };
      const fg = lum(getComputedStyle(g.querySelector('.nid')!).fill);
      const bg = lum(getComputedStyle(g.querySelector('.body')!).fill);
      const crosses = [...g.querySelectorAll('.cross')].filter(
        (c) => (c.getAttribute('d') ?? '') !== '' && getComputedStyle(c).display !== 'none',
      );
      return {
        crossOverId: crosses.some((c) => hit(box(c), nid)),
        roleOverId: hit(box(g.querySelector('.role-text')), nid),
        contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05),
        words: [...g.querySelectorAll('.term, .role-text')].map((t) => t.textContent),
      };
    });

  // a lone node: its role is drawn beside it, not over its id
  const one = parseScenario({
    v: 1,
    algorithm: 'raft',
    nodes: [{ id: 1 }],
    network: { latency: { min: 10, max: 20 } },
    seed: 1,
  }).scenario;
  await page.goto(`/?paused#${encodeFragment(one)}`);
  await expect(pg.node(1)).toBeVisible();
  expect((await geometry(1)).roleOverId).toBe(false);

  // a dead node: no cross over its id, which stays readable, and it says DEAD
  await pg.open();
  await pg.runUntilLeader();
  await page.keyboard.press('2');
  await page.keyboard.press('k');
  await expect(pg.node(2)).toHaveAttribute('data-alive', 'false');
  const dead = await geometry(2);
  expect(dead.crossOverId).toBe(false);
  expect(dead.roleOverId).toBe(false);
  expect(dead.contrast).toBeGreaterThanOrEqual(4.5);
  expect(dead.words).toContain('DEAD');
});
