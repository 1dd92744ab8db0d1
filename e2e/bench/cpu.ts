/**
 * CPU readings for the browser benchmarks, from /proc: every process the benchmark started
 * (Chromium's browser, renderers, GPU), and a tab opened once Chromium has settled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from '@playwright/test';

/**
 * CPU time (user + system, ms) of every process this script started (Chromium's browser,
 * renderers, GPU), by pid: on a shared machine wall time is noise, CPU time is not.
 */
export function childCpu(): Map<number, number> {
  const stat = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stat.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      /* gone */
    }
  }
  const out = new Map<number, number>();
  const mine = (pid: number): boolean => {
    for (let p = pid, k = 0; p > 1 && k < 20; k++) {
      if (p === process.pid) return true;
      p = stat.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, s] of stat) {
    if (pid === process.pid || !mine(pid)) continue;
    out.set(pid, s.ticks * 10);
    // the main thread alone (its task id is the pid), under the negated pid
    try {
      const text = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      out.set(-pid, (Number(f[11]) + Number(f[12])) * 10);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU ms spent between two childCpu() readings: all processes, and the busiest one. */
export function cpuSince(before: Map<number, number>, after: Map<number, number>) {
  let total = 0;
  let busiest = 0;
  let busiestMain = 0;
  for (const [pid, ms] of after) {
    const d = ms - (before.get(pid) ?? 0);
    if (pid < 0) busiestMain = Math.max(busiestMain, d);
    else {
      total += d;
      busiest = Math.max(busiest, d);
    }
  }
  return {
    chromiumCpuMs: total,
    busiestProcessCpuMs: busiest,
    busiestMainThreadCpuMs: busiestMain,
  };
}

/**
 * A new tab, returned once Chromium is quiet: less than 10% of a core over two readings in a
 * row 200 ms apart (8 s at most). Chromium builds its own window UI for every new tab (the
 * address bar's popup is a web page of its own, `chrome://omnibox-popup.top-chrome/`, in two
 * renderers): about 1.4 s of CPU in the two seconds after the tab opens, which on two cores
 * took a second from a link opening right away. A person's browser has its window open
 * already, so the page is measured in a settled one.
 */
export async function quietPage(
  from: Browser | BrowserContext,
  viewport: { width: number; height: number } = { width: 1280, height: 720 },
): Promise<Page> {
  const page = await from.newPage({ viewport });
  const until = Date.now() + 8000;
  let before = childCpu();
  let calm = 0;
  while (calm < 2 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    const now = childCpu();
    calm = cpuSince(before, now).chromiumCpuMs < 20 ? calm + 1 : 0;
    before = now;
  }
  return page;
}
