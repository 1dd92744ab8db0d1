import { expect, test } from './fixtures';
test('agree', async ({ page, pg }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await pg.open();
  await page.getByTestId('play-toggle').click();
  const r = await page.evaluate(async () => {
    const txt = (sel: string) => (document.querySelector(sel)?.textContent ?? '').replace(/[^0-9 ]/g, ' ').trim().split(/\s+/)[0];
    const out: string[] = [];
    let frames = 0, bad = 0;
    const t0 = performance.now();
    await new Promise<void>((res) => {
      const go = () => {
        frames++;
        const a = txt('[data-testid="scrub-index"]'), b = txt('[data-testid="event-count"]'), c = txt('[data-testid="log-count"]');
        if (a !== b || b !== c) { bad++; if (out.length < 8) out.push(`${a}/${b}/${c}`); }
        if (performance.now() - t0 < 4000) requestAnimationFrame(go); else res();
      };
      requestAnimationFrame(go);
    });
    return { frames, bad, out };
  });
  console.log('AGREE', JSON.stringify(r));
  expect(r.frames).toBeGreaterThan(0);
});
