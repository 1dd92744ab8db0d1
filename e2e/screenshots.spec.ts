/**
 * Screenshots of the main states (normal, election in progress, partition, dead node) at
 * a projector's 1024x768 and 1280x720 and at 1920x1080, attached to the Playwright report.
 */
import { expect, test } from './fixtures';

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

type Hook = {
  __playground: {
    store: {
      getState(): {
        runFor(ms: number): void;
        isolate(ids: number[]): void;
        kill(id: number): void;
        selectNode(id: number | null): void;
        sim: { leader: number | null };
        view: { nodes: { role: string; alive: boolean }[]; inFlight: { label: string }[] };
      };
    };
  };
};

for (const size of SIZES) {
  const tag = `${size.width}x${size.height}`;
  test.describe(tag, () => {
    test.use({ viewport: size });

    test(`main states look right at ${tag}`, async ({ page, pg }, testInfo) => {
      const shot = async (name: string) => {
        const path = testInfo.outputPath(`${name}-${tag}.png`);
        await page.screenshot({ path });
        await testInfo.attach(`${name}-${tag}`, { path, contentType: 'image/png' });
      };
      await pg.open();

      // election in progress: candidates asking for votes, requests in flight
      await page.evaluate(() => {
        const store = (window as unknown as Hook).__playground.store;
        const s = store.getState();
        for (let i = 0; i < 400; i++) {
          const v = store.getState().view;
          if (
            v.nodes.some((n) => n.role === 'candidate') &&
            v.inFlight.filter((m) => m.label.startsWith('RequestVote')).length >= 3
          )
            break;
          s.runFor(2);
        }
        s.runFor(12);
      });
      await expect(pg.status()).toHaveText(/election in progress/);
      await shot('election');

      // normal: a leader and its heartbeats
      const leader = await pg.runUntilLeader();
      await pg.run(160);
      await expect(pg.status()).toHaveText(`★ Leader: node ${leader}, term 1`);
      await shot('normal');

      // partition: the old leader isolated, the majority has a new one
      await page.evaluate((id) => {
        (window as unknown as Hook).__playground.store.getState().isolate([id]);
      }, leader);
      await pg.runUntilLeader({ not: leader });
      await pg.run(40);
      await expect(page.getByTestId('status-stale')).toBeVisible();
      await shot('partition');

      // dead node: heal, then kill the leader; a node selected shows the inspector
      await page.keyboard.press('h');
      await pg.run(400);
      const now = (await pg.leader()).id!;
      await page.evaluate((id) => {
        const s = (window as unknown as Hook).__playground.store.getState();
        s.kill(id);
        s.selectNode(id);
      }, now);
      await pg.runUntilLeader({ not: now });
      await pg.run(30);
      await expect(pg.node(now)).toHaveAttribute('data-role', 'dead');
      await shot('dead-node');

      // the node menu and the dark theme
      await pg.body(1).click();
      await expect(page.getByTestId('node-menu')).toBeVisible();
      await page.getByTestId('theme-toggle').click();
      await page.waitForTimeout(400); // let the colour transition finish
      await shot('menu-dark');
    });
  });
}
