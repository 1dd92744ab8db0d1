/**
 * Faults by direct manipulation, each checked on what the screen
 * shows. Time is driven through the test hook (runFor), not waited for.
 */
import type { Page } from '@playwright/test';
import { expect, openNodeMenu, test, type Pg } from './fixtures';

async function center(page: Page, pg: Pg, id: number) {
  const b = (await pg.body(id).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2, r: b.width / 2 };
}

/** Clicks the link between nodes a and b at fraction `at` of the way from a to b. */
async function clickLink(page: Page, pg: Pg, a: number, b: number, at = 0.5, shift = false) {
  const A = await center(page, pg, a);
  const B = await center(page, pg, b);
  if (shift) await page.keyboard.down('Shift');
  await page.mouse.click(A.x + (B.x - A.x) * at, A.y + (B.y - A.y) * at);
  if (shift) await page.keyboard.up('Shift');
}

/** Drags a lasso (a circle) around node `id`, starting on empty space outside the ring. */
async function lassoAround(page: Page, pg: Pg, id: number) {
  const c = await center(page, pg, id);
  const svg = (await page.getByTestId('topology').boundingBox())!;
  const mid = { x: svg.x + svg.width / 2, y: svg.y + svg.height / 2 };
  const len = Math.hypot(c.x - mid.x, c.y - mid.y);
  const u = { x: (c.x - mid.x) / len, y: (c.y - mid.y) / len };
  const rad = c.r * 1.75;
  const start = Math.atan2(u.y, u.x);
  await page.mouse.move(c.x + u.x * rad, c.y + u.y * rad);
  await page.mouse.down();
  for (let k = 1; k <= 24; k++) {
    const a = start + (2 * Math.PI * k) / 24;
    await page.mouse.move(c.x + Math.cos(a) * rad, c.y + Math.sin(a) * rad);
  }
  await page.mouse.up();
}

test('killing the leader by clicking it leads to a new leader', async ({ page, pg }) => {
  await pg.open();
  const first = await pg.runUntilLeader();
  await expect(pg.status()).toHaveText(`★ Leader: node ${first}, term 1`);
  const menu = await openNodeMenu(page, pg, first);
  await menu.getByRole('menuitem', { name: /^Kill/ }).click();
  await expect(menu).toBeHidden();
  await expect(pg.node(first)).toHaveAttribute('data-role', 'dead');
  await expect(pg.node(first).locator('.role-text')).toHaveText('DEAD');
  await expect(pg.node(first)).toHaveAttribute('aria-label', new RegExp(`Node ${first}: dead`));
  await expect(pg.status()).toHaveText(/^No leader/);
  const next = await pg.runUntilLeader({ not: first });
  expect(next).not.toBe(first);
  await expect(pg.status()).toHaveText(new RegExp(`Leader: node ${next}, term ([2-9]|\\d\\d)`));
  await expect(pg.node(next)).toHaveAttribute('data-role', 'leader');
  await expect(page.getByTestId('user-actions')).toHaveText('1 action recorded');
});

test('isolating the leader with the lasso: the majority elects a new leader in a higher term, healing leaves one leader', async ({
  page,
  pg,
}) => {
  await pg.open();
  const old = await pg.runUntilLeader();
  await lassoAround(page, pg, old);
  await expect(page.getByTestId('status-partition')).toContainText(`{${old}} no majority`);
  await expect(page.getByTestId('status-cutoff')).toHaveText(
    `node ${old} is cut off from the majority`,
  );
  await expect(page.getByTestId('zone-A')).toBeVisible();
  const fresh = await pg.runUntilLeader({ not: old });
  const { term } = await pg.leader();
  expect(term).toBeGreaterThan(1);
  await expect(pg.status()).toHaveText(`★ Leader: node ${fresh}, term ${term}`);
  // the old leader, alone, still believes it leads in its old term
  await expect(pg.node(old)).toHaveAttribute('data-role', 'leader');
  await expect(pg.node(old)).toHaveAttribute('data-term', '1');
  await expect(pg.node(old).locator('.term')).toHaveText('term 1');
  await expect(page.getByTestId('status-stale')).toContainText(
    `node ${old} still believes it leads (term 1)`,
  );
  await pg.run(500);
  await expect(pg.node(old)).toHaveAttribute('data-term', '1');

  await page.getByTestId('heal-all').click();
  await expect(page.getByTestId('status-partition')).toBeHidden();
  await pg.run(600);
  await expect(page.locator('[data-role="leader"]')).toHaveCount(1);
  await expect(page.getByTestId('status-stale')).toBeHidden();
  await expect(pg.node(old)).toHaveAttribute('data-role', 'follower');
  await expect(pg.node(old)).toHaveAttribute('data-term', String(term));
});

