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

const CHECK_EVERY_MS = 60 * 60 * 1000;
const RELOAD_ANYWAY_MS = 5000;

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

/** Registers the service worker once (after the page has loaded). */
export function startServiceWorker(): void {
  if (started || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  started = true;
  const activate = registerSW({
    onNeedRefresh: () => updates.setState({ needRefresh: true }),
    onOfflineReady: () => updates.setState({ offlineReady: true }),
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      window.setInterval(() => {
        // no network, no new version: try again at the next tick
        if (navigator.onLine) registration.update().catch(() => {});
      }, CHECK_EVERY_MS);
    },
    // Without a service worker (a private window, a browser that blocks it, a page
    // served over plain http from another machine) the site still works online.
    onRegisterError: () => {},
  });
  updates.setState({
    reload: () => {
      void activate(true);
      // the page reloads as soon as the new version has taken over; should that never
      // happen (the waiting version was dropped meanwhile), reload all the same
      window.setTimeout(() => window.location.reload(), RELOAD_ANYWAY_MS);
    },
  });
}
