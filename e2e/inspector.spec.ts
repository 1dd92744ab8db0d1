/**
 * The inspector's machine context reads as the algorithm declares it: durations that the
 * machine keeps in microseconds are shown in ms with the unit, and the parameters are
 * listed after the state.
 */
import { expect, test } from './fixtures';

type Hook = {
  __playground: {
    store: { getState(): { view: { byId: Map<number, { context: Record<string, unknown> }> } } };
  };
};

test('context durations are shown in ms with their unit, parameters last', async ({ page, pg }) => {
  await pg.open();
  await pg.run(400);
  await page.keyboard.press('1');
  await page.getByTestId('side-tab-inspect').click();
  const table = page.getByTestId('machine-context');
  await expect(table).toBeVisible();
  const ctx = await page.evaluate(
    () => (window as unknown as Hook).__playground.store.getState().view.byId.get(1)!.context,
  );
  const row = (k: string) => table.locator('tr', { has: page.locator(`th:text-is("${k}")`) });
  // the machine holds µs; the table says ms
  expect(ctx.electionMin).toBeGreaterThanOrEqual(1000);
  await expect(row('electionMin').locator('td')).toHaveText(
    `${(ctx.electionMin as number) / 1000} ms`,
  );
  await expect(row('heartbeat').locator('td')).toHaveText(`${(ctx.heartbeat as number) / 1000} ms`);
  // a count is not a duration
  await expect(row('term').locator('td')).toHaveText(String(ctx.term));
  // parameters come after the state
  const names = await table.locator('th').allTextContents();
  const at = (k: string) => names.findIndex((n) => n.trim().endsWith(k));
  expect(at('term')).toBeLessThan(at('electionMin'));
  await expect(row('electionMin')).toHaveClass(/config/);
});

test('the inspector and the machine panel show the same timer, due when the engine says', async ({
  page,
  pg,
}) => {
  await pg.open();
  await pg.run(400);
  await page.keyboard.press('1');
  await page.getByTestId('side-tab-inspect').click();
  const due = await page.evaluate(() => {
    const v = (
      window as unknown as {
        __playground: {
          store: {
            getState(): { view: { byId: Map<number, { timers: { id: string; due: number }[] }> } };
          };
        };
      }
    ).__playground.store.getState().view;
    return v.byId.get(1)!.timers[0];
  });
  const readouts = page.getByTestId(`timer-${due.id}`);
  await expect(readouts).toHaveCount(2);
  const texts = await readouts.allTextContents();
  const when = (t: string) => /due at .*$/.exec(t)?.[0];
  expect(when(texts[0])).toBe(when(texts[1]));
  for (const t of texts)
    expect(t).toContain(
      `due at ${(due.due / 1000).toFixed(3)} ms (in ${((due.due - 400_000) / 1000).toFixed(1)} ms)`,
    );
});

test("a focused node's ring is as thick on screen as a button's focus outline", async ({
  page,
  pg,
}) => {
  await pg.open();
  await page.keyboard.press('Tab');
  await page.getByTestId('node-2').focus();
  const ring = page.getByTestId('node-2').locator('.focus-ring');
  await expect(ring).toHaveCSS('opacity', '1');
  await expect(ring).toHaveCSS('vector-effect', 'non-scaling-stroke');
  const width = await ring.evaluate((e) => getComputedStyle(e).strokeWidth);
  await page.getByTestId('play-toggle').focus();
  const outline = await page
    .getByTestId('play-toggle')
    .evaluate((e) => getComputedStyle(e).outlineWidth);
  expect(width).toBe(outline);
  expect(parseFloat(width)).toBeGreaterThanOrEqual(3);
});