test('cutting every link of the leader by clicking them has the same effect', async ({
  page,
  pg,
}) => {
  await pg.open();
  const old = await pg.runUntilLeader();
  for (const other of [1, 2, 3, 4, 5].filter((n) => n !== old)) {
    const [a, b] = [Math.min(old, other), Math.max(old, other)];
    await clickLink(page, pg, a, b, 0.42);
    const menu = page.getByTestId('link-menu');
    await menu.getByRole('menuitem', { name: 'Cut both ways' }).click();
    await expect(page.getByTestId(`link-${a}-${b}`)).toHaveAttribute('data-state', 'cut');
  }
  const fresh = await pg.runUntilLeader({ not: old });
  const { term } = await pg.leader();
  expect(term).toBeGreaterThan(1);
  await expect(pg.status()).toHaveText(`★ Leader: node ${fresh}, term ${term}`);
  await expect(pg.node(old)).toHaveAttribute('data-term', '1');
  await expect(pg.node(old)).toHaveAttribute('data-role', 'leader');
  await page.keyboard.press('h');
  await pg.run(600);
  await expect(page.locator('[data-role="leader"]')).toHaveCount(1);
  await expect(page.locator('.link.is-cut')).toHaveCount(0);
});

test('shift-click cuts a link one way, from the end nearest the click', async ({ page, pg }) => {
  await pg.open();
  await pg.run(100);
  // a point on the line, closer to node 1 but outside its ring
  await clickLink(page, pg, 1, 2, 0.3, true);
  const link = page.getByTestId('link-1-2');
  await expect(link).toHaveAttribute('data-state', 'cut one-way');
  await expect(link.locator('.cut-arrow')).toBeVisible();
  await expect(page.getByTestId('inspector')).toContainText('Link 1 ↔ 2');
  await expect(page.getByTestId('link-ab')).toHaveText('dropped');
  await expect(page.getByTestId('link-ba')).toHaveText('delivered');
});

test('pausing the leader and resuming it: it wakes up with stale beliefs, then steps down', async ({
  page,
  pg,
}) => {
  await pg.open();
  const old = await pg.runUntilLeader();
  let menu = await openNodeMenu(page, pg, old);
  await menu.getByRole('menuitem', { name: /^Pause/ }).click();
  await expect(pg.node(old)).toHaveAttribute('data-paused', 'true');
  await expect(pg.node(old).locator('.pause-badge')).toBeVisible();
  await expect(pg.node(old).locator('.role-text')).toHaveText('LEADER · PAUSED');
  await expect(pg.node(old)).toHaveAttribute('aria-label', /\(paused\)/);
  const fresh = await pg.runUntilLeader({ not: old });
  expect(fresh).not.toBe(old);
  await expect(pg.node(old)).toHaveAttribute('data-term', '1');
  await expect(pg.node(old)).toHaveAttribute('data-paused', 'true');

  menu = await openNodeMenu(page, pg, old);
  await menu.getByRole('menuitem', { name: /^Resume/ }).click();
  await expect(pg.node(old)).toHaveAttribute('data-paused', 'false');
  await expect(pg.node(old).locator('.pause-badge')).toBeHidden();
  await pg.run(300);
  await expect(pg.node(old)).toHaveAttribute('data-role', 'follower');
  await expect(page.locator('[data-role="leader"]')).toHaveCount(1);
});

test('restart and force timeout from the node menu', async ({ page, pg }) => {
  await pg.open();
  const leader = await pg.runUntilLeader();
  const follower = leader === 1 ? 2 : 1;
  let menu = await openNodeMenu(page, pg, follower);
  await menu.getByRole('menuitem', { name: /^Force timeout/ }).click();
  await expect(pg.node(follower)).toHaveAttribute('data-role', 'candidate');
  await expect(pg.node(follower)).toHaveAttribute('data-term', '2');
  await expect(pg.status()).toHaveText(/election in progress|Leader/);
  menu = await openNodeMenu(page, pg, leader);
  await menu.getByRole('menuitem', { name: /^Restart/ }).click();
  await expect(pg.node(leader)).toHaveAttribute('data-role', 'follower');
  await pg.runUntilLeader();
  await expect(pg.status()).toHaveText(/Leader: node \d, term [2-9]/);
});

