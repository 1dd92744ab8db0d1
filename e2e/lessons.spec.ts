/**
 * Lessons and the payment story: every lesson plays from
 * its start to its end with its captions, Next / Back move between captions, playing
 * moves the caption with simulated time, and the payment lesson's duplicate-charge
 * counter shows 1 without fencing and 0 with it. At every caption, in six views (a
 * projector's 1024 x 768, 1280 x 720 and 1920 x 1080, in normal and presenter mode), what a
 * classroom sees is checked: the caption, its claims on screen, and that no panel over the
 * network view (status, legend, hint, payment board) covers a node or its labels.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { resizeWindow, settledOverlaps, SIZES, type View } from './views';
import {
  algorithms,
  createSimulation,
  lessons,
  playedLesson,
  type Lesson,
  type LessonStep,
} from '../algorithms/index';

type Hook = {
  __playground: {
    store: { getState(): { runFor(ms: number): void; sim: { index: number } } };
  };
};

async function startLesson(page: Page, lesson: Lesson) {
  await page.getByTestId('lessons-button').click();
  await page.getByTestId(`lesson-${lesson.name}`).click();
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect(page.getByTestId('lesson-name')).toHaveText(lesson.title);
}

const simIndex = (page: Page) =>
  page.evaluate(() => (window as unknown as Hook).__playground.store.getState().sim.index);

/** What the page shows that a caption can claim: the caption, the run's event, nodes, status. */
interface Shown {
  caption: string;
  index: number;
  status: string;
  nodes: Record<string, { role: string; term: string; votes: string }>;
}

/** Where the caption is: the lesson panel, or the presenter bar in presenter mode. */
const captionOf = (present: boolean) =>
  `[data-testid="${present ? 'presenter' : 'lesson'}-caption"]`;

/** What the page shows, its caption read from `caption` (a selector). */
const shown = (page: Page, caption: string) =>
  page.evaluate((caption): Shown => {
    const text = (e: Element | null) => e?.textContent ?? '';
    const nodes: Shown['nodes'] = {};
    for (const g of document.querySelectorAll('[data-testid^="node-"][data-role]'))
      nodes[g.getAttribute('data-testid')!.slice(5)] = {
        role: g.getAttribute('data-role') ?? '',
        term: g.getAttribute('data-term') ?? '',
        votes: text(g.querySelector('.vote-text')),
      };
    return {
      caption: text(document.querySelector(caption)),
      index: (window as unknown as Hook).__playground.store.getState().sim.index,
      status: text(document.querySelector('[data-testid="status-leader"]')),
      nodes,
    };
  }, caption);

/**
 * What differs between a caption's claims and what the page draws: the caption itself,
 * the run at the caption's event, each node's role (its data-role), the status line's
 * leader, a candidate's vote counter, a node's term. Empty when everything agrees.
 */
function unmet(step: LessonStep, got: Shown): string[] {
  const out: string[] = [];
  if (got.caption !== step.text) out.push(`caption "${got.caption}"`);
  if (got.index !== step.index) out.push(`at event ${got.index}, not ${step.index}`);
  for (const { claim } of step.claims) {
    const node = 'node' in claim && claim.node !== null ? got.nodes[String(claim.node)] : undefined;
    if (claim.kind === 'role') {
      const ok = claim.role === 'service' ? /^(service|system)$/ : new RegExp(`^${claim.role}$`);
      if (!ok.test(node?.role ?? ''))
        out.push(`node ${claim.node} is ${node?.role}, not ${claim.role}`);
    } else if (claim.kind === 'leader') {
      const ok =
        claim.node === null
          ? /^\W*No (leader|coordinator)/
          : new RegExp(`^\\W*(Leader|Coordinator): node ${claim.node}\\b`);
      if (!ok.test(got.status)) out.push(`status "${got.status}", not leader ${claim.node}`);
    } else if (claim.kind === 'votes') {
      if (!new RegExp(`^${claim.count} of \\d+ votes$`).test(node?.votes ?? ''))
        out.push(`node ${claim.node} shows "${node?.votes}", not ${claim.count} votes`);
    } else if (claim.kind === 'term') {
      if (node?.term !== String(claim.term))
        out.push(`node ${claim.node} in term ${node?.term}, not ${claim.term}`);
    }
  }
  return out;
}

/** The caption `step` and everything it claims are on screen (one poll of the page). */
async function claimsOnScreen(page: Page, step: LessonStep, caption: string) {
  await expect.poll(async () => unmet(step, await shown(page, caption)), step.text).toEqual([]);
}

