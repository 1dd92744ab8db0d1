import { test } from './fixtures';

test.use({ viewport: { width: 1024, height: 768 } });

test('compare screenshots', async ({ page, pg }) => {
  await pg.open('paused');
  const t0 = Date.now();
  const log = (m: string) => console.log(m, Date.now() - t0);
  await page.getByTestId('lessons-button').click();
  await page.getByTestId('lesson-compare-ring-variants').click();
  log('ring started');
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('compare-next').click();
    log('next');
  }
  await page.waitForTimeout(400);
  await page.screenshot({ path: '.scratch/compare-ring.png' });
  await page.getByTestId('lessons-button').click();
  log('dialog');
  await page.getByTestId('lesson-compare-bully-raft-partition').click();
  log('bully started');
  for (let i = 0; i < 4; i++) await page.getByTestId('compare-next').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: '.scratch/compare-normal.png' });
  await page.keyboard.press('p');
  await page.waitForTimeout(400);
  await page.screenshot({ path: '.scratch/compare-present.png' });
  log('done');
});
