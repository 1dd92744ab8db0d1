/**
 * The playground's store (Zustand): UI state (selection, menus, dialogs, toasts, the
 * loaded scenario with its node positions) plus the read models that the simulation
 * session publishes (app/session/session.ts). The session owns the simulation and
 * everything engine-side; the store's actions delegate to it, and every snapshot it
 * publishes lands here in one `set`, so React panels and the D3 view read one consistent
 * picture and compare its parts by reference.
 */
import { createStore } from 'zustand/vanilla';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import {
  faults,
  registry,
  type Action,
  type AlgorithmDefinition,
  type ScenarioInput,
} from '../../algorithms/index';
import {
  MAX_SPEED,
  MIN_SPEED,
  SimulationSession,
  type DropEffect,
  type LogEntry,
  type RunPosition,
  type SeekProgress,
  type SessionHost,
  type SessionSnapshot,
  type UntimedAction,
} from '../session/session';
import { algorithmPresets, baseScenario, DEFAULT_SPEED, presets } from './scenarios';
import { isBlocked, linkKey, partitionGroups } from './view';

export { MAX_SPEED, MIN_SPEED };
export type { DropEffect, LogEntry, RunPosition, SeekProgress };

export type Menu =
  | { kind: 'node'; id: number; x: number; y: number }
  | { kind: 'link'; from: number; to: number; x: number; y: number }
  | null;

export interface Confirm {
  title: string;
  message: string;
  confirmLabel: string;
  run: () => void;
}

export interface Toast {
  key: number;
  text: string;
  tone: 'info' | 'error';
}

/**
 * UI state over the session's latest snapshot: every field of a SessionSnapshot (view,
 * clock, position, run index, log, drops, warnings, seeking), all from one moment, plus
 * what only the page knows.
 */
export interface PlaygroundState extends SessionSnapshot {
  /**
   * The scenario as loaded, with node positions: its actions are the scenario's own
   * (scripted); the session records the user's on top of them.
   */
  scenario: ScenarioInput;
  presetId: string | null;
  /** The session that runs the simulation (read-only engine queries go through it). */
  session: SimulationSession;

  // ---- UI ----------------------------------------------------------------------------
  selected: number[];
  link: { from: number; to: number } | null;
  menu: Menu;
  confirm: Confirm | null;
  shortcutsOpen: boolean;
  toast: Toast | null;
  /** Tests and users with `prefers-reduced-motion` get discrete animation. */
  reducedMotion: boolean;

  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(speed: number): void;
  step(): void;
  runFor(ms: number): void;
  runUntilLeaderChange(): void;
  /**
   * Runs forward to event index `i` (a shared link lands on its event); a far one in
   * slices with `seeking` showing the progress. `onDone` runs once it stands there.
   */
  runToEvent(i: number, onDone?: () => void): void;
  /** Stops a run to a far event where it is. */
  cancelSeek(): void;
  /** Runs until a new invariant violation is recorded (or 120 s of simulated time). */
  runUntilViolation(): void;
  /** Moves to event index `i` exactly (0 = before the first event); the explored future stays. */
  seek(i: number): void;
  /** Steps back one event exactly (←). */
  stepBack(): void;

  apply(action: UntimedAction): void;
  kill(id?: number): void;
  restart(id?: number): void;
  pauseNode(id?: number): void;
  resumeNode(id?: number): void;
  togglePaused(id?: number): void;
  forceTimeout(id?: number): void;
  cut(from: number, to: number, oneWay?: boolean): void;
  heal(from: number, to: number, oneWay?: boolean): void;
  toggleSelectedLink(): void;
  isolate(ids: number[]): void;
  healAll(): void;
  setLatency(min: number, max: number, from?: number, to?: number): void;
  setLoss(loss: number): void;

  selectNode(id: number | null, additive?: boolean): void;
  selectNodes(ids: number[]): void;
  selectLink(from: number, to: number): void;
  clearSelection(): void;
  openMenu(menu: Menu): void;
  closeMenu(): void;
  setShortcutsOpen(open: boolean): void;
  moveNode(id: number, x: number, y: number): void;
  showToast(text: string, tone?: Toast['tone']): void;