test('every keyboard shortcut does what it says', async ({ page, pg }) => {
  await pg.open();
  const playBtn = page.getByTestId('play-toggle');
  await test.step('? shows the shortcuts, Escape closes them', async () => {
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcuts-overlay');
    await expect(sheet).toBeVisible();
    await expect(sheet).toContainText('kill the selected node');
    await page.keyboard.press('Escape');
    await expect(sheet).toBeHidden();
  });
  await test.step('Space plays and pauses', async () => {
    await expect(playBtn).toHaveAttribute('aria-pressed', 'false');
    await page.keyboard.press(' ');
    await expect(playBtn).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press(' ');
    await expect(playBtn).toHaveAttribute('aria-pressed', 'false');
  });
  await test.step('→ steps one event', async () => {
    const count = page.getByTestId('event-count');
    const before = Number((await count.textContent())!.replace(/\D/g, ''));
    await page.keyboard.press('ArrowRight');
    await expect(count).toHaveText(`${before + 1} events`);
    await page.keyboard.press('ArrowRight');
    await expect(count).toHaveText(`${before + 2} events`);
  });
  await test.step('+ and − change the speed', async () => {
    const speed = page.getByTestId('speed-value');
    await expect(speed).toHaveText('0.05×');
    await page.keyboard.press('+');
    await expect(speed).toHaveText('0.1×');
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await expect(speed).toHaveText('0.02×');
  });
  await test.step('N runs until the leader changes', async () => {
    await page.keyboard.press('n');
    await expect(pg.status()).toHaveText(/Leader: node \d, term 1/);
  });
  const { id: leader } = await pg.leader();
  const other = leader === 1 ? 2 : 1;
  await test.step('a digit selects a node; K kills it', async () => {
    await page.keyboard.press(String(other));
    await expect(pg.node(other)).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('inspector')).toContainText(`Node ${other}`);
    await page.keyboard.press('k');
    await expect(pg.node(other)).toHaveAttribute('data-role', 'dead');
  });
  await test.step('R restarts the selected node', async () => {
    await page.keyboard.press('r');
    await expect(pg.node(other)).toHaveAttribute('data-role', 'follower');
    await expect(pg.node(other)).toHaveAttribute('data-alive', 'true');
  });
  await test.step('Z pauses and resumes the selected node', async () => {
    await page.keyboard.press('z');
    await expect(pg.node(other)).toHaveAttribute('data-paused', 'true');
    await page.keyboard.press('z');
    await expect(pg.node(other)).toHaveAttribute('data-paused', 'false');
  });
  await test.step('T forces the selected node to time out', async () => {
    await page.keyboard.press('t');
    await expect(pg.node(other)).toHaveAttribute('data-role', 'candidate');
    await pg.run(800);
    await expect(page.locator('[data-role="leader"]')).toHaveCount(1);
  });
  await test.step('shift+digits select several nodes; I isolates them (P is presenter mode)', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Digit1');
    await page.keyboard.press('Shift+Digit2');
    await expect(page.getByTestId('inspector')).toContainText('2 nodes selected');
    await page.keyboard.press('i');
    await expect(page.getByTestId('status-partition')).toContainText('{1, 2} no majority');
  });
  await test.step('H heals everything', async () => {
    await page.keyboard.press('h');
    await expect(page.getByTestId('status-partition')).toBeHidden();
  });
  await test.step('C cuts and heals the selected link', async () => {
    await clickLink(page, pg, 2, 4, 0.45);
    await expect(page.getByTestId('link-menu')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('link-menu')).toBeHidden();
    await page.keyboard.press('c');
    await expect(page.getByTestId('link-2-4')).toHaveAttribute('data-state', 'cut');
    await page.keyboard.press('c');
    await expect(page.getByTestId('link-2-4')).toHaveAttribute('data-state', 'ok');
  });
  await test.step('Enter on a focused node opens its menu; arrows move, Escape closes', async () => {
    await pg.node(3).focus();
    await page.keyboard.press('Enter');
    const menu = page.getByTestId('node-menu');
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem').first()).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(menu.getByRole('menuitem', { name: /^Restart/ })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(pg.node(3)).toBeFocused();
  });
});

