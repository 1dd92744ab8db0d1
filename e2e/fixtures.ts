/**
 * Shared Playwright fixtures: every test fails on an uncaught page error or a console
 * error, and gets helpers that drive the playground through its test hook
 * (window.__playground, present only in automated browsers) instead of waiting in real
 * time.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export interface Pg {
  /** Opens the playground paused (time only moves when a test says so). */
  open(query?: string): Promise<void>;
  /** Advances simulated time by `ms` at once. */
  run(ms: number): Promise<void>;
  /** Runs until the cluster's leader is someone other than `not` (or anyone). */
  runUntilLeader(opts?: { not?: number | null; withinMs?: number }): Promise<number>;
  leader(): Promise<{ id: number | null; term?: number }>;
  node(id: number): Locator;
  /** The node's body circle: what a user clicks. */
  body(id: number): Locator;
  status(): Locator;
}

type HookWindow = {
  __playground: {
    store: {
      getState(): {
        runFor(ms: number): void;
        view: { leader: number | null; leaderTerm?: number };
        sim: { leader: number | null; now: number; nextEventTime(): number | undefined };
        pause(): void;
      };
    };
  };
};

export const test = base.extend<{ pg: Pg; errors: string[] }>({
  errors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
      });
      await use(errors);
      expect(errors, 'no uncaught page errors or console errors').toEqual([]);
    },
    { auto: true },
  ],
  pg: async ({ page }, use) => {
    const pg: Pg = {
      async open(query = 'paused') {
        await page.goto(`/?${query}`);
        await expect(page.getByTestId('node-1')).toBeVisible();
      },
      async run(ms) {
        await page.evaluate((t) => {
          (window as unknown as HookWindow).__playground.store.getState().runFor(t);
        }, ms);
      },
      async runUntilLeader({ not, withinMs = 5000 } = {}) {
        return page.evaluate(
          ([avoid, limit]) => {
            const s = (window as unknown as HookWindow).__playground.store.getState();
            const ok = () => s.sim.leader !== null && (avoid === null || s.sim.leader !== avoid);
            for (let t = 0; t < limit && !ok(); t += 10) s.runFor(10);
            return s.sim.leader ?? -1;
          },
          [not ?? null, withinMs] as const,
        );
      },
      async leader() {
        return page.evaluate(() => {
          const v = (window as unknown as HookWindow).__playground.store.getState().view;
          return { id: v.leader, term: v.leaderTerm };
        });
      },
      node: (id) => page.getByTestId(`node-${id}`),
      body: (id) => page.getByTestId(`node-${id}`).locator('.body'),
      status: () => page.getByTestId('status-leader'),
    };
    await use(pg);
  },
});

export { expect };

/** Opens the menu of node `id` by clicking it. */
export async function openNodeMenu(page: Page, pg: Pg, id: number): Promise<Locator> {
  await pg.body(id).click();
  const menu = page.getByTestId('node-menu');
  await expect(menu).toBeVisible();
  return menu;
}