  /** Loads a scenario (validated); asks first when the user has acted. */
  load(scenario: unknown, opts?: { presetId?: string | null; ask?: boolean; title?: string }): void;
  loadPreset(id: string): void;
  setAlgorithm(name: string): void;
  /** New parameters (and seed): restarts with the scenario's own timed actions. */
  setParams(params: Record<string, unknown>, seed?: number): void;
  addNode(): void;
  removeNode(id?: number): void;
  /** Rebuilds the simulation from time 0 with every recorded action: the same story again. */
  replay(): void;
  /** The scenario with every action recorded so far (what a share link will carry). */
  exportScenario(): ScenarioInput;
  /**
   * Sends every user action (faults, partitions, requests) to `fn` instead of this
   * store's session: compare mode applies each one to both runs. Null restores the default.
   */
  routeActions(fn: ((action: UntimedAction) => void) | null): void;
  answerConfirm(ok: boolean): void;
}

function withPositions(s: ScenarioInput): ScenarioInput {
  return { ...s, nodes: s.nodes.map((n) => ({ ...n })), actions: (s.actions ?? []).slice() };
}

const prefersReducedMotion = (): boolean =>
  typeof window !== 'undefined' &&
  typeof window.matchMedia === 'function' &&
  window.matchMedia('(prefers-reduced-motion: reduce)').matches;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function createPlaygroundStore(
  initial: ScenarioInput = baseScenario(),
  opts: { host?: SessionHost } = {},
) {
  const session = new SimulationSession(initial, { host: opts.host, speed: DEFAULT_SPEED });
  let toastKey = 0;
  /** UI state that must land together with the session's next snapshot. */
  let riding: Partial<PlaygroundState> | null = null;
  let route: ((action: UntimedAction) => void) | null = null;

  const store = createStore<PlaygroundState>()((set, get) => {
    function target(id?: number): number | undefined {
      if (id !== undefined) return id;
      const s = get();
      return s.selected.length > 0 ? s.selected[s.selected.length - 1] : undefined;
    }

    const act = (action: UntimedAction) => {
      if (route) route(action);
      else session.apply(action);
    };

    /** Replaces the simulation; a refused scenario leaves everything as it was and says why. */
    function replaceSim(scenario: ScenarioInput, presetId: string | null): boolean {
      // the new scenario, its first picture and the cleared selection arrive in one update
      riding = {
        scenario: withPositions(scenario),
        presetId,
        selected: [],
        link: null,
        menu: null,
      };
      const r = session.load(scenario);
      riding = null;
      if (!r.ok) get().showToast(`Scenario not loaded: ${r.error}`, 'error');
      return r.ok;
    }

    function confirmThen(title: string, message: string, run: () => void, ask = true): void {
      if (!ask || get().userActions === 0) run();
      else set({ confirm: { title, message, confirmLabel: 'Restart', run } });
    }

    const discards = () =>
      `This starts a new simulation at 0 ms and discards the ${get().userActions} action(s) you applied.`;

    return {
      scenario: withPositions(initial),
      presetId: 'five',
      session,
      ...session.snapshot(),
      selected: [],
      link: null,
      menu: null,
      confirm: null,
      shortcutsOpen: false,
      toast: null,
      reducedMotion: prefersReducedMotion(),

      play: () => session.play(),
      pause: () => session.pause(),
      togglePlay: () => session.togglePlay(),
      setSpeed: (speed) => session.setSpeed(speed),
      step: () => void session.step(),
      runFor: (ms) => session.runFor(ms),
      runUntilViolation: () => void session.runUntilViolation(),
      seek: (i) => session.seek(i),
      stepBack: () => void session.stepBack(),
      runToEvent: (i, onDone) => session.runToEvent(i, onDone),
      cancelSeek: () => session.cancelSeek(),
      runUntilLeaderChange: () => void session.runUntilLeaderChange(),

      apply(action) {
        act(action);
      },
      kill(id) {
        const n = target(id);
        if (n !== undefined) act(faults.kill(n));
      },
      restart(id) {
        const n = target(id);
        if (n !== undefined) act(faults.restart(n));
      },
      pauseNode(id) {
        const n = target(id);
        if (n !== undefined) act(faults.pause(n));
      },
      resumeNode(id) {
        const n = target(id);
        if (n !== undefined) act(faults.resume(n));
      },
      togglePaused(id) {
        const n = target(id);
        if (n === undefined) return;
        const node = get().view.byId.get(n);
        act(node?.paused ? faults.resume(n) : faults.pause(n));
      },
      forceTimeout(id) {
        const n = target(id);
        if (n !== undefined) act(faults.timeout(n));
      },
      cut(from, to, oneWay = false) {
        act(faults.cutLink(from, to, oneWay));
      },
      heal(from, to, oneWay = false) {
        act(faults.healLink(from, to, oneWay));
      },
      toggleSelectedLink() {
        const { link, view } = get();
        if (!link) {
          get().showToast('Select a link first: click the line between two nodes.');
          return;
        }
        const cutAB = view.cuts.has(linkKey(link.from, link.to));
        const cutBA = view.cuts.has(linkKey(link.to, link.from));
        if (cutAB || cutBA) get().heal(link.from, link.to);
        else get().cut(link.from, link.to);
      },
      isolate(ids) {
        const { view } = get();
        const chosen = [...new Set(ids)].filter((id) => view.byId.has(id)).sort((a, b) => a - b);
        if (chosen.length === 0) {
          get().showToast('Select nodes first (shift-click or drag a lasso), then press I.');
          return;
        }
        if (chosen.length === view.nodes.length) {
          get().showToast('A partition needs nodes on both sides.');
          return;
        }
        const current = partitionGroups(view) ?? [view.nodes.map((n) => n.id)];
        const rest = current
          .map((g) => g.filter((id) => !chosen.includes(id)))
          .filter((g) => g.length > 0);
        act(faults.partition(...rest, chosen));
      },
      healAll() {
        act(faults.healAll());
      },
      setLatency(min, max, from, to) {
        const lo = Math.max(0, Math.min(min, max));
        const hi = Math.max(min, max);
        if (from !== undefined && to !== undefined)
          act({ type: 'setLatency', min: lo, max: hi, from, to } as UntimedAction);
        else act(faults.setLatency(lo, hi));
      },
      setLoss(loss) {
        act(faults.setLoss(Math.min(1, Math.max(0, loss))));
      },

      selectNode(id, additive = false) {
        if (id === null) {
          set({ selected: [], link: null });
          return;
        }
        const { selected } = get();
        if (additive)
          set({
            selected: selected.includes(id) ? selected.filter((n) => n !== id) : [...selected, id],
            link: null,
          });
        else set({ selected: [id], link: null });
      },
      selectNodes(ids) {
        set({ selected: ids, link: null });
      },
      selectLink(from, to) {
        set({ link: { from, to }, selected: [] });
      },
      clearSelection() {
        set({ selected: [], link: null, menu: null });
      },
      openMenu(menu) {
        set({ menu });
      },
      closeMenu() {
        if (get().menu) set({ menu: null });
      },
      setShortcutsOpen(open) {
        set({ shortcutsOpen: open });
      },
      moveNode(id, x, y) {
        const { scenario } = get();
        set({
          scenario: {
            ...scenario,
            nodes: scenario.nodes.map((n) =>
              n.id === id ? { ...n, x: Math.round(x), y: Math.round(y) } : n,
            ),
          },
        });
      },
      showToast(text, tone = 'info') {
        set({ toast: { key: ++toastKey, text, tone } });
      },

      load(input, opts = {}) {
        confirmThen(
          opts.title ?? 'Restart the simulation?',
          discards(),
          () => void replaceSim(input as ScenarioInput, opts.presetId ?? null),
          opts.ask ?? true,
        );
      },
      loadPreset(id) {
        const p = [...presets, ...algorithmPresets(get().scenario.algorithm)].find(
          (x) => x.id === id,
        );
        if (!p) return;
        get().load(p.build(get().scenario.algorithm), {
          presetId: id,
          title: `Load "${p.title}"?`,
        });
      },
      setAlgorithm(name) {
        if (!registry[name]) return;
        const { scenario } = get();
        if (scenario.algorithm === name) return;
        get().load(
          { ...scenario, algorithm: name, params: {}, actions: [] },
          { presetId: get().presetId, title: `Switch to ${registry[name].title}?` },
        );
      },
      setParams(params, seed) {
        const { scenario } = get();
        // the scenario's own timed actions stay; only the ones the user applied go
        const scripted = (scenario.actions ?? []).map((a: Action) => ({ ...a }));
        const kept =
          scripted.length > 0
            ? ` The scenario's ${plural(scripted.length, 'timed action')} ${scripted.length === 1 ? 'is' : 'are'} kept.`
            : '';
        confirmThen(
          'Apply the new parameters?',
          `This starts a new simulation at 0 ms and discards the ${get().userActions} action(s) you applied.${kept}`,
          () =>
            void replaceSim(
              { ...scenario, params, seed: seed ?? scenario.seed, actions: scripted },
              null,
            ),
        );
      },
      addNode() {
        const { scenario } = get();
        if (scenario.nodes.length >= 64) {
          get().showToast('A scenario has at most 64 nodes.');
          return;
        }
        const id = Math.max(0, ...scenario.nodes.map((n) => n.id)) + 1;
        get().load(
          {
            ...scenario,
            nodes: [...scenario.nodes.map(({ id: nid, label }) => ({ id: nid, label })), { id }],
            actions: [],
          },
          { presetId: null, title: `Add node ${id}?` },
        );
      },
      removeNode(id) {
        const { scenario } = get();
        if (scenario.nodes.length <= 1) {
          get().showToast('A scenario needs at least one node.');
          return;
        }
        const victim = id ?? scenario.nodes[scenario.nodes.length - 1].id;
        get().load(
          {
            ...scenario,
            nodes: scenario.nodes
              .filter((n) => n.id !== victim)
              .map(({ id: nid, label }) => ({ id: nid, label })),
            actions: [],
          },
          { presetId: null, title: `Remove node ${victim}?` },
        );
      },
      replay() {
        const r = session.replay();
        if (!r.ok) get().showToast(`Scenario not loaded: ${r.error}`, 'error');
      },
      exportScenario() {
        return { ...get().scenario, actions: session.actions() };
      },
      routeActions(fn) {
        route = fn;
      },
      answerConfirm(ok) {
        const c = get().confirm;
        set({ confirm: null });
        if (ok && c) c.run();
      },
    };
  });

  session.subscribe((snap) => {
    const extra = riding;
    riding = null;
    store.setState(extra ? { ...snap, ...extra } : snap);
  });
  session.onNotice((n) => {
    const s = store.getState();
    if (n.kind === 'breakpoint') {
      if (n.stopped) s.showToast(`Stopped at a breakpoint: ${n.text}`);
    } else s.showToast(n.text, n.kind === 'error' ? 'error' : 'info');
  });
  return store;
}

export type PlaygroundStore = ReturnType<typeof createPlaygroundStore>;

export const playground: PlaygroundStore = createPlaygroundStore();

/**
 * The store the components below read: the playground's by default; compare mode gives
 * each of its two network views its own (the right run's).
 */
export const PlaygroundContext = createContext<PlaygroundStore>(playground);

/** The store of the view this component belongs to (for actions and getState). */
export function usePlaygroundStore(): PlaygroundStore {
  return useContext(PlaygroundContext);
}

export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  return useStore(useContext(PlaygroundContext), selector);
}

/**
 * The definition of the algorithm on screen: its words, roles, message kinds and facts.
 * It follows the published view, so a component never reads one algorithm's nodes with
 * another's definition while a new scenario loads.
 */
export function useDefinition(): AlgorithmDefinition {
  return usePlayground((s) => registry[s.view.algorithm]);
}

/** The definition of the algorithm running now (outside React). */
export function currentDefinition(): AlgorithmDefinition {
  return registry[playground.getState().scenario.algorithm];
}

export { isBlocked, linkKey };
