/**
 * Links and files: a run built by clicking reopens exactly (same
 * trace hash, same screen) from its link in a fresh browser context; broken links show
 * the banner with the right message and never break the page; labels from a link are
 * text; an exported scenario file imported elsewhere reproduces the run.
 */
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import type { Browser, Page } from '@playwright/test';
import { expect, openNodeMenu, test, type Pg } from './fixtures';
import { raftScenario } from './views';
import { encodeFragment } from '../algorithms/scenario/url';
import { parseScenario } from '../algorithms/scenario/parse';
import { createSimulation } from '../algorithms/index';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

type Hook = {
  __playground: {
    store: {
      getState(): {
        sim: { traceHash(): string; index: number; now: number; leader: number | null };
        runToEvent(i: number): void;
        runFor(ms: number): void;
      };
    };
  };
};

async function runState(page: Page) {
  return page.evaluate(() => {
    const s = (window as unknown as Hook).__playground.store.getState();
    return { hash: s.sim.traceHash(), index: s.sim.index, now: s.sim.now, leader: s.sim.leader };
  });
}

/** What the screen shows: every node's role, term and liveness, every link's state, the clock. */
async function screenState(page: Page) {
  const nodes = await page
    .locator('g.node[data-testid^="node-"]')
    .evaluateAll((els) =>
      els.map((e) =>
        ['data-testid', 'data-role', 'data-term', 'data-alive', 'data-paused']
          .map((a) => e.getAttribute(a))
          .join('|'),
      ),
    );
  const links = await page
    .locator('g.link[data-testid^="link-"]')
    .evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-testid')}=${e.getAttribute('data-state')}`),
    );
  return {
    nodes,
    links,
    clock: await page.getByTestId('sim-clock').textContent(),
    events: await page.getByTestId('event-count').textContent(),
    status: await page.getByTestId('status-leader').textContent(),
  };
}

async function clickLinkMiddle(page: Page, pg: Pg, a: number, b: number) {
  const A = (await pg.body(a).boundingBox())!;
  const B = (await pg.body(b).boundingBox())!;
  await page.mouse.click(
    (A.x + A.width / 2 + B.x + B.width / 2) / 2,
    (A.y + A.height / 2 + B.y + B.height / 2) / 2,
  );
}

/** A page in its own browser context that records page and console errors. */
async function freshPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  return { context, page, errors };
}

test('a run built by clicking reopens exactly from its link in a fresh browser', async ({
  page,
  pg,
  browser,
  baseURL,
}) => {
  await pg.open();
  const entries = await page.evaluate(() => window.history.length);
  const leader = await pg.runUntilLeader();
  const victim = leader === 1 ? 2 : 1;
  const menu = await openNodeMenu(page, pg, victim);
  await menu.getByRole('menuitem', { name: /^Kill/ }).click();
  await expect(pg.node(victim)).toHaveAttribute('data-role', 'dead');
  // the link between the two nodes after the victim on the ring
  const [a, b] = [3, 4];
  await clickLinkMiddle(page, pg, a, b);
  await page.getByTestId('link-menu').getByRole('menuitem', { name: 'Cut both ways' }).click();
  await expect(page.getByTestId(`link-${a}-${b}`)).toHaveAttribute('data-state', 'cut');
  for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
  await expect(page.getByTestId('user-actions')).toHaveText('2 actions recorded');

  const before = await runState(page);
  const screen = await screenState(page);

  // the address bar follows (replaceState: no new history entries)
  await expect
    .poll(() => page.evaluate(() => window.location.hash))
    .toContain(`&e=${before.index}`);
  expect(await page.evaluate(() => window.history.length)).toBe(entries);

  await page.getByTestId('share-button').click();
  const dialog = page.getByTestId('share-dialog');
  await expect(dialog).toBeVisible();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link.startsWith(`${baseURL}/#v1=`)).toBe(true);
  expect(link).toContain(`&e=${before.index}`);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('copy-link')).toHaveText('✓ Copied');
  await expect(page.getByTestId('copy-status')).toContainText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await page.keyboard.press('Escape');

  const other = await freshPage(browser);
  await other.page.goto(link);
  await expect(other.page.getByTestId('node-1')).toBeVisible();
  await expect(other.page.getByTestId('event-count')).toHaveText(screen.events!);
  expect(await runState(other.page)).toEqual(before);
  expect(await screenState(other.page)).toEqual(screen);
  await expect(other.page.getByTestId('link-banner')).toHaveCount(0);
  expect(other.errors).toEqual([]);
  await other.context.close();
});

// ---- broken links ---------------------------------------------------------------------

const good = parseScenario({
  v: 1,
  algorithm: 'raft',
  nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
  network: { latency: { min: 30, max: 60 } },
  seed: 2,
  actions: [{ at: 500, type: 'kill', node: 3 }],
}).scenario;
const goodFragment = encodeFragment(good, { event: 40 });
const payload = (x: unknown) => LZString.compressToEncodedURIComponent(JSON.stringify(x));

