/**
 * Modes: presenter mode (P) renders large with captions at the
 * bottom and is driven by the keyboard alone; embed mode (#...&embed=1) shows only the
 * network view and the transport and answers the playback keys.
 */
import { expect, test } from './fixtures';
import { encodeFragment } from '../algorithms/scenario/url';
import { parseScenario } from '../algorithms/scenario/parse';
import { lessons, playedLesson } from '../algorithms/index';

const eventCount = async (text: string | null) =>
  Number(/([\d,]+) events/.exec(text ?? '')?.[1].replace(/,/g, ''));

test('presenter mode: large, captions at the bottom, keyboard only', async ({
  page,
  pg,
}, testInfo) => {
  const lesson = lessons.find((l) => l.name === 'lesson-raft-partition')!;
  const text = playedLesson(lesson).steps.map((s) => s.text);
  await pg.open();
  await page.getByTestId('lessons-button').click();
  await page.getByTestId(`lesson-${lesson.name}`).click();
  await expect(page.getByTestId('lesson-panel')).toBeVisible();

  await page.keyboard.press('p');
  const bar = page.getByTestId('presenter-bar');
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('share-button')).toBeHidden();
  await expect(page.getByTestId('lesson-panel')).toBeHidden();
  await expect(page.getByTestId('play-toggle')).toBeHidden();
  const caption = page.getByTestId('presenter-caption');
  await expect(caption).toHaveText(text[0]);
  const size = await caption.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(22);
  // nodes are drawn larger than in the normal view
  const r = await pg.body(1).getAttribute('r');
  expect(Number(r)).toBeGreaterThan(64);
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('&present=1');

  await page.keyboard.press('n');
  await expect(caption).toHaveText(text[1]);
  await expect(page.getByTestId('presenter-step')).toHaveText(`2 / ${lesson.captions.length}`);
  await page.keyboard.press('n');
  await expect(caption).toHaveText(text[2]);
  await page.keyboard.press('b');
  await expect(caption).toHaveText(text[1]);

  const clock = bar.locator('.pbar-clock small');
  const before = await eventCount(await clock.textContent());
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => eventCount(await clock.textContent())).toBe(before + 1);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => eventCount(await clock.textContent())).toBe(before);
  await page.keyboard.press(' ');
  await expect(clock).toContainText('▶ playing');
  await page.keyboard.press(' ');
  await expect(clock).toContainText('❚❚ paused');

  const shot = testInfo.outputPath('presenter-1280x720.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('presenter-1280x720', { path: shot, contentType: 'image/png' });

  // the link of this moment opens on the projector as it is: presenter mode, same caption
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('&lesson=');
  const link = await page.evaluate(() => window.location.href.replace('?paused', ''));
  const again = await page.context().newPage();
  await again.goto(link);
  await expect(again.getByTestId('presenter-bar')).toBeVisible();
  await expect(again.getByTestId('presenter-caption')).toHaveText(text[1]);
  await expect(again.getByTestId('share-button')).toBeHidden();
  await again.close();

  await page.keyboard.press('p');
  await expect(bar).toBeHidden();
  await expect(page.getByTestId('share-button')).toBeVisible();
  await expect(page.getByTestId('lesson-panel')).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.location.hash)).not.toContain('&present=1');
});

test('embed mode: only the network view and the transport, and the keys work', async ({
  page,
  pg,
}, testInfo) => {
  const scenario = parseScenario({
    v: 1,
    algorithm: 'raft',
    nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
    network: { latency: { min: 30, max: 60 } },
    seed: 2,
  }).scenario;
  await page.goto(`/?paused#${encodeFragment(scenario, { embed: true })}`);
  await expect(pg.node(1)).toBeVisible();
  await expect(page.getByTestId('topology')).toBeVisible();
  await expect(page.getByTestId('play-toggle')).toBeVisible();
  await expect(page.getByTestId('share-button')).toBeHidden();
  await expect(page.getByTestId('inspector')).toBeHidden();
  await expect(page.getByTestId('embed-open')).toBeVisible();

  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('event-count')).toHaveText('1 events');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('&embed=1');

  const shot = testInfo.outputPath('embed-1280x720.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('embed-1280x720', { path: shot, contentType: 'image/png' });

  // the way out opens the same run without embed
  const href = await page.getByTestId('embed-open').evaluate((a: HTMLAnchorElement) => {
    a.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    return a.href;
  });
  expect(href).toMatch(/#v1=/);
  expect(href).not.toContain('embed=1');
});

test('a 1024 x 768 projector: nothing runs off the page, and the status never covers the top node', async ({
  page,
  pg,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open();
  // mid-election: the status is at its longest and node 1 carries two label lines
  await page.evaluate(() =>
    (
      window as unknown as { __playground: { store: { getState(): { runFor(ms: number): void } } } }
    ).__playground.store
      .getState()
      .runFor(210),
  );
  await expect(page.getByTestId('status-leader')).toHaveText(/election in progress/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  for (const id of ['lat-min', 'lat-max', 'loss']) {
    const out = (await page.locator(`output[for="${id}"]`).boundingBox())!;
    expect(out.x + out.width).toBeLessThanOrEqual(1024);
  }
  const apart = async () => {
    const pill = (await page.getByTestId('status-leader').boundingBox())!;
    const label = (await page.locator('[data-testid="node-1"] .role-text').boundingBox())!;
    const top = (await page.getByTestId('node-1').boundingBox())!;
    return {
      overlap:
        pill.x < label.x + label.width &&
        label.x < pill.x + pill.width &&
        pill.y < label.y + label.height &&
        label.y < pill.y + pill.height,
      topInside: top.y >= 0,
    };
  };
  // once the view has fitted the longer status (a frame or two after the run moved)
  await expect.poll(apart).toEqual({ overlap: false, topInside: true });
  await page.keyboard.press('p');
  await expect(page.getByTestId('presenter-bar')).toBeVisible();
  await expect.poll(apart).toEqual({ overlap: false, topInside: true });
});
