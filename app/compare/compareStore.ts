/**
 * Compare mode's state: the second run (its own playground store, so that its network
 * view, status line and menus work as the main one's do), the pair that keeps both runs
 * on one simulated clock, which side has the focus, and the compare lesson on screen.
 *
 * The left run is the playground's own; entering compare mode builds the right run from
 * it (same nodes, network, seed and every recorded action) with the second algorithm
 * and params. While comparing, every user action on either side goes to the pair, which
 * applies it to both runs. Loading another scenario on the left leaves compare mode.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import {
  compareLessons,
  findCompareLesson,
  playedCompareLesson,
  registry,
  rightScenario,
  ScenarioError,
  type CompareLesson,
  type CompareSecond,
  type Side,
} from '../../algorithms/index';
import { createPlaygroundStore, playground, type PlaygroundStore } from '../store/store';
import { ComparePair, type PairSnapshot } from './pair';

export interface CompareState {
  active: boolean;
  second: CompareSecond | null;
  /** The right run's store (null when not comparing). */
  right: PlaygroundStore | null;
  pair: ComparePair | null;
  /** The shared clock and transport state. */
  clock: PairSnapshot;
  /** The side the keyboard's node keys act on. */
  focused: Side;
  /** The compare lesson whose captions are shown, if any. */
  lesson: string | null;
  pickerOpen: boolean;

  /** Enters compare mode against `second`, at the shared time `t` (µs; the left clock by default). */
  enter(second: CompareSecond, opts?: { t?: number; lesson?: string | null }): boolean;
  leave(): void;
  focus(side: Side): void;
  setPickerOpen(open: boolean): void;
  /** Loads a compare lesson's scenario on the left and compares it with its second run. */
  startLesson(name: string): void;
}

const idle: PairSnapshot = { t: 0, playing: false, speed: 1, end: 0 };

export const compareStore = createStore<CompareState>()((set, get) => {
  let unsub: (() => void)[] = [];

  return {
    active: false,
    second: null,
    right: null,
    pair: null,
    clock: idle,
    focused: 'left',
    lesson: null,
    pickerOpen: false,

    enter(second, opts = {}) {
      if (get().active) get().leave();
      const left = playground.getState();
      left.pause();
      left.clearSelection();
      const scenario = left.exportScenario();
      let right;
      try {
        right = rightScenario(scenario, second);
      } catch (e) {
        left.showToast(
          `Cannot compare: ${e instanceof ScenarioError ? e.message : String(e)}`,
          'error',
        );
        return false;
      }
      // the right run keeps the left's node positions, so the two pictures line up
      const rightStore = createPlaygroundStore({ ...right, nodes: scenario.nodes });
      rightStore.setState({ presetId: null });
      const pair = new ComparePair(left.session, rightStore.getState().session, {
        t: opts.t ?? left.now,
        speed: left.speed,
      });
      const route = (a: Parameters<ComparePair['apply']>[0]) => pair.apply(a);
      left.routeActions(route);
      rightStore.getState().routeActions(route);
      const generation = playground.getState().generation;
      unsub = [
        pair.subscribe((clock) => set({ clock })),
        // another scenario on the left ends the comparison
        playground.subscribe((s) => {
          if (s.generation !== generation) get().leave();
        }),
      ];
      set({
        active: true,
        second,
        right: rightStore,
        pair,
        clock: pair.snapshot(),
        focused: 'left',
        lesson: opts.lesson ?? null,
        pickerOpen: false,
      });
      return true;
    },

    leave() {
      const { pair, right } = get();
      for (const u of unsub) u();
      unsub = [];
      pair?.dispose();
      right?.getState().session.dispose();
      playground.getState().routeActions(null);
      if (get().active)
        set({ active: false, second: null, right: null, pair: null, clock: idle, lesson: null });
    },

    focus(side) {
      if (get().focused !== side) set({ focused: side });
    },

    setPickerOpen(open) {
      set({ pickerOpen: open });
    },

    startLesson(name) {
      const lesson = findCompareLesson(name);
      if (!lesson) return;
      get().leave();
      const s = playground.getState();
      const before = s.generation;
      s.load(lesson.scenario, { ask: false, presetId: null });
      if (playground.getState().generation === before) return;
      get().enter(lesson.second, { t: 0, lesson: name });
    },
  };
});

export function useCompare<T>(selector: (s: CompareState) => T): T {
  return useStore(compareStore, selector);
}

/** The store of the focused side (the playground's when not comparing). */
export function focusedStore(): PlaygroundStore {
  const c = compareStore.getState();
  return c.active && c.focused === 'right' && c.right ? c.right : playground;
}

/** A side's algorithm and settings in words: "Raft", "Raft (preVote: true)". */
export function sideTitle(algorithm: string, params: Record<string, unknown>): string {
  const title = registry[algorithm]?.title ?? algorithm;
  const set = Object.entries(params).map(([k, v]) => `${k}: ${String(v)}`);
  return set.length > 0 ? `${title} (${set.join(', ')})` : title;
}

/** What the picker offers: every algorithm with its defaults, and the settings worth a comparison. */
export function compareChoices(withTestOnly = false): { label: string; second: CompareSecond }[] {
  const out: { label: string; second: CompareSecond }[] = [];
  for (const [name, def] of Object.entries(registry)) {
    if (def.testOnly && !withTestOnly) continue;
    out.push({ label: def.title, second: { algorithm: name, params: {} } });
  }
  out.push(
    { label: 'Raft with pre-vote', second: { algorithm: 'raft', params: { preVote: true } } },
    {
      label: 'Raft with check-quorum',
      second: { algorithm: 'raft', params: { checkQuorum: true } },
    },
    {
      label: 'Ring: Chang-Roberts',
      second: { algorithm: 'ring', params: { variant: 'chang-roberts' } },
    },
    {
      label: 'Ring: collect-ids',
      second: { algorithm: 'ring', params: { variant: 'collect-ids' } },
    },
  );
  return out.filter((c) => registry[c.second.algorithm]);
}

/** The compare lesson's caption in force at the shared clock `t` (µs), or -1 before the first. */
export function compareStepAt(lesson: CompareLesson, t: number): number {
  const steps = playedCompareLesson(lesson).steps;
  let found = -1;
  for (let k = 0; k < steps.length; k++) if (steps[k].timeUs <= t) found = k;
  return found;
}

export { compareLessons, findCompareLesson, playedCompareLesson };
