/**
 * Issue 7 (lessons) and issue 9 (the payment story) acceptance: every lesson plays from
 * its start to its end with its captions, Next / Back move between captions, playing
 * moves the caption with simulated time, and the payment lesson's duplicate-charge
 * counter shows 1 without fencing and 0 with it.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createSimulation, lessons, type Lesson } from '../algorithms/index';

type Hook = {
  __playground: {
    store: { getState(): { runFor(ms: number): void; sim: { now: number } } };
  };
};

async function startLesson(page: Page, lesson: Lesson) {
  await page.getByTestId('lessons-button').click();
  await page.getByTestId(`lesson-${lesson.name}`).click();
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect(page.getByTestId('lesson-name')).toHaveText(lesson.title);
}

const simNow = (page: Page) =>
  page.evaluate(() => (window as unknown as Hook).__playground.store.getState().sim.now);

/** Plays one lesson through with Next, checks every caption, the end, Back, and time-driven captions. */
async function playThrough(page: Page, lesson: Lesson) {
  await startLesson(page, lesson);
  const n = lesson.captions.length;
  const caption = page.getByTestId('lesson-caption');
  for (let k = 0; k < n; k++) {
    if (k > 0 || lesson.captions[0].at > 0) await page.getByTestId('lesson-next').click();
    await expect(caption).toHaveText(lesson.captions[k].text);
  }
  await expect(page.getByTestId('lesson-progress')).toHaveText(`${n} of ${n}`);
  expect(await simNow(page)).toBe(Math.round(lesson.captions[n - 1].at * 1000));
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-end')).toBeVisible();
  await expect(page.getByTestId('lesson-progress')).toHaveText('the end');
  await expect(page.getByTestId('lesson-next')).toBeDisabled();
  expect(await simNow(page)).toBe(lesson.until * 1000);
  if (lesson.algorithm === 'lease') await paymentChecks(page, lesson);
  // Back returns to the last caption (replayed exactly)
  await page.getByTestId('lesson-back').click();
  await expect(caption).toHaveText(lesson.captions[n - 1].text);
  expect(await simNow(page)).toBe(Math.round(lesson.captions[n - 1].at * 1000));
  // driven by time (the test hook runs it fast), the caption follows the clock
  await page.evaluate(
    (ms) => (window as unknown as Hook).__playground.store.getState().runFor(ms),
    lesson.until,
  );
  await expect(caption).toHaveText(lesson.captions[n - 1].text);
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
  // fencing tokens inside the workers: node 3 leads with token 2
  await expect(page.getByTestId('node-3').locator('.term')).toHaveText('token 2');
  await expect(page.getByTestId('node-1').locator('.term')).toHaveText(/^rev \d+$/);
  await expect(page.getByTestId('node-1').locator('.role-text')).toHaveText(/^etcd · STORE/);
}

const groups: [string, Lesson[]][] = [
  ['Raft lessons', lessons.filter((l) => l.algorithm === 'raft')],
  [
    'Bully and Ring lessons',
    lessons.filter((l) => l.algorithm === 'bully' || l.algorithm === 'ring'),
  ],
  ['Payment lessons', lessons.filter((l) => l.algorithm === 'lease')],
];

test('the lessons cover every algorithm', () => {
  expect(groups.reduce((n, [, list]) => n + list.length, 0)).toBe(lessons.length);
});

for (const [title, list] of groups) {
  test(`${title} play from start to end with their captions`, async ({ page, pg }) => {
    expect(list.length).toBeGreaterThan(0);
    await pg.open();
    for (const lesson of list) await test.step(lesson.name, () => playThrough(page, lesson));
    // the lesson rides in the link; "explore freely" leaves it and keeps the run
    await expect
      .poll(() => page.evaluate(() => window.location.hash))
      .toContain(`&lesson=${list[list.length - 1].name}`);
    const before = await simNow(page);
    await page.getByTestId('lesson-explore').click();
    await expect(page.getByTestId('lesson-panel')).toHaveCount(0);
    await expect(page.getByTestId('preset-picker')).toHaveValue('');
    expect(await simNow(page)).toBe(before);
    await expect.poll(() => page.evaluate(() => window.location.hash)).not.toContain('&lesson=');
  });
}
