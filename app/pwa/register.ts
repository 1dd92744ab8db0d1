/// <reference types="vite-plugin-pwa/vanillajs" />
/**
 * The service worker that keeps the built site working offline (Workbox, generated at
 * build time with every file of the build precached). It is registered relative to the
 * page, so it covers the folder the site was copied to and nothing above it.
 *
 * A new deployment does not take over by itself: its worker waits, `needRefresh` turns on
 * and the update prompt offers to reload. An open page looks for a new version every hour
 * (and the browser looks on every visit). In development there is no service worker.
 */
import { registerSW } from 'virtual:pwa-register';
import { create } from 'zustand';
import { flushUrl } from '../share/sync';

const CHECK_EVERY_MS = 60 * 60 * 1000;
/** After Reload, how long the new version gets to take over before the page reloads anyway. */
const RELOAD_ANYWAY_MS = 10_000;

export interface UpdateState {
  /** A new version is installed and waiting for the user. */
  needRefresh: boolean;
  /** The site is precached: it works without a network from now on. */
  offlineReady: boolean;
  /** Activates the waiting version; the page reloads when it has taken over. */
  reload(): void;
  /** Hides the prompt until the next visit (the new version stays waiting). */
  dismiss(): void;
}

export const updates = create<UpdateState>()((set) => ({
  needRefresh: false,
  offlineReady: false,
  reload: () => {},
  dismiss: () => set({ needRefresh: false }),
}));

let started = false;
let reloading = false;

/**
 * Set when the user asks for the new version and cleared once it has taken over: a page
 * that loads with it still set was reloaded by the fallback timer, before the new worker
 * took over (a busy machine), and finishes the switch itself.
 */
const ASKED = 'election-playground:update-asked';

function asked(set?: boolean): boolean {
  try {
    if (set === true) sessionStorage.setItem(ASKED, '1');
    else if (set === false) sessionStorage.removeItem(ASKED);
    return sessionStorage.getItem(ASKED) === '1';
  } catch {
    return false;
  }
}

/** Reloads once, with the run on screen written into the address bar first. */
function reloadPage(): void {
  if (reloading) return;
  reloading = true;
  flushUrl();
  window.location.reload();
}

/** Registers the service worker once (after the page has loaded). */
export function startServiceWorker(): void {
  if (started || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  started = true;
  // A page that was already controlled and sees the controller change is running the old
  // version's code against the new version's files (the new version took over from this
  // page's prompt, another tab's, or during a reload): reload it. The first visit's
  // worker taking control changes nothing on screen.
  const wasControlled = !!navigator.serviceWorker.controller;
  // the user asked for the new version on the page before this one, which reloaded anyway
  const finishing = asked();
  asked(false);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    asked(false);
    if (wasControlled) reloadPage();
  });
  const activate = registerSW({
    onNeedRefresh: () => {
      // still waiting: take over now, as asked (the page reloads when it has)
      if (finishing) void activate(true);
      else updates.setState({ needRefresh: true });
    },
    onOfflineReady: () => updates.setState({ offlineReady: true }),
    onNeedReload: reloadPage,
    onRegisteredSW: (_url, r) => {
      if (!r) return;
      registration = r;
      // it took over while this page was loading, which the old one served: once more
      if (finishing && !r.waiting && wasControlled) reloadPage();
      window.setInterval(() => {
        // no network, no new version: try again at the next tick
        if (navigator.onLine) r.update().catch(() => {});
      }, CHECK_EVERY_MS);
    },
    // Without a service worker (a private window, a browser that blocks it, a page
    // served over plain http from another machine) the site still works online.
    onRegisterError: () => {},
  });
  let registration: ServiceWorkerRegistration | undefined;
  let fallback = 0;
  updates.setState({
    reload: () => {
      asked(true);
      flushUrl();
      // Chromium checks for a new version on its own a moment after a page loads, and a
      // skipWaiting() during that check is lost: the new version stays waiting. Checking
      // first queues behind it, so the request to take over comes after it.
      const checked = registration?.update().catch(() => {}) ?? Promise.resolve();
      void checked.then(() => activate(true));
      // should the new version still not take over, reload all the same: the old version
      // then has no page left, and the controller change above reloads once more if the
      // old version still answered that reload
      window.clearTimeout(fallback);
      fallback = window.setTimeout(reloadPage, RELOAD_ANYWAY_MS);
    },
  });
}