/** The six views a caption is checked in: each size in normal mode, then in presenter mode. */
const VIEWS: View[] = [
  ...SIZES.map(([width, height]) => ({ width, height, present: false })),
  ...[...SIZES].reverse().map(([width, height]) => ({ width, height, present: true })),
];

/**
 * Does `move` (a click, a key, a resize; nothing for the first caption) and checks, once the
 * page shows the caption `step` in `view` and the picture has settled, that the caption's
 * claims hold on screen and no panel covers a node. The page waits for the caption itself,
 * so the move and the wait go together.
 */
async function checkCaption(
  page: Page,
  where: string,
  step: LessonStep,
  view: View,
  move: () => Promise<unknown> = async () => {},
) {
  const sel = captionOf(view.present);
  const [, got] = await Promise.all([
    move(),
    settledOverlaps(page, view, { until: { sel, text: step.text } }),
  ]);
  await claimsOnScreen(page, step, sel);
  const mode = view.present ? ', presenter mode' : '';
  expect(got, `${where} at ${view.width}x${view.height}${mode}`).toEqual([]);
}

/**
 * Plays one lesson through with Next, checks every caption, its claims and the view's
 * geometry on screen, the end, Back, and playback.
 *
 * Every caption is checked in all six views, a view at a time, as a class steps through a
 * lesson on one screen: forwards with Next at the projector's 1024 x 768, then back and
 * forth through the captions in each other view (normal mode with the panel's Next and
 * Back, presenter mode with N and B). Arriving at a caption by time travel at a fixed
 * size is what a class does; a resize for every caption and view cost most of this
 * spec's time.
 */
async function playThrough(page: Page, lesson: Lesson) {
  await startLesson(page, lesson);
  const played = playedLesson(lesson);
  const n = played.steps.length;
  const caption = page.getByTestId('lesson-caption');
  const at = (k: number) => `${lesson.name} step ${k + 1}`;
  // the panel's buttons: clicked, then pressed with Enter while the button keeps the focus
  // (a click costs the page about twice the work of a key)
  let focused = '';
  const click = (id: string) => () => {
    if (focused === id) return page.keyboard.press('Enter');
    focused = id;
    return page.getByTestId(id).click();
  };
  const key = (k: string) => () => {
    if (k === 'p') focused = ''; // the panel and its buttons leave, or come back unfocused
    return page.keyboard.press(k);
  };
  // the first view, forwards with Next: 1024 x 768, normal mode
  for (let k = 0; k < n; k++) {
    const next = k > 0 || played.steps[0].index > 0 ? click('lesson-next') : undefined;
    await checkCaption(page, at(k), played.steps[k], VIEWS[0], next);
  }
  await expect(page.getByTestId('lesson-progress')).toHaveText(`${n} of ${n}`);
  await click('lesson-next')();
  await expect(page.getByTestId('lesson-end')).toBeVisible();
  await expect(page.getByTestId('lesson-progress')).toHaveText('the end');
  await expect(page.getByTestId('lesson-next')).toBeDisabled();
  expect(await simIndex(page)).toBe(played.endIndex);
  if (lesson.algorithm === 'lease') await paymentChecks(page, lesson);
  // Back returns to the last caption (exact time travel); from there, the other five
  // views back and forth through the captions
  let k = n - 1;
  let move: () => Promise<unknown> = () =>
    Promise.all([click('lesson-back')(), resizeWindow(page, VIEWS[1].width, VIEWS[1].height)]);
  for (let v = 1; v < VIEWS.length; v++) {
    const view = VIEWS[v];
    const dir = v % 2 === 1 ? -1 : 1;
    for (;;) {
      await checkCaption(page, at(k), played.steps[k], view, move);
      if (k + dir < 0 || k + dir >= n) break;
      k += dir;
      move = view.present
        ? key(dir < 0 ? 'b' : 'n')
        : click(dir < 0 ? 'lesson-back' : 'lesson-next');
    }
    const after = VIEWS[v + 1];
    if (after?.present !== view.present) move = key('p');
    else move = () => resizeWindow(page, after.width, after.height);
  }
  // the last view is presenter mode at 1024 x 768 on the first caption: back to normal mode
  await checkCaption(page, at(k), played.steps[k], VIEWS[0], move);
  await expect(page.getByTestId('presenter-bar')).toBeHidden();
  // driven by time (the test hook runs it fast), the caption follows the run to the end
  await page.evaluate(
    (ms) => (window as unknown as Hook).__playground.store.getState().runFor(ms),
    lesson.until,
  );
  await expect(caption).toHaveText(played.steps[n - 1].text);
  await expect(page.getByTestId('lesson-end')).toBeVisible();
}