const BROKEN: { name: string; fragment: string; kind: string; title: RegExp; message: RegExp }[] = [
  {
    name: 'undecodable text',
    fragment: 'hello-there',
    kind: 'undecodable',
    title: /cannot be read/,
    message: /does not start with a version tag like "v1="/,
  },
  {
    name: 'truncated data',
    fragment: goodFragment.slice(0, 60),
    kind: 'undecodable',
    title: /cannot be read/,
    message: /damaged or cut short/,
  },
  {
    name: 'a wrong field',
    fragment: `v1=${payload({ ...good, nodes: [{ id: 1 }, { id: 0 }] })}`,
    kind: 'schema',
    title: /invalid scenario/,
    message: /nodes\[1\]\.id/,
  },
  {
    name: 'an unknown version',
    fragment: `v9=${goodFragment.slice(3)}`,
    kind: 'version',
    title: /different version/,
    message: /format version 9, but this page reads version 1/,
  },
  {
    name: 'a payload over the size limit',
    fragment: `v1=${payload({
      ...good,
      actions: Array.from({ length: 4000 }, (_, i) => ({ at: i, type: 'kill', node: 1 })),
    })}`,
    kind: 'too-large',
    title: /too large/,
    message: /the limit is 100000/,
  },
];

test('five kinds of broken link: a banner that says what is wrong, and the page keeps working', async ({
  page,
  pg,
}) => {
  for (const b of BROKEN) {
    await test.step(b.name, async () => {
      await page.goto('about:blank');
      await page.goto(`/?paused#${b.fragment}`);
      await expect(pg.node(1)).toBeVisible();
      const banner = page.getByTestId('link-banner');
      await expect(banner).toBeVisible();
      await expect(banner).toHaveAttribute('data-kind', b.kind);
      await expect(page.getByTestId('link-banner-title')).toHaveText(b.title);
      await expect(page.getByTestId('link-banner-message')).toHaveText(b.message);
      // opened with the broken link, the page runs its default scenario and says so
      await expect(page.getByTestId('link-banner-message')).toContainText(
        'The default scenario is running instead.',
      );
      // the broken link stays copyable, in the banner and in the address bar
      await expect(page.getByTestId('link-banner-text')).toHaveValue(
        new RegExp(`#${b.fragment.slice(0, 40).replace(/[$+]/g, '\\$&')}`),
      );
      if (b === BROKEN[0]) {
        await page.waitForTimeout(450);
        expect(await page.evaluate(() => window.location.hash.slice(1))).toBe(b.fragment);
      }
      // the default scenario runs underneath
      await expect(page.locator('g.node')).toHaveCount(5);
      await pg.runUntilLeader();
      await expect(pg.status()).toHaveText(/Leader: node \d/);
    });
  }
  await test.step('the banner offers the default scenario', async () => {
    await page.getByTestId('link-banner-default').click();
    await expect(page.getByTestId('link-banner')).toHaveCount(0);
    await expect(page.getByTestId('event-count')).toHaveText('0 events');
    await expect.poll(() => page.evaluate(() => window.location.hash)).toMatch(/^#v1=/);
  });
  await test.step('a broken link pasted over a scenario keeps that scenario', async () => {
    await pg.run(300);
    await page.keyboard.press('1');
    await page.keyboard.press('k');
    await expect(pg.node(1)).toHaveAttribute('data-role', 'dead');
    const before = await runState(page);
    await page.evaluate(() => {
      window.location.hash = 'v1=garbage!!';
    });
    await expect(page.getByTestId('link-banner')).toBeVisible();
    await expect(page.getByTestId('link-banner-message')).toContainText('damaged or cut short');
    await expect(page.getByTestId('link-banner-message')).toContainText(
      'The scenario you had is still running.',
    );
    expect(await runState(page)).toEqual(before);
    await expect(pg.node(1)).toHaveAttribute('data-role', 'dead');
    await page.getByTestId('link-banner-dismiss').click();
    await expect(page.getByTestId('link-banner')).toHaveCount(0);
  });
});

test('a label from a link is shown as text and runs nothing', async ({ page, pg }) => {
  const evil = '<img src=x onerror=alert(1)>';
  const scenario = parseScenario({
    ...good,
    nodes: good.nodes.map((n) => (n.id === 2 ? { ...n, label: evil } : n)),
  }).scenario;
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(`/?paused#${encodeFragment(scenario)}`);
  await expect(pg.node(2)).toBeVisible();
  await expect(pg.node(2).locator('.role-text')).toHaveText(`${evil} · FOLLOWER`);
  await expect(pg.node(2)).toHaveAttribute('aria-label', new RegExp('^<img src=x onerror'));
  await expect(page.locator('img')).toHaveCount(0);
  await pg.run(400);
  expect(dialogs).toEqual([]);
});

// ---- files ----------------------------------------------------------------------------

test('an exported scenario file, imported in a fresh page, reproduces the run; exports of the trace and pictures', async ({
  page,
  pg,
  browser,
}, testInfo) => {
  await pg.open();
  await pg.runUntilLeader();
  await page.keyboard.press('2');
  await page.keyboard.press('z'); // pause node 2
  await pg.run(350);
  await page.keyboard.press('z'); // resume it
  await pg.run(120);
  const before = await runState(page);

  await page.getByTestId('share-button').click();
  const save = async (id: string) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(id).click(),
    ]);
    const path = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(path);
    return { path, name: download.suggestedFilename() };
  };
  const file = await save('export-scenario');
  expect(file.name).toBe(`raft-5-nodes-event-${before.index}.scenario.json`);
  const json = JSON.parse(readFileSync(file.path, 'utf8'));
  expect(json.actions).toHaveLength(2);
  expect(json.view).toEqual({ event: before.index });
  expect(() => parseScenario(json)).not.toThrow();

  const trace = JSON.parse(readFileSync((await save('export-trace-json')).path, 'utf8'));
  expect(trace.events).toBe(before.index);
  expect(trace.traceHash).toBe(before.hash);
  expect(trace.records).toHaveLength(before.index);
  const csv = readFileSync((await save('export-trace-csv')).path, 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toBe(
    'index,time_us,time_ms,kind,node,from,msg,type,label,reason,before,after,sent,term,votedFor,leader',
  );
  expect(csv).toHaveLength(before.index + 1);
  const svg = readFileSync((await save('export-network-svg')).path, 'utf8');
  expect(svg).toMatch(/^<\?xml/);
  expect(svg).toContain('<svg');
  expect(svg).not.toContain('class="node');
  const png = readFileSync((await save('export-network-png')).path);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(png.length).toBeGreaterThan(5000);
  const timeline = readFileSync((await save('export-timeline-svg')).path, 'utf8');
  expect(timeline).toMatch(/^<\?xml[^]*<svg/);
  const timelinePng = readFileSync((await save('export-timeline-png')).path);
  expect(timelinePng.subarray(1, 4).toString()).toBe('PNG');

  const other = await freshPage(browser);
  await other.page.goto('/?paused');
  await expect(other.page.getByTestId('node-1')).toBeVisible();
  await other.page.getByTestId('share-button').click();
  // a broken file first: the error says what is wrong, nothing is replaced
  await other.page.getByTestId('import-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"v":1,"algorithm":"raft","nodes":[]'),
  });
  await expect(other.page.getByTestId('import-error')).toContainText('damaged or cut short');
  await other.page.getByTestId('import-file').setInputFiles({
    name: 'wrong.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ ...json, seed: -1 })),
  });
  await expect(other.page.getByTestId('import-error')).toContainText('seed');
  await other.page.getByTestId('import-file').setInputFiles(file.path);
  await expect(other.page.getByTestId('share-dialog')).toHaveCount(0);
  // it opens where it was exported, by itself, and says so
  await expect(other.page.getByTestId('toast')).toContainText(
    `replays exactly to event ${before.index.toLocaleString('en')}, where it was saved`,
  );
  await expect.poll(async () => (await runState(other.page)).index).toBe(before.index);
  const after = await runState(other.page);
  expect(after.hash).toBe(before.hash);
  expect(after.index).toBe(before.index);
  expect(other.errors).toEqual([]);
  await other.context.close();
});

