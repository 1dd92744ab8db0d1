/** Entry point: theme, test hook, React root, autoplay, offline support. */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createSimulation } from '../algorithms/index';
import { App } from './App';
import { playground, usePlayground } from './store/store';
import { SeekProgress } from './debug/SeekProgress';
import { compareStore } from './compare/compareStore';
import { viewAdjustOf } from './topology/fit';
import { applyTheme, initialTheme } from './panels/theme';
import './styles.css';
import { startUrlSync } from './share/sync';
import { startServiceWorker } from './pwa/register';
import { UpdatePrompt } from './pwa/UpdatePrompt';

applyTheme(initialTheme());

const params = new URLSearchParams(window.location.search);

// Test hook: only for automated browsers (Playwright sets navigator.webdriver) and dev builds.
if (navigator.webdriver || import.meta.env.DEV) {
  // the specs read the simulation itself (`getState().sim`) next to the store's state
  const withSim = () => {
    const s = playground.getState();
    return { ...s, sim: s.session.simulationForTestHook() };
  };
  (window as unknown as { __playground: unknown }).__playground = {
    store: { ...playground, getState: withSim },
    createSimulation,
    // compare mode: the pair and both simulations (null when not comparing)
    compare: () => {
      const c = compareStore.getState();
      if (!c.active || !c.pair || !c.right) return null;
      return {
        pair: c.pair,
        left: c.pair.left.simulationForTestHook(),
        right: c.pair.right.simulationForTestHook(),
        // each view's fit (how far it zoomed out and shifted to keep clear of its panels)
        fit: {
          left: viewAdjustOf(playground).getState().adjust,
          right: viewAdjustOf(c.right).getState().adjust,
        },
      };
    },
  };
}

if (params.has('reducedMotion')) playground.setState({ reducedMotion: true });
window
  .matchMedia?.('(prefers-reduced-motion: reduce)')
  .addEventListener?.('change', (e) => playground.setState({ reducedMotion: e.matches }));

/**
 * A link to a far event replays the run first, and the page shows the replay's progress
 * alone until it stands on the event (or the replay is cancelled): the playground drawn at
 * event 0 would be thrown away, and its first render, layout and paint would take their
 * time from the replay. Once shown, the playground stays (a later far seek keeps it).
 */
function Root() {
  const seeking = usePlayground((s) => s.seeking !== null);
  const [shown, setShown] = useState(!seeking);
  if (!shown && !seeking) setShown(true);
  return shown ? (
    <App />
  ) : (
    <main className="app app-replaying">
      <h1>Election Playground</h1>
      <p>
        Opening the linked run: every event up to the linked one is simulated again, so that the run
        can be stepped back through from there.
      </p>
      <SeekProgress />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
    <UpdatePrompt />
  </StrictMode>,
);

// A playground that moves by itself shows what it is; `?paused` starts still.
// A link opens its scenario (and lands on its event, paused); a broken one shows a banner.
const { autoplay } = startUrlSync();
if (autoplay && !params.has('paused')) playground.getState().play();

// Offline after the first visit, and a prompt when a new version has been deployed. A
// link to a far event replays it first: installing the worker fetches and compiles every
// file of the site, which would take the CPU from the replay (a second of it on two cores).
if (!playground.getState().seeking) startServiceWorker();
else {
  const unsubscribe = playground.subscribe((s) => {
    if (s.seeking) return;
    unsubscribe();
    startServiceWorker();
  });
}