/**
 * The payment story's counters at the end of the lesson, against the payment service's
 * book in the same run computed in Node.
 */
async function paymentChecks(page: Page, lesson: Lesson) {
  const sim = createSimulation(lesson.scenario);
  sim.runUntil(lesson.until);
  const service = sim.state().nodes.find((n) => n.state === 'payment')!;
  const book = (service.context as { book: Record<string, number | boolean> }).book;
  await expect(page.getByTestId('payment-board')).toBeVisible();
  await expect(page.getByTestId('pay-fencing')).toHaveText(
    book.fencing ? 'fencing on' : 'fencing off',
  );
  await expect(page.getByTestId('pay-idempotent')).toHaveText(
    book.idempotent ? 'idempotent' : 'not idempotent',
  );
  await expect(page.getByTestId('pay-duplicates')).toHaveText(String(book.duplicates));
  await expect(page.getByTestId('pay-rejected')).toHaveText(String(book.rejected));
  await expect(page.getByTestId('pay-charges')).toHaveText(String(book.charges));
  expect(book.charges).toBeGreaterThan(5);
  await expect(page.getByTestId('store-revision')).toHaveText(/^revision \d+$/);
  // fencing tokens inside the workers: the second leader holds token 2 (node 3, or node 5
  // when nodes 1-3 are the store's Raft group)
  const replicated = (lesson.scenario.params as { storeNodes?: number }).storeNodes === 3;
  await expect(page.getByTestId(replicated ? 'node-5' : 'node-3').locator('.term')).toHaveText(
    'token 2',
  );
  await expect(page.getByTestId('node-1').locator('.term')).toHaveText(/^rev \d+$/);
  await expect(page.getByTestId('node-1').locator('.role-text')).toHaveText(
    replicated ? /^etcd 1 · STORE (LEADER|FOLLOWER)/ : /^etcd · STORE/,
  );
}

// the geometry check starts and ends each caption at the projector's size
test.use({ viewport: { width: SIZES[0][0], height: SIZES[0][1] } });

/**
 * Lessons per test: the workers share the tests, and each caption costs six views, so a
 * test of two lessons is about as long as the longest other spec; a second lesson in the
 * same page also starts from the end of the first.
 */
const PER_TEST = 2;

/**
 * The tests, from the registry (a new algorithm's lessons join by themselves): each
 * algorithm's lessons in groups of at most PER_TEST.
 */
const groups: [string, Lesson[]][] = algorithms.flatMap((a) => {
  const own = lessons.filter((l) => l.algorithm === a.name);
  const out: [string, Lesson[]][] = [];
  for (let k = 0; k < own.length; k += PER_TEST)
    out.push([
      `${a.title} lessons ${k + 1}-${Math.min(own.length, k + PER_TEST)} of ${own.length}`,
      own.slice(k, k + PER_TEST),
    ]);
  return out;
});

test('the lessons cover every algorithm', () => {
  expect(groups.reduce((n, [, list]) => n + list.length, 0)).toBe(lessons.length);
});

for (const [title, list] of groups) {
  test(`${title} play from start to end with their captions`, async ({ page, pg }) => {
    // several lessons, each caption checked on screen in six views: a budget per caption
    const captions = list.reduce((n, l) => n + playedLesson(l).steps.length, 0);
    test.setTimeout(60_000 + 20_000 * captions);
    expect(list.length).toBeGreaterThan(0);
    await pg.open();
    for (const lesson of list) await test.step(lesson.name, () => playThrough(page, lesson));
    // the lesson rides in the link; "explore freely" leaves it and keeps the run
    await expect
      .poll(() => page.evaluate(() => window.location.hash))
      .toContain(`&lesson=${list[list.length - 1].name}`);
    const before = await simIndex(page);
    await page.getByTestId('lesson-explore').click();
    await expect(page.getByTestId('lesson-panel')).toHaveCount(0);
    await expect(page.getByTestId('preset-picker')).toHaveValue('');
    expect(await simIndex(page)).toBe(before);
    await expect.poll(() => page.evaluate(() => window.location.hash)).not.toContain('&lesson=');
  });
}