test('switching the algorithm restarts the scenario with it, asking first after user actions', async ({
  page,
  pg,
}) => {
  await pg.open();
  await pg.runUntilLeader();
  await page.keyboard.press('1');
  await page.keyboard.press('k');
  const picker = page.getByTestId('algorithm-picker');
  const names = await picker
    .locator('option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(names).toContain('raft');
  const others = names.filter((n) => n !== 'raft');
  test.info().annotations.push({
    type: 'algorithms',
    description: `registry offers: ${names.join(', ')}`,
  });
  // a change after a user action asks first; Cancel keeps everything
  const target = others[0] ?? 'raft';
  if (others.length > 0) {
    await picker.selectOption(target);
    const dialog = page.getByTestId('confirm-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(picker).toHaveValue('raft');
    await expect(pg.node(1)).toHaveAttribute('data-role', 'dead');
  }
  for (const name of others) {
    await picker.selectOption(name);
    const dialog = page.getByTestId('confirm-dialog');
    if (await dialog.isVisible()) await page.getByTestId('confirm-ok').click();
    await expect(picker).toHaveValue(name);
    await expect(page.getByTestId('sim-clock')).toHaveText('0.0 ms');
    const leader = await pg.runUntilLeader({ withinMs: 10_000 });
    expect(leader).toBeGreaterThan(0);
    await expect(pg.status()).toHaveText(new RegExp(`(Coordinator|Leader): node ${leader}`));
    await expect(pg.node(leader)).toHaveAttribute('data-role', 'leader');
    // kill the coordinator by clicking: another takes over
    const menu = await openNodeMenu(page, pg, leader);
    await menu.getByRole('menuitem', { name: /^Kill/ }).click();
    const next = await pg.runUntilLeader({ not: leader, withinMs: 10_000 });
    expect(next).not.toBe(leader);
    await expect(pg.status()).toHaveText(new RegExp(`(Coordinator|Leader): node ${next}`));
  }
  // and back to Raft
  await picker.selectOption('raft');
  if (await page.getByTestId('confirm-dialog').isVisible())
    await page.getByTestId('confirm-ok').click();
  await pg.runUntilLeader();
  await expect(pg.status()).toHaveText(/Leader: node \d, term 1/);
});

test('network controls: loss slider and node count are recorded or restart the scenario', async ({
  page,
  pg,
}) => {
  await pg.open();
  await page.getByTestId('loss').fill('20');
  await expect(page.getByTestId('user-actions')).toHaveText('1 action recorded');
  await expect(page.locator('output[for="loss"]')).toHaveText('20%');
  // adding a node after acting asks first
  await page.getByTestId('add-node').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('node-6')).toBeVisible();
  await expect(page.getByTestId('node-count')).toHaveText('6');
  await page.getByTestId('remove-node').click();
  await expect(page.getByTestId('node-6')).toHaveCount(0);
  await pg.runUntilLeader();
  await expect(pg.status()).toHaveText(/Leader: node \d/);
});

test('dragging a node moves it and keeps it in the scenario', async ({ page, pg }) => {
  await pg.open();
  const c = await center(page, pg, 1);
  await page.mouse.move(c.x, c.y);
  await page.mouse.down();
  await page.mouse.move(c.x + 60, c.y + 40, { steps: 5 });
  await page.mouse.up();
  const moved = await center(page, pg, 1);
  expect(Math.abs(moved.x - (c.x + 60))).toBeLessThan(3);
  expect(Math.abs(moved.y - (c.y + 40))).toBeLessThan(3);
  await expect(page.getByTestId('node-menu')).toBeHidden();
  const pos = await page.evaluate(() => {
    const st = (
      window as unknown as {
        __playground: { store: { getState(): { exportScenario(): { nodes: { x?: number }[] } } } };
      }
    ).__playground.store.getState();
    return st.exportScenario().nodes[0];
  });
  expect(pos.x).toBeDefined();
});

test('the theme follows the OS while the user has not chosen one, and the choice wins after', async ({
  page,
  pg,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await pg.open();
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  // the user picks light: from now on the OS setting no longer decides
  await page.getByTestId('theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'light');
});
