/**
 * The page's memory, for the browser benchmarks: the JS heap and the array buffers'
 * backing store (typed arrays, such as the engine's compact trace, live outside the JS
 * heap, so `performance.memory.usedJSHeapSize` alone would leave them out), after a full
 * garbage collection, through the DevTools protocol.
 */
import type { CDPSession, Page } from '@playwright/test';

export interface PageMemory {
  jsHeapMB: number;
  arrayBuffersMB: number;
  totalMB: number;
}

const sessions = new WeakMap<Page, CDPSession>();
const mb = (b: number) => Math.round((b / 1e6) * 10) / 10;

export async function pageMemory(page: Page): Promise<PageMemory> {
  let cdp = sessions.get(page);
  if (!cdp) {
    cdp = await page.context().newCDPSession(page);
    sessions.set(page, cdp);
  }
  await cdp.send('HeapProfiler.collectGarbage');
  const u = await cdp.send('Runtime.getHeapUsage');
  const buffers = u.backingStorageSize ?? 0;
  return {
    jsHeapMB: mb(u.usedSize),
    arrayBuffersMB: mb(buffers),
    totalMB: mb(u.usedSize + buffers),
  };
}
