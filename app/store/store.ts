/**
 * The playground's single store (Zustand). It owns the simulation handle and is the only
 * code that calls it: playback (simulated time advanced by real elapsed time x speed on
 * every animation frame), stepping, user actions (each through `sim.apply`, so it is
 * recorded in the scenario and replays exactly), scenario changes, selection and UI
 * state. React panels and the D3 view only read from it and call its actions.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import {
  createSimulation,
  faults,
  registry,
  ScenarioError,
  type Action,
  type AlgorithmDefinition,
  type ScenarioInput,
  type Simulation,
  type TraceRecord,
} from '../../algorithms/index';
import { algorithmPresets, baseScenario, DEFAULT_SPEED, presets } from './scenarios';
import {
  buildView,
  isBlocked,
  linkKey,
  partitionGroups,
  type SimView,
  type TimerStarts,
} from './view';

type UntimedAction = Parameters<Simulation['apply']>[0];

export const MIN_SPEED = 0.01;
export const MAX_SPEED = 100;
const LOG_CAP = 400;
const FRAME_BUDGET_MS = 10;
/** A far seek replays this long per frame (the first slice, run at once, a little longer). */
const SEEK_SLICE_MS = 12;
const SEEK_FIRST_SLICE_MS = 50;
/** "Run until next leader change" gives up after this much simulated time. */
const LEADER_SEARCH_MS = 120_000;

export interface LogEntry {
  key: number;
  /** µs */
  t: number;
  /** A processed event, or a change of the cluster's leader. */
  kind: TraceRecord['kind'] | 'leader';
  rec?: TraceRecord;
  /** For faults: the action, for a precise line. */
  action?: Action;
  /** For leader changes. */
  node?: number | null;
  term?: number;
}

export interface DropEffect {
  key: number;
  from: number;
  to: number;
  label: string;
  reason: string;
  /** Where along the link it failed, 0..1. */
  at: number;
}

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

export interface PlaygroundState {
  /** The scenario as loaded (with node positions); the live action log is sim.scenario.actions. */
  scenario: ScenarioInput;
  presetId: string | null;
  sim: Simulation;
  view: SimView;
  /** Simulated clock, µs (changes every frame while playing). */
  now: number;
  playing: boolean;
  speed: number;
  /** True when the last frame could not keep up with the requested speed. */
  lagging: boolean;
  selected: number[];
  link: { from: number; to: number } | null;
  menu: Menu;
  confirm: Confirm | null;
  shortcutsOpen: boolean;
  toast: Toast | null;
  /** Bumped whenever the event log gains entries (the log itself is a ring buffer). */
  logRev: number;
  drops: DropEffect[];
  /** Actions the user applied since the scenario was loaded. */
  userActions: number;
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
   * Goes to event index `i`, running forward as far as needed (a shared link lands on its
   * event). A far event is replayed in slices, one per frame, with `seeking` showing the
   * progress; `onDone` runs once it is there (or at the end of a run that stops earlier).
   */
  runToEvent(i: number, onDone?: () => void): void;
  /** A far seek under way (runToEvent): where it started, where it is, where it goes. */
  seeking: { from: number; index: number; target: number } | null;
  /** Stops a far seek where it is. */
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
  setParams(params: Record<string, unknown>, seed?: number): void;
  addNode(): void;
  removeNode(id?: number): void;
  /** Rebuilds the simulation from time 0 with every recorded action: the same story again. */
  replay(): void;
  /** The scenario with every action recorded so far (what a share link will carry). */
  exportScenario(): ScenarioInput;
  answerConfirm(ok: boolean): void;
  readonly log: LogEntry[];
}

// ---- engine-side bookkeeping (not React state) ---------------------------------------

let logKey = 0;
let dropKey = 0;
let toastKey = 0;
const log: LogEntry[] = [];
let timerStarts: TimerStarts = new Map();
let inFlightById = new Map<number, SimView['inFlight'][number]>();

function pushLog(e: Omit<LogEntry, 'key'>): void {
  log.push({ ...e, key: ++logKey });
  if (log.length > LOG_CAP * 1.5) log.splice(0, log.length - LOG_CAP);
}

