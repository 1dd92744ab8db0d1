/**
 * Where the run is, for the debugger's panels: the current event index, the end of the
 * explored run and the run index's revision. One subscription to the playground store
 * keeps the run index up to date and publishes these few numbers: at once while paused
 * (every step and seek shows), at most five times a second while playing, so that the
 * scrubber, the event log and the diagram do not re-render on every animation frame.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { playground } from '../store/store';
import type { SimView } from '../store/view';
import { runIndex } from './runIndex';

export interface RunPosition {
  /** Events processed: the current position (0 = the start). */
  index: number;
  /** The end of the explored run. */
  max: number;
  /** runIndex.rev when published. */
  rev: number;
  /** Simulated clock, µs. */
  now: number;
  playing: boolean;
  /** Bumped whenever the simulation object is replaced (load, replay). */
  simRev: number;
  /** The store's view as of this publication: panels that list many things read this one. */
  view: SimView;
}

export const runStore = createStore<RunPosition>()(() => ({
  index: 0,
  max: 0,
  rev: 0,
  now: 0,
  playing: false,
  simRev: 0,
  view: playground.getState().view,
}));

export function useRun<T>(selector: (s: RunPosition) => T): T {
  return useStore(runStore, selector);
}

const PLAYING_MS = 200;

let installed = 0;
let uninstall: (() => void) | null = null;

/** Starts tracking (idempotent; reference-counted so StrictMode's double effects are fine). */
export function installRunTracking(): () => void {
  installed++;
  if (installed === 1) uninstall = track();
  return () => {
    installed--;
    if (installed === 0 && uninstall) {
      uninstall();
      uninstall = null;
    }
  };
}

function track(): () => void {
  let timer = 0;
  let lastSim = playground.getState().sim;
  let simRev = 0;
  const publish = () => {
    timer = 0;
    const s = playground.getState();
    const sim = s.sim;
    if (sim !== lastSim) {
      lastSim = sim;
      simRev++;
    }
    runIndex.update(sim);
    const cur = runStore.getState();
    const next: RunPosition = {
      index: sim.index,
      max: Math.max(sim.history?.maxIndex ?? sim.index, sim.index),
      rev: runIndex.rev,
      now: s.now,
      playing: s.playing,
      simRev,
      view: s.view,
    };
    if (
      next.index !== cur.index ||
      next.max !== cur.max ||
      next.rev !== cur.rev ||
      next.now !== cur.now ||
      next.playing !== cur.playing ||
      next.simRev !== cur.simRev ||
      next.view !== cur.view
    )
      runStore.setState(next);
  };
  publish();
  const unsub = playground.subscribe((s, prev) => {
    if (s.view === prev.view && s.sim === prev.sim && s.playing === prev.playing) return;
    if (s.playing && s.sim === prev.sim) {
      if (!timer) timer = window.setTimeout(publish, PLAYING_MS);
      return;
    }
    if (timer) {
      window.clearTimeout(timer);
      timer = 0;
    }
    publish();
  });
  return () => {
    unsub();
    if (timer) window.clearTimeout(timer);
  };
}
