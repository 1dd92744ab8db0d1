/**
 * Lessons and the payment story: every lesson plays from
 * its start to its end with its captions, Next / Back move between captions, playing
 * moves the caption with simulated time, and the payment lesson's duplicate-charge
 * counter shows 1 without fencing and 0 with it. At every caption, what a classroom sees
 * is checked in one pass: the caption, its claims on screen, and that no panel over the
 * network view (status, legend, hint, payment board) covers a node or its labels, at a
 * projector's 1024 x 768, at 1280 x 720 and 1920 x 1080, in normal and presenter mode.
 */
import type { Page } from '@playwright/test';
import { expect, test, type Pg } from './fixtures';
import { boardPlace, overlapsAt, SIZES } from './views';
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

/**
 * Checks a caption's claims against what the page draws at that moment: each node's role
 * (its data-role), the status line's leader, a candidate's vote counter.
 */
async function claimsOnScreen(page: Page, pg: Pg, step: LessonStep) {
  for (const { claim } of step.claims) {
    if (claim.kind === 'role') {
      const role = claim.role === 'service' ? /^(service|system)$/ : claim.role;
      await expect(pg.node(claim.node), step.text).toHaveAttribute('data-role', role);
    } else if (claim.kind === 'leader') {
      await expect(pg.status(), step.text).toHaveText(
        claim.node === null
          ? /^\W*No (leader|coordinator)/
          : new RegExp(`^\\W*(Leader|Coordinator): node ${claim.node}\\b`),
      );
    } else if (claim.kind === 'votes') {
      await expect(pg.node(claim.node).locator('.vote-text'), step.text).toHaveText(
        new RegExp(`^${claim.count} of \\d+ votes$`),
      );
    } else if (claim.kind === 'term') {
      await expect(pg.node(claim.node), step.text).toHaveAttribute('data-term', String(claim.term));
    }
  }
}

/**
 * No panel covers a node at `sizes` in normal mode, then the same sizes in presenter mode
 * (its caption showing `text`). Starts and ends at 1024 x 768 in normal mode, so the
 * playthrough always steps with the lesson panel's Next.
 */
async function noPanelCoversANode(
  page: Page,
  where: string,
  text: string,
  sizes: readonly (readonly [number, number])[],
) {
  const check = async (width: number, height: number, present: boolean) => {
    const got = await overlapsAt(page, { width, height, present });
    // the payment board, where there is one, also stays inside the view and off the other panels
    got.push(...(await boardPlace(page)).bad);
    expect(got, `${where} at ${width}x${height}${present ? ', presenter mode' : ''}`).toEqual([]);
  };
  for (const [w, h] of sizes) await check(w, h, false);
  await page.keyboard.press('p');
  await expect(page.getByTestId('presenter-caption')).toHaveText(text);
  for (const [w, h] of [...sizes].reverse()) await check(w, h, true);
  await page.keyboard.press('p');
  await expect(page.getByTestId('presenter-bar')).toBeHidden();
}

/**
 * Plays one lesson through with Next, checks every caption, its claims and the view's
 * geometry on screen, the end, Back, and playback.
 */
async function playThrough(page: Page, pg: Pg, lesson: Lesson) {
  await startLesson(page, lesson);
  const played = playedLesson(lesson);
  const n = played.steps.length;
  const caption = page.getByTestId('lesson-caption');
  for (let k = 0; k < n; k++) {
    if (k > 0 || played.steps[0].index > 0) await page.getByTestId('lesson-next').click();
    await expect(caption).toHaveText(played.steps[k].text);
    expect(await simIndex(page)).toBe(played.steps[k].index);
    await claimsOnScreen(page, pg, played.steps[k]);
    // every step at the projector's 1024 x 768 (the tightest fit), normal and presenter;
    // the first and last steps also at 1280 x 720 and 1920 x 1080: six views at every
    // step made the suite 4 minutes longer
    await noPanelCoversANode(
      page,
      `${lesson.name} step ${k + 1}`,
      played.steps[k].text,
      k === 0 || k === n - 1 ? SIZES : SIZES.slice(0, 1),
    );
  }
  await expect(page.getByTestId('lesson-progress')).toHaveText(`${n} of ${n}`);
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-end')).toBeVisible();
  await expect(page.getByTestId('lesson-progress')).toHaveText('the end');
  await expect(page.getByTestId('lesson-next')).toBeDisabled();
  expect(await simIndex(page)).toBe(played.endIndex);
  if (lesson.algorithm === 'lease') await paymentChecks(page, lesson);
  // Back returns to the last caption (exact time travel)
  await page.getByTestId('lesson-back').click();
  await expect(caption).toHaveText(played.steps[n - 1].text);
  expect(await simIndex(page)).toBe(played.steps[n - 1].index);
  await claimsOnScreen(page, pg, played.steps[n - 1]);
  // driven by time (the test hook runs it fast), the caption follows the run
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
    for (const lesson of list) await test.step(lesson.name, () => playThrough(page, pg, lesson));
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