test('a link to a far event shows the replay as it runs; Cancel stops it on an event of the same run', async ({
  page,
}) => {
  const scenario = raftScenario(5, { min: 30, max: 60 }, 3);
  await page.goto(`/#${encodeFragment(scenario)}&e=3000000`);
  // what is happening, and no playground drawn at event 0 meanwhile
  await expect(page.getByTestId('seek-progress')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Election Playground' })).toBeVisible();
  await expect(page.getByTestId('node-1')).toHaveCount(0);
  await expect(page.getByTestId('seek-progress')).toContainText('Replaying to event 3,000,000');
  await expect
    .poll(async () => Number(await page.getByTestId('seek-progress-bar').getAttribute('value')))
    .toBeGreaterThan(0);
  await page.getByTestId('seek-cancel').click();
  await expect(page.getByTestId('seek-progress')).toHaveCount(0);
  await expect(page.getByTestId('node-1')).toBeVisible();
  const reached = await runState(page);
  expect(reached.index).toBeGreaterThan(0);
  expect(reached.index).toBeLessThan(3_000_000);
  await expect(page.getByTestId('event-count')).toHaveText(
    `${reached.index.toLocaleString('en')} events`,
  );
  // the event reached is that run's: Node's engine stands on the same trace hash there
  const sim = createSimulation(scenario, { history: true });
  sim.seek(reached.index);
  expect(sim.traceHash()).toBe(reached.hash);
});
