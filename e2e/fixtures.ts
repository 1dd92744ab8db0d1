/**
 * Shared Playwright fixtures: every test fails on an uncaught page error or a console
 * error, and gets helpers that drive the playground through its test hook
 * (window.__playground, present only in automated browsers) instead of waiting in real
 * time.
 *
 * Each worker keeps one tab and hands it to test after test, reset as a new one would
 * be (see `ReusedTab`): a new page costs a new renderer process, about 1 s of the two
 * cores per test, and reloading the app in the same tab starts from the same cache.
 */
import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type TestInfo,
  type ViewportSize,
} from '@playwright/test';
import { releaseWindow } from './views';

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

/**
 * The worker's reused tab. Before each test it is as a new page: no other page in its
 * context, no listeners or routes left by the last test, at about:blank with the site's
 * storage (local, session, IndexedDB, caches, cookies) cleared, the test's viewport (and
 * no window size left by `resizeWindow`), permissions and default media, and the mouse at
 * the corner. A test that failed leaves its context to be closed: the next test gets a
 * new one, and so does a retry (which records a trace) and every test of a project that
 * allows service workers, whose state a reset cannot clear as surely.
 */
class ReusedTab {
  private context: BrowserContext | null = null;
  private page: Page | null = null;

  constructor(
    private readonly browser: Browser,
    private readonly baseURL: string,
  ) {}

  async take(viewport: ViewportSize | null, permissions: string[] | undefined): Promise<Page> {
    if (this.page === null || this.page.isClosed()) {
      await this.context?.close();
      this.context = await this.browser.newContext({
        baseURL: this.baseURL,
        serviceWorkers: 'block',
      });
      this.page = await this.context.newPage();
    }
    const page = this.page;
    const context = this.context!;
    page.removeAllListeners();
    await releaseWindow(page);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.mouse.move(0, 0);
    await page.goto('about:blank');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', {
      origin: new URL(this.baseURL).origin,
      storageTypes: 'all',
    });
    await cdp.detach();
    await context.clearCookies();
    await context.clearPermissions();
    if (permissions?.length) await context.grantPermissions(permissions);
    await page.setViewportSize(viewport ?? { width: 1280, height: 720 });
    await page.emulateMedia({
      media: null,
      colorScheme: 'light',
      reducedMotion: 'no-preference',
      forcedColors: 'none',
    });
    return page;
  }

  /** After a test: other pages close; a failed test's context closes with them. */
  async give(passed: boolean): Promise<void> {
    if (this.context === null) return;
    if (!passed) {
      await this.context.close().catch(() => {});
      this.context = null;
      this.page = null;
      return;
    }
    for (const p of this.context.pages()) if (p !== this.page) await p.close();
  }

  async close(): Promise<void> {
    await this.context?.close().catch(() => {});
  }
}

/** Whether a test may have the worker's reused tab (see `ReusedTab`). */
const reuses = (info: TestInfo) =>
  info.retry === 0 && info.project.use.serviceWorkers === 'block' && !!info.project.use.baseURL;

export const test = base.extend<{ pg: Pg; errors: string[] }, { tab: ReusedTab | null }>({
  tab: [
    async ({ browser }, use, info) => {
      const baseURL = info.project.use.baseURL;
      const tab = baseURL ? new ReusedTab(browser, baseURL) : null;
      await use(tab);
      await tab?.close();
    },
    { scope: 'worker' },
  ],
  page: async ({ tab, context, viewport, permissions }, use, info) => {
    if (tab === null || !reuses(info)) {
      await use(await context.newPage());
      return;
    }
    await use(await tab.take(viewport, permissions));
    await tab.give(info.status === info.expectedStatus);
  },
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

/** Opens the playground (paused unless `query` says otherwise) and its experiments panel. */
export async function openPanel(page: Page, query = 'paused'): Promise<void> {
  await page.goto(`/?${query}`);
  await expect(page.getByTestId('node-1')).toBeVisible();
  await page.getByTestId('experiments-button').click();
  await expect(page.getByTestId('experiments-panel')).toBeVisible();
}

/** Opens the menu of node `id` by clicking it. */
export async function openNodeMenu(page: Page, pg: Pg, id: number): Promise<Locator> {
  await pg.body(id).click();
  const menu = page.getByTestId('node-menu');
  await expect(menu).toBeVisible();
  return menu;
}