function noteTimers(sim: Simulation, nodeId: number, t: number): void {
  const due = sim.timersOf(nodeId);
  let m = timerStarts.get(nodeId);
  if (!m) timerStarts.set(nodeId, (m = new Map()));
  for (const id in due) {
    const d = due[id];
    const prev = m.get(id);
    if (!prev || prev.due !== d) m.set(id, { due: d, start: t });
  }
  for (const id of m.keys()) if (!(id in due)) m.delete(id);
}

function resetBookkeeping(sim: Simulation): void {
  log.length = 0;
  timerStarts = new Map();
  for (const n of sim.scenario.nodes) noteTimers(sim, n.id, 0);
  inFlightById = new Map();
}

/** With history (checkpoints + trace) so that the debugger can step back and seek. */
function build(input: unknown): Simulation {
  return createSimulation(input, { history: true, keepTrace: true });
}

/**
 * Debugger hook (app/debug/breakpoints.ts): called after every event processed while
 * running; a non-null answer stops the run right after that event and is shown.
 */
export type BreakCheck = (
  sim: Simulation,
  rec: TraceRecord,
  leaderBefore: number | null,
) => string | null;
let breakCheck: BreakCheck | null = null;
export function setBreakCheck(fn: BreakCheck | null): void {
  breakCheck = fn;
}

function withPositions(s: ScenarioInput): ScenarioInput {
  return { ...s, nodes: s.nodes.map((n) => ({ ...n })), actions: (s.actions ?? []).slice() };
}

const prefersReducedMotion = (): boolean =>
  typeof window !== 'undefined' &&
  typeof window.matchMedia === 'function' &&
  window.matchMedia('(prefers-reduced-motion: reduce)').matches;

// ---- the store -----------------------------------------------------------------------

export function createPlaygroundStore(initial: ScenarioInput = baseScenario()) {
  const firstSim = build(initial);
  resetBookkeeping(firstSim);
  let raf = 0;
  let lastFrame = 0;
  let carry = 0;

  const store = createStore<PlaygroundState>()((set, get) => {
    /** Handles one processed event: log, timers, drop effects, leader changes. */
    function observe(
      sim: Simulation,
      rec: TraceRecord,
      leaderBefore: number | null,
      action?: Action,
    ): void {
      if (rec.node) noteTimers(sim, rec.node, rec.t);
      const m = rec.msg !== undefined ? inFlightById.get(rec.msg) : undefined;
      pushLog({ t: rec.t, kind: rec.kind, rec, action });
      if (rec.kind === 'drop' && m && rec.reason !== 'loss') {
        const at = rec.reason === 'cut' || rec.reason === 'partition' ? 0.5 : 1;
        pendingDrops.push({
          key: ++dropKey,
          from: m.from,
          to: m.to,
          label: rec.label ?? m.label,
          reason: rec.reason ?? 'dropped',
          at,
        });
      }
      if (sim.leader !== leaderBefore) {
        pushLog({ t: rec.t, kind: 'leader', node: sim.leader, term: sim.leaderTerm });
      }
    }
    let pendingDrops: DropEffect[] = [];
    /** Set by stepOne when a breakpoint matched; checked by the run loops. */
    let breakHit: string | null = null;

    /** Processes the next event (call sim.nextEventTime() first so stale timers are gone). */
    function stepOne(sim: Simulation): TraceRecord | null {
      const action = sim.nextEvent()?.action;
      const before = sim.leader;
      const rec = sim.step();
      if (rec) {
        observe(sim, rec, before, action);
        if (breakCheck) breakHit = breakCheck(sim, rec, before) ?? breakHit;
      }
      return rec;
    }

    /** Rebuilds the view after events were processed and publishes it. */
    function publish(extra: Partial<PlaygroundState> = {}): void {
      const { sim } = get();
      const view = buildView(sim, timerStarts);
      inFlightById = new Map(view.inFlight.map((m) => [m.id, m]));
      const drops = pendingDrops.length
        ? [...get().drops, ...pendingDrops].slice(-40)
        : get().drops;
      pendingDrops = [];
      set({ view, now: sim.now, logRev: logKey, drops, ...extra });
    }

    /**
     * Processes events up to simulated time `target` (µs) within a wall-clock budget.
     * Returns the number of events and whether the budget ran out first.
     */
    function advanceTo(target: number, budgetMs = FRAME_BUDGET_MS): [number, boolean] {
      const { sim } = get();
      const t0 = performance.now();
      let n = 0;
      breakHit = null;
      for (;;) {
        const next = sim.nextEventTime();
        if (next === undefined || next > target) break;
        if (!stepOne(sim)) break;
        n++;
        if (breakHit) return [n, false];
        if ((n & 31) === 0 && performance.now() - t0 > budgetMs) return [n, true];
      }
      sim.runUntilTime(target);
      return [n, false];
    }

    /** After a run stopped at a breakpoint: pause there and say why. */
    function stopAtBreakpoint(): boolean {
      if (!breakHit) return false;
      const why = breakHit;
      breakHit = null;
      stopLoop();
      set({ playing: false, lagging: false });
      get().showToast(`Stopped at a breakpoint: ${why}`);
      return true;
    }

    /**
     * Moves the simulation to event index `i` and redraws from there. It lands a few
     * hundred events early and steps the rest, watching timers, so the countdown rings
     * know when their timers started.
     */
    function seekTo(i: number): void {
      const { sim } = get();
      const max = sim.history?.maxIndex ?? sim.index;
      // a long run keeps only its last events: nothing before the history's start
      const start = sim.history?.start ?? 0;
      const target = Math.max(start, Math.min(Math.floor(i), max));
      sim.seek(Math.max(start, target - 256));
      resetBookkeeping(sim);
      while (sim.index < target) {
        const rec = sim.step();
        if (!rec) break;
        if (rec.node) noteTimers(sim, rec.node, rec.t);
      }
      pendingDrops = [];
      carry = 0;
      publish({ drops: [] });
    }

    let seekRaf = 0;
    let seekDone: (() => void) | null = null;

    /** Replays one slice of the far seek; schedules the next one, or lands. */
    function seekSlice(budgetMs: number): void {
      seekRaf = 0;
      const { sim, seeking } = get();
      if (!seeking) return;
      if (sim.index !== seeking.index) {
        // something else moved the run in between (a step, say): the seek is abandoned
        seekDone = null;
        set({ seeking: null });
        return;
      }
      const t0 = performance.now();
      const stop = () => performance.now() - t0 > budgetMs;
      let finished: boolean;
      try {
        finished = sim.seekTo(seeking.target, { shouldStop: stop });
        // without frames (tests in Node) there is nothing to keep responsive
        while (!finished && typeof requestAnimationFrame === 'undefined')
          finished = sim.seekTo(seeking.target);
      } catch (e) {
        cancelFarSeek();
        fail(e);
        return;
      }
      if (!finished) {
        set({ seeking: { ...seeking, index: sim.index } });
        seekRaf = requestAnimationFrame(() => seekSlice(SEEK_SLICE_MS));
        return;
      }
      const done = seekDone;
      seekDone = null;
      set({ seeking: null });
      seekTo(sim.index);
      if (sim.index < seeking.target)
        get().showToast(
          `Event ${seeking.target.toLocaleString('en')} lies beyond the end of this run: showing its last event (${sim.index.toLocaleString('en')}).`,
        );
      done?.();
    }

    function cancelFarSeek(): void {
      if (seekRaf) cancelAnimationFrame(seekRaf);
      seekRaf = 0;
      seekDone = null;
      if (get().seeking) {
        set({ seeking: null });
        seekTo(get().sim.index);
      }
    }

    /** A modelling error in an algorithm must not take the page down: stop and say so. */
    function fail(e: unknown): void {
      stopLoop();
      const msg = e instanceof Error ? e.message : String(e);
      console.error('Simulation stopped:', e);
      try {
        publish();
      } catch {
        /* the picture stays as it was */
      }
      set({ playing: false, lagging: false });
      get().showToast(`The simulation stopped: ${msg}`, 'error');
    }

    function guarded<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
      return (...args: A) => {
        try {
          fn(...args);
        } catch (e) {
          fail(e);
        }
      };
    }

    function frame(ts: number): void {
      try {
        frameUnguarded(ts);
      } catch (e) {
        fail(e);
      }
    }

    function frameUnguarded(ts: number): void {
      raf = 0;
      const s = get();
      if (!s.playing) return;
      const dt = lastFrame ? Math.min(ts - lastFrame, 100) : 16;
      lastFrame = ts;
      carry += dt * 1000 * s.speed;
      const whole = Math.floor(carry);
      carry -= whole;
      const [n, lagging] = advanceTo(s.sim.now + whole);
      if (stopAtBreakpoint()) {
        publish();
        return;
      }
      if (n > 0) publish({ lagging });
      else set({ now: s.sim.now, ...(s.lagging !== lagging ? { lagging } : {}) });
      raf = requestAnimationFrame(frame);
    }

    function startLoop(): void {
      if (get().seeking) cancelFarSeek();
      if (raf || typeof requestAnimationFrame === 'undefined') return;
      lastFrame = 0;
      raf = requestAnimationFrame(frame);
    }

    function stopLoop(): void {
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
    }

    /** Applies a user action at the current time and processes it at once, even when paused. */
    const act = guarded((action: UntimedAction): void => {
      if (get().seeking) cancelFarSeek();
      const { sim } = get();
      const hadFuture = sim.history?.hasFuture ?? false;
      const lost = hadFuture ? (sim.history?.maxIndex ?? 0) - sim.index : 0;
      sim.apply(action);
      advanceTo(sim.now, 1000);
      breakHit = null;
      publish({ userActions: get().userActions + 1 });
      if (hadFuture) {
        const n = sim.lastDiscarded;
        get().showToast(
          `You acted in the past: the ${lost.toLocaleString('en')} explored event${lost === 1 ? '' : 's'} after this point were discarded${n > 0 ? `, with ${n} recorded action${n === 1 ? '' : 's'}` : ''}.`,
        );
      }
    });

    function target(id?: number): number | undefined {
      if (id !== undefined) return id;
      const s = get();
      return s.selected.length > 0 ? s.selected[s.selected.length - 1] : undefined;
    }

    function replaceSim(scenario: ScenarioInput, presetId: string | null): boolean {
      if (seekRaf) cancelAnimationFrame(seekRaf);
      seekRaf = 0;
      seekDone = null;
      let sim: Simulation;
      try {
        sim = build(scenario);
      } catch (e) {
        const msg = e instanceof ScenarioError ? e.message : String(e);
        get().showToast(`Scenario not loaded: ${msg}`, 'error');
        return false;
      }
      resetBookkeeping(sim);
      pendingDrops = [];
      carry = 0;
      // the new simulation and its picture arrive together: no view of one with the other
      set({
        scenario: withPositions(scenario),
        presetId,
        sim,
        view: buildView(sim, timerStarts),
        userActions: 0,
        selected: [],
        link: null,
        menu: null,
        drops: [],
        seeking: null,
      });
      publish();
      return true;
    }

    function confirmThen(title: string, message: string, run: () => void, ask = true): void {
      if (!ask || get().userActions === 0) run();
      else set({ confirm: { title, message, confirmLabel: 'Restart', run } });
    }

    return {
      scenario: withPositions(initial),
      presetId: 'five',
      sim: firstSim,
      view: buildView(firstSim, timerStarts),
      now: firstSim.now,
      playing: false,
      speed: DEFAULT_SPEED,
      lagging: false,
      selected: [],
      link: null,
      menu: null,
      confirm: null,
      shortcutsOpen: false,
      toast: null,
      logRev: 0,
      drops: [],
      userActions: 0,
      reducedMotion: prefersReducedMotion(),
      seeking: null,
      log,

      play() {
        if (get().playing) return;
        set({ playing: true });
        startLoop();
      },
      pause() {
        stopLoop();
        if (get().playing) set({ playing: false, lagging: false });
      },
      togglePlay() {
        if (get().playing) get().pause();
        else get().play();
      },
      setSpeed(speed) {
        const v = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
        set({ speed: v });
      },
      step: guarded(() => {
        get().pause();
        const { sim } = get();
        sim.nextEventTime();
        breakHit = null;
        if (!stepOne(sim)) {
          get().showToast('Nothing left to happen: the event queue is empty.');
          return;
        }
        publish();
      }),
      runFor: guarded((ms: number) => {
        const { sim } = get();
        advanceTo(sim.now + Math.round(ms * 1000), 60_000);
        if (stopAtBreakpoint()) get().pause();
        publish();
      }),
      runUntilViolation: guarded(() => {
        get().pause();
        const { sim } = get();
        const count = sim.violations().length;
        const limit = sim.now + LEADER_SEARCH_MS * 1000;
        const t0 = performance.now();
        let found = false;
        for (;;) {
          const next = sim.nextEventTime();
          if (next === undefined || next > limit) break;
          if (!stepOne(sim)) break;
          if (sim.violations().length > count) {
            found = true;
            break;
          }
          if (performance.now() - t0 > 3000) break;
        }
        breakHit = null;
        if (!found) get().showToast('No invariant violation in the next 120 s of simulated time.');
        publish();
      }),
      seek: guarded((i: number) => {
        get().pause();
        if (get().seeking) cancelFarSeek();
        seekTo(i);
      }),
      stepBack: guarded(() => {
        get().pause();
        if (get().seeking) cancelFarSeek();
        const { sim } = get();
        const start = sim.history?.start ?? 0;
        if (sim.index <= start) {
          get().showToast(
            start === 0
              ? 'This is the start: nothing happened before.'
              : `History is kept from event ${start.toLocaleString('en')}: older events were dropped to bound memory.`,
          );
          return;
        }
        seekTo(sim.index - 1);
      }),
      runToEvent: guarded((i: number, onDone?: () => void) => {
        get().pause();
        if (get().seeking) cancelFarSeek();
        const { sim } = get();
        seekDone = onDone ?? null;
        set({ seeking: { from: sim.index, index: sim.index, target: Math.max(0, Math.floor(i)) } });
        seekSlice(SEEK_FIRST_SLICE_MS);
      }),
      cancelSeek() {
        cancelFarSeek();
      },
      runUntilLeaderChange: guarded(() => {
        const { sim } = get();
        const start = sim.leader;
        const startTerm = sim.leaderTerm;
        const limit = sim.now + LEADER_SEARCH_MS * 1000;
        const t0 = performance.now();
        let found = false;
        for (;;) {
          const next = sim.nextEventTime();
          if (next === undefined || next > limit) break;
          if (!stepOne(sim)) break;
          if (sim.leader !== start || sim.leaderTerm !== startTerm) {
            found = true;
            break;
          }
          if (performance.now() - t0 > 3000) break;
        }
        if (!found) {
          if (sim.now < limit && sim.nextEventTime() === undefined) sim.runUntilTime(sim.now);
          get().showToast('No change of leader in the next 120 s of simulated time.');
        }
        publish();
      }),

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
        const run = () => {
          if (replaceSim(input as ScenarioInput, opts.presetId ?? null)) {
            /* loaded */
          }
        };
        confirmThen(
          opts.title ?? 'Restart the simulation?',
          `This starts a new simulation at 0 ms and discards the ${get().userActions} action(s) you applied.`,
          run,
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
        get().load(
          { ...scenario, params, seed: seed ?? scenario.seed, actions: [] },
          { presetId: null, title: 'Apply the new parameters?' },
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
        const s = get().exportScenario();
        const acted = get().userActions;
        if (replaceSim(s, get().presetId)) set({ userActions: acted });
      },
      exportScenario() {
        const { scenario, sim } = get();
        return { ...scenario, actions: sim.scenario.actions.map((a: Action) => ({ ...a })) };
      },
      answerConfirm(ok) {
        const c = get().confirm;
        set({ confirm: null });
        if (ok && c) c.run();
      },
    };
  });

  // the log array identity never changes; keep the field pointing at it
  return store;
}

export type PlaygroundStore = ReturnType<typeof createPlaygroundStore>;

export const playground: PlaygroundStore = createPlaygroundStore();

export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  return useStore(playground, selector);
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
