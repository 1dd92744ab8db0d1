/**
 * One simulation on screen, and everything engine-side that goes with it, in plain
 * TypeScript (no React, no Zustand, no DOM: the clock and the frame scheduler are handed
 * in, so it runs in Node under test):
 *
 * - building the simulation (with history, so that it can seek and step back), loading
 *   and replacing scenarios (a bad one is refused with a readable error; the run on
 *   screen stays);
 * - the playback clock: on every frame, simulated time advances by the real time elapsed
 *   times the speed, within a frame budget (`lagging` when it could not keep up);
 * - stepping, step back, seek, run-for, run until the leader changes, until a new
 *   invariant violation, or to an event index; a far event index (a link to event
 *   1,000,000) is reached in slices, one per frame, with its progress published and a
 *   way to cancel, so that the page stays responsive;
 * - a long run keeps only its last events (the engine's history window): seeks stay
 *   within what is kept;
 * - user actions, each through `sim.apply` so it is recorded and replays exactly (acting
 *   in the past discards the explored future, and the session says how much);
 * - the bookkeeping the views need: the event log window, when each pending timer
 *   started (the countdown rings), dropped messages to animate, breakpoint checks and the
 *   run index (markers, roles, violations).
 *
 * It publishes immutable read models through `subscribe`: each one (the view, the run
 * position, the run index summary, the log window, the drop effects) is a new object
 * exactly when it changed, and they are published together, so every listener sees one
 * consistent picture of one moment of the run.
 */
import {
  createSimulation,
  ScenarioError,
  type Action,
  type NetworkTiming,
  type ScenarioInput,
  type Simulation,
  type TraceRecord,
} from '../../algorithms/index';
import { checkAgreement, type AgreementReport } from '../../algorithms/index';

type AnyStateMachine = ReturnType<Simulation['machineOf']>;
import { compile } from '../debug/breakpoints';
import type { Breakpoint } from '../debug/debugStore';
import { RunIndex, type RunIndexView } from '../debug/runIndex';
import { buildView, type SimView, type TimerStarts } from '../store/view';

export type UntimedAction = Parameters<Simulation['apply']>[0];

export const MIN_SPEED = 0.01;
export const MAX_SPEED = 100;
/** Events kept in the log window. */
export const LOG_CAP = 400;
/** Real time a frame may spend processing events, ms. */
export const FRAME_BUDGET_MS = 10;
/** A frame never advances more than this much real time (a background tab, a debugger pause). */
export const MAX_FRAME_MS = 100;
/** "Run until" searches give up after this much simulated time (ms). */
export const SEARCH_MS = 120_000;
/** Drop effects kept for the network view's animation. */
const DROPS_CAP = 40;
/**
 * Real time a run to an event may take at once (ms); beyond it the run goes on in slices
 * with its progress shown: SEEK_TASK_SLICE_MS each, one task after another, where the host
 * has tasks (the page: input and frames get their turn between two slices, and a slice
 * does not wait for the next frame), else SEEK_SLICE_MS, one per frame. A task slice of
 * 50 ms keeps input and the bar within a frame or three, and gives the page's frames (the
 * bar's layout, paint and composite, ~6 ms each) a tenth of the time instead of a sixth.
 */
export const SEEK_FIRST_SLICE_MS = 50;
export const SEEK_SLICE_MS = 12;
export const SEEK_TASK_SLICE_MS = 50;
/**
 * Between two updates of a far seek's progress bar when slices are tasks (ms): each update
 * is a frame with a layout, a paint and a composite in three processes; ten a second read
 * as smooth and leave that work to the replay.
 */
export const SEEK_PROGRESS_MS = 100;

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

/** Where the run stands. */
export interface RunPosition {
  /** Events processed (0 = the start). */
  index: number;
  /** The end of the explored run (>= index). */
  max: number;
  /** The run stands before the end of what was explored (the user went back). */
  hasFuture: boolean;
  /** Time of the last processed event, µs. */
  lastEventTime: number;
  /** Actions recorded in the scenario so far (scripted and applied). */
  actions: number;
}

/** A run to a far event under way: where it started, where it is, where it goes. */
export interface SeekProgress {
  from: number;
  index: number;
  target: number;
}

export interface SessionSnapshot {
  /** Bumped whenever a new simulation replaces the old one (load, replay). */
  generation: number;
  /** Simulated clock, µs (changes every frame while playing). */
  now: number;
  playing: boolean;
  speed: number;
  /** True when the last frame could not keep up with the requested speed. */
  lagging: boolean;
  /** Actions the user applied since the scenario was loaded. */
  userActions: number;
  view: SimView;
  position: RunPosition;
  runIndex: RunIndexView;
  /** The last LOG_CAP log entries, oldest first. */
  log: readonly LogEntry[];
  drops: readonly DropEffect[];
  /**
   * The algorithm's timing warnings for its params on the network as it is now (for
   * example an election timeout below the round trip); the same array while unchanged.
   */
  warnings: readonly string[];
  /**
   * A run to a far event under way (runToEvent), or null. While it runs, the other read
   * models stay those of the moment it started; they move once it lands.
   */
  seeking: SeekProgress | null;
}

/** Something the user should be told (the store shows it as a toast). */
export type Notice =
  | { kind: 'info' | 'error'; text: string }
  /** A breakpoint matched event `index - 1`; `stopped` when it stopped a running clock. */
  | { kind: 'breakpoint'; text: string; index: number; stopped: boolean };

export type LoadResult = { ok: true } | { ok: false; error: string };

export interface ActResult {
  /** Explored events after this point that were discarded (acting in the past). */
  discarded: number;
  /** Recorded actions discarded with them. */
  discardedActions: number;
}

/** What the session needs from its host: a clock and a frame scheduler. */
export interface SessionHost {
  /** Real time, ms (performance.now). */
  now(): number;
  /** Schedules `cb` for the next frame (requestAnimationFrame); null when there are no frames. */
  requestFrame: ((cb: (ts: number) => void) => number) | null;
  cancelFrame(handle: number): void;
  /**
   * Runs `cb` in a task of its own as soon as the page has handled what is waiting (input,
   * a frame due): how a long replay yields without waiting for the next frame. Absent:
   * the replay goes one slice per frame.
   */
  yieldTask?: (cb: () => void) => number;
  cancelTask?: (handle: number) => void;
}

export function browserHost(): SessionHost {
  const g = globalThis as {
    performance?: { now(): number };
    requestAnimationFrame?: (cb: (ts: number) => void) => number;
    cancelAnimationFrame?: (h: number) => void;
  };
  return {
    now: () => (g.performance ? g.performance.now() : 0),
    requestFrame:
      typeof g.requestAnimationFrame === 'function' ? (cb) => g.requestAnimationFrame!(cb) : null,
    cancelFrame: (h) => g.cancelAnimationFrame?.(h),
    ...taskQueue(),
  };
}

/**
 * Tasks through a MessageChannel: unlike setTimeout (clamped to 4 ms once nested), a
 * posted message runs as soon as the event loop is free, after input and any frame due.
 */
function taskQueue(): Pick<SessionHost, 'yieldTask' | 'cancelTask'> {
  if (typeof MessageChannel !== 'function') return {};
  const channel = new MessageChannel();
  const pending = new Map<number, () => void>();
  let next = 0;
  channel.port1.onmessage = (e: MessageEvent<number>) => {
    const cb = pending.get(e.data);
    pending.delete(e.data);
    cb?.();
  };
  return {
    yieldTask: (cb) => {
      const h = ++next;
      pending.set(h, cb);
      channel.port2.postMessage(h);
      return h;
    },
    cancelTask: (h) => void pending.delete(h),
  };
}

/**
 * The page keeps a shorter history than the engine's default: at about 80 bytes an event
 * (compact trace, checkpoints and the run index), 1.2M events stay near 100 MB, so a run
 * left playing at 100x for a whole lesson stays under 150 MB with the page itself; older
 * events are dropped with a note in the log ("history kept from event N").
 */
export const PAGE_HISTORY_WINDOW = 1_200_000;

/** With history (checkpoints + trace) so that the debugger can step back and seek. */
function build(input: unknown): Simulation {
  return createSimulation(input, {
    history: true,
    keepTrace: true,
    historyWindow: PAGE_HISTORY_WINDOW,
  });
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

type Listener = (s: SessionSnapshot) => void;
type NoticeListener = (n: Notice) => void;

export class SimulationSession {
  private sim: Simulation;
  private readonly host: SessionHost;
  /** The scenario as loaded (replay and parameter changes start from it). */
  private loaded: ScenarioInput;
  private generation = 0;
  private userActions = 0;

  // playback
  private playing = false;
  private speed: number;
  private lagging = false;
  private raf = 0;
  private lastFrame: number | null = null;
  /** Simulated µs owed to the clock (fractions of a µs carried between frames). */
  private carry = 0;

  // a run to a far event, in slices
  private seeking: SeekProgress | null = null;
  private seekRaf = 0;
  private seekTask = 0;
  private progressRaf = 0;
  /** When the far seek's progress was last published (host ms). */
  private progressAt = 0;
  private seekDone: (() => void) | null = null;

  // bookkeeping
  private logKey = 0;
  private dropKey = 0;
  private readonly logBuf: LogEntry[] = [];
  private timerStarts: TimerStarts = new Map();
  private inFlightById = new Map<number, SimView['inFlight'][number]>();
  private pendingDrops: DropEffect[] = [];
  private readonly index = new RunIndex();

  // breakpoints
  private check: ReturnType<typeof compile> = null;
  /** Set when a breakpoint matched during the current operation. */
  private breakHit: { text: string; index: number } | null = null;

  // published read models
  private snap: SessionSnapshot;
  private viewKey = '';
  private logKeyShown = -1;
  private readonly listeners = new Set<Listener>();
  private readonly noticeListeners = new Set<NoticeListener>();
  private readonly agreements = new WeakMap<SimView, AgreementReport>();

  /** Throws ScenarioError when `initial` is invalid (the caller's own scenario). */
  constructor(initial: ScenarioInput, opts: { host?: SessionHost; speed?: number } = {}) {
    this.host = opts.host ?? browserHost();
    this.speed = opts.speed ?? 1;
    this.sim = build(initial);
    this.loaded = initial;
    this.resetBookkeeping();
    this.snap = this.compose(true);
  }

  // ---- reading ------------------------------------------------------------------------

  snapshot(): SessionSnapshot {
    return this.snap;
  }

  /** Calls `fn` with every new snapshot; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onNotice(fn: NoticeListener): () => void {
    this.noticeListeners.add(fn);
    return () => this.noticeListeners.delete(fn);
  }

  /**
   * The simulation itself, for the automated-browser test hook only (its specs compare
   * trace hashes and drive the engine directly); the app reads the published models.
   */
  simulationForTestHook(): Simulation {
    return this.sim;
  }

  /** Every recorded action (the scenario's own and the user's), as copies. */
  actions(): Action[] {
    return this.sim.scenario.actions.map((a) => ({ ...a }));
  }

  /** The scenario as it was loaded (its own scripted actions, not the user's). */
  loadedScenario(): ScenarioInput {
    return this.loaded;
  }

  /** Time of the next event, µs, or undefined when nothing is left to happen. */
  nextEventTime(): number | undefined {
    return this.sim.nextEventTime();
  }

  traceHash(): string {
    return this.sim.traceHash();
  }

  /** The machines the nodes of simulation `generation` run (none once it was replaced). */
  machinesOf(generation: number): AnyStateMachine[] {
    return generation === this.generation ? this.sim.machines() : [];
  }

  /** The machine node `id` runs (static for a simulation). */
  machineOf(id: number): AnyStateMachine {
    return this.sim.machineOf(id);
  }

  /** The network as it is now, as the algorithm's timing defaults and warnings see it. */
  networkTiming(): NetworkTiming {
    return this.sim.networkTiming();
  }

  /**
   * Agreement on the leader at the moment `view` shows (computed once per view). A view
   * that is no longer the current one answers with what was computed for it, if anything.
   */
  agreementOf(view: SimView): AgreementReport | null {
    let r = this.agreements.get(view);
    if (!r && view === this.snap.view) {
      r = checkAgreement(this.sim);
      this.agreements.set(view, r);
    }
    return r ?? null;
  }

  /**
   * What a crash would leave of node `id` (the algorithm's persistent state) and its
   * clock rate, at the moment `view` shows; null for an unknown node or an old view.
   */
  nodeDetails(view: SimView, id: number): { persisted: unknown; clockRate: number } | null {
    if (view !== this.snap.view || !view.byId.has(id)) return null;
    const n = this.sim.node(id);
    return { persisted: n.persisted, clockRate: n.clockRate };
  }

  // ---- playback -----------------------------------------------------------------------

  play(): void {
    this.settleFarSeek();
    if (this.playing) return;
    this.playing = true;
    this.startLoop();
    this.publish(false);
  }

  pause(): void {
    this.stopLoop();
    if (!this.playing) return;
    this.playing = false;
    this.lagging = false;
    this.publish(false);
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    const v = Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
    if (v === this.speed) return;
    this.speed = v;
    this.publish(false);
  }

  /**
   * One animation frame at real time `ts` (ms): advances the simulated clock by the real
   * time since the previous frame (at most MAX_FRAME_MS) times the speed, processing the
   * events due, within FRAME_BUDGET_MS of real time.
   */
  frame(ts: number): void {
    this.raf = 0;
    if (!this.playing) return;
    try {
      const dt = this.lastFrame === null ? 16 : Math.min(ts - this.lastFrame, MAX_FRAME_MS);
      this.lastFrame = ts;
      this.carry += dt * 1000 * this.speed;
      const whole = Math.floor(this.carry);
      this.carry -= whole;
      this.breakHit = null;
      const [, lagging] = this.advanceTo(this.sim.now + whole, FRAME_BUDGET_MS);
      if (this.breakHit) {
        this.stopAtBreakpoint();
        return;
      }
      this.lagging = lagging;
      this.publish(false);
      if (this.playing) this.raf = this.host.requestFrame?.((t) => this.frame(t)) ?? 0;
    } catch (e) {
      this.fail(e);
    }
  }

  private startLoop(): void {
    if (this.raf || !this.host.requestFrame) return;
    this.lastFrame = null;
    this.raf = this.host.requestFrame((t) => this.frame(t));
  }

  private stopLoop(): void {
    if (this.raf) this.host.cancelFrame(this.raf);
    this.raf = 0;
  }

  // ---- moving through the run ---------------------------------------------------------

  /** Processes the next event (pausing first); false when nothing is left to happen. */
  step(): boolean {
    return this.guard(false, () => {
      this.pause();
      this.settleFarSeek();
      this.sim.nextEventTime();
      this.breakHit = null;
      const rec = this.stepOne();
      this.flushHit();
      if (!rec) {
        this.notify({ kind: 'info', text: 'Nothing left to happen: the event queue is empty.' });
        return false;
      }
      this.publish(true);
      return true;
    });
  }

  /** Runs `ms` of simulated time (stopping at a breakpoint). */
  runFor(ms: number): void {
    this.guard(undefined, () => {
      this.settleFarSeek();
      this.breakHit = null;
      this.advanceTo(this.sim.now + Math.round(ms * 1000), 60_000);
      if (this.breakHit) this.stopAtBreakpoint();
      else this.publish(true);
    });
  }

  /**
   * Goes forward to event index `i` (a shared link lands on its event, a lesson on its
   * caption's), pausing first. A near event is reached at once, stepping every event with
   * the bookkeeping on, as a straight run would. When that takes longer than
   * SEEK_FIRST_SLICE_MS, the rest is replayed by the engine's resumable seek in slices of
   * SEEK_SLICE_MS, one per frame, with `seeking` published after each, and the session
   * lands on `i` as a seek does (cancelSeek stops it where it is). An event beyond the end
   * of the run lands on its last event and says so. `onDone` runs once it stands there
   * (not when cancelled, or abandoned for another move).
   */
  runToEvent(i: number, onDone?: () => void): void {
    this.guard(undefined, () => {
      this.pause();
      this.abortFarSeek();
      const sim = this.sim;
      const target = Math.max(0, Math.floor(i));
      const from = sim.index;
      const t0 = this.host.now();
      let ended = false;
      let n = 0;
      this.breakHit = null;
      while (sim.index < target) {
        if ((n++ & 15) === 0 && this.host.now() - t0 > SEEK_FIRST_SLICE_MS) break;
        sim.nextEventTime();
        if (!this.stepOne()) {
          ended = true;
          break;
        }
      }
      this.flushHit();
      if (ended || sim.index >= target) {
        this.publish(true);
        this.landed(target, onDone);
        return;
      }
      // far: the rest in slices, without the per-event bookkeeping (rebuilt on landing)
      this.seeking = { from, index: sim.index, target };
      this.seekDone = onDone ?? null;
      if (!this.host.requestFrame) {
        // no frames (Node): nothing to keep responsive
        this.seekSlice(Number.POSITIVE_INFINITY);
        return;
      }
      this.publishProgress();
      this.nextSlice();
    });
  }

  /** Stops a run to a far event where it is (it lands on the event reached so far). */
  cancelSeek(): void {
    this.guard(undefined, () => this.settleFarSeek());
  }

  /** One slice of a run to a far event: replays for `budgetMs`, then lands or asks for a frame. */
  private seekSlice(budgetMs: number): void {
    this.seekRaf = 0;
    this.seekTask = 0;
    const progress = this.seeking;
    if (!progress) return;
    this.guard(undefined, () => {
      const sim = this.sim;
      const t0 = this.host.now();
      const finished = sim.seekTo(progress.target, {
        shouldStop: () => this.host.now() - t0 > budgetMs,
      });
      // the run index follows slice by slice, so that landing does not index it all at once
      this.index.update(sim);
      if (!finished) {
        this.seeking = { ...progress, index: sim.index };
        if (!this.host.yieldTask) this.publishProgress();
        else if (
          !this.progressRaf &&
          this.host.requestFrame &&
          this.host.now() - this.progressAt >= SEEK_PROGRESS_MS
        )
          // slices are tasks: the bar moves with the page's frames, not with every slice
          this.progressRaf = this.host.requestFrame(() => {
            this.progressRaf = 0;
            if (this.seeking) this.publishProgress();
          });
        this.nextSlice();
        return;
      }
      const done = this.seekDone;
      this.seeking = null;
      this.seekDone = null;
      if (this.progressRaf) this.host.cancelFrame(this.progressRaf);
      this.progressRaf = 0;
      this.seekTo(sim.index);
      this.landed(progress.target, done ?? undefined);
    });
  }

  /** Asks for the next slice of a far run: a task of its own when the host has them, else a frame. */
  private nextSlice(): void {
    if (this.host.yieldTask)
      this.seekTask = this.host.yieldTask(() => this.seekSlice(SEEK_TASK_SLICE_MS));
    else this.seekRaf = this.host.requestFrame?.(() => this.seekSlice(SEEK_SLICE_MS)) ?? 0;
  }

  /** After a run to event `target`: says so when the run ended before it, then `onDone`. */
  private landed(target: number, onDone?: () => void): void {
    const at = this.sim.index;
    if (at < target)
      this.notify({
        kind: 'info',
        text: `Event ${target.toLocaleString('en')} lies beyond the end of this run: showing its last event (${at.toLocaleString('en')}).`,
      });
    onDone?.();
  }

  /** A run to a far event stops where it is and the session lands there (bookkeeping and all). */
  private settleFarSeek(): void {
    if (!this.seeking) return;
    this.abortFarSeek();
    this.seekTo(this.sim.index);
  }

  /** Forgets a run to a far event (the caller moves the run, or replaces it, right after). */
  private abortFarSeek(): void {
    if (this.seekRaf) this.host.cancelFrame(this.seekRaf);
    if (this.seekTask) this.host.cancelTask?.(this.seekTask);
    if (this.progressRaf) this.host.cancelFrame(this.progressRaf);
    this.seekRaf = 0;
    this.seekTask = 0;
    this.progressRaf = 0;
    this.seekDone = null;
    this.seeking = null;
  }

  /** Publishes the far run's progress alone: the rest stays the picture it started from. */
  private publishProgress(): void {
    this.progressAt = this.host.now();
    const next = { ...this.snap, seeking: this.seeking };
    this.snap = next;
    for (const fn of [...this.listeners]) fn(next);
  }

  /** Runs until the cluster's leader changes (or SEARCH_MS of simulated time); whether it did. */
  runUntilLeaderChange(): boolean {
    return this.guard(false, () => {
      this.settleFarSeek();
      const sim = this.sim;
      const start = sim.leader;
      const startTerm = sim.leaderTerm;
      const found = this.search(() => sim.leader !== start || sim.leaderTerm !== startTerm);
      if (!found) {
        if (sim.nextEventTime() === undefined) sim.runUntilTime(sim.now);
        this.notify({
          kind: 'info',
          text: `No change of leader in the next ${SEARCH_MS / 1000} s of simulated time.`,
        });
      }
      this.publish(true);
      return found;
    });
  }

  /** Runs until a new invariant violation is recorded (or SEARCH_MS); whether one was. */
  runUntilViolation(): boolean {
    return this.guard(false, () => {
      this.pause();
      this.settleFarSeek();
      const count = this.sim.violations().length;
      const found = this.search(() => this.sim.violations().length > count);
      if (!found)
        this.notify({
          kind: 'info',
          text: `No invariant violation in the next ${SEARCH_MS / 1000} s of simulated time.`,
        });
      this.publish(true);
      return found;
    });
  }

  /** Steps until `done()` holds after an event, SEARCH_MS pass, or 3 s of real time. */
  private search(done: () => boolean): boolean {
    const limit = this.sim.now + SEARCH_MS * 1000;
    const t0 = this.host.now();
    let found = false;
    for (;;) {
      const next = this.sim.nextEventTime();
      if (next === undefined || next > limit) break;
      if (!this.stepOne()) break;
      if (done()) {
        found = true;
        break;
      }
      if (this.host.now() - t0 > 3000) break;
    }
    this.flushHit();
    return found;
  }

  /** Moves to event index `i` exactly (0 = before the first event); the explored future stays. */
  seek(i: number): void {
    this.guard(undefined, () => {
      this.pause();
      this.abortFarSeek();
      this.seekTo(i);
    });
  }

  /** Steps back one event exactly; false at the start. */
  stepBack(): boolean {
    return this.guard(false, () => {
      this.pause();
      this.settleFarSeek();
      const start = this.sim.history?.start ?? 0;
      if (this.sim.index <= start) {
        this.notify({
          kind: 'info',
          text:
            start === 0
              ? 'This is the start: nothing happened before.'
              : `History is kept from event ${start.toLocaleString('en')}: older events were dropped to bound memory.`,
        });
        return false;
      }
      this.seekTo(this.sim.index - 1);
      return true;
    });
  }

  /**
   * Lands LOG_CAP events before `i` and steps the rest with the bookkeeping on, so that the
   * log window, the timers' start times and the leader lines are what a run straight to
   * `i` would have left. A long run keeps only its last events: nothing before them.
   */
  private seekTo(i: number): void {
    const sim = this.sim;
    const max = sim.history?.maxIndex ?? sim.index;
    const start = sim.history?.start ?? 0;
    const target = Math.max(start, Math.min(Math.floor(i), max));
    sim.seek(Math.max(start, target - LOG_CAP));
    this.resetBookkeeping();
    const check = this.check;
    this.check = null;
    try {
      while (sim.index < target) if (!this.stepOne()) break;
    } finally {
      this.check = check;
    }
    this.pendingDrops = [];
    this.carry = 0;
    this.publish(true, { clearDrops: true });
  }

  // ---- moving by simulated time (a compare pair drives two sessions by one clock) ------

  /**
   * Stands at simulated time `t` (µs): every event due at or before `t` processed, none
   * after, the clock at `t`. Forward it runs (stopping at nothing: breakpoints are only
   * reported); backward it seeks exactly to the last explored event at or before `t`, then
   * sets the clock. This session's own clock stops: the caller owns the time.
   */
  moveToTime(t: number, opts: { live?: boolean } = {}): void {
    this.guard(undefined, () => {
      this.stopLoop();
      this.playing = false;
      this.lagging = false;
      this.settleFarSeek();
      const sim = this.sim;
      const target = Math.max(0, Math.floor(t));
      if (target < sim.now) this.seekTo(this.eventsUntil(target));
      this.breakHit = null;
      this.advanceTo(target, 60_000);
      this.flushHit();
      this.publish(!opts.live);
    });
  }

  /** How many explored events happened at or before time `t` (µs). */
  eventsUntil(t: number): number {
    const sim = this.sim;
    let lo = sim.traceStart;
    let hi = sim.traceLength;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sim.traceTime(mid) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Time of the last explored event strictly before `t` (µs), or null when there is none. */
  eventTimeBefore(t: number): number | null {
    const n = this.eventsUntil(t - 1);
    return n > this.sim.traceStart ? this.sim.traceTime(n - 1) : null;
  }

  /** Time of the last explored event (µs), 0 before any. */
  exploredEndTime(): number {
    const sim = this.sim;
    return sim.traceLength > sim.traceStart ? sim.traceTime(sim.traceLength - 1) : 0;
  }

  // ---- acting -------------------------------------------------------------------------

  /**
   * Applies a user action at the current time and processes it at once, even when paused.
   * It is recorded in the scenario, so a replay reproduces it. Null when the engine failed.
   */
  apply(action: UntimedAction): ActResult | null {
    return this.guard(null, () => {
      this.settleFarSeek();
      const sim = this.sim;
      const hadFuture = sim.history?.hasFuture ?? false;
      const lost = hadFuture ? (sim.history?.maxIndex ?? 0) - sim.index : 0;
      sim.apply(action);
      this.breakHit = null;
      this.advanceTo(sim.now, 1000);
      this.flushHit();
      this.userActions++;
      this.publish(true);
      const result = { discarded: lost, discardedActions: hadFuture ? sim.lastDiscarded : 0 };
      if (hadFuture) {
        const n = result.discardedActions;
        this.notify({
          kind: 'info',
          text: `You acted in the past: the ${lost.toLocaleString('en')} explored event${lost === 1 ? '' : 's'} after this point were discarded${n > 0 ? `, with ${n} recorded action${n === 1 ? '' : 's'}` : ''}.`,
        });
      }
      return result;
    });
  }

  /**
   * Replaces the simulation with one of `input` from time 0. An invalid scenario is
   * refused with a readable error and the current run stays as it was.
   */
  load(input: unknown): LoadResult {
    let sim: Simulation;
    try {
      sim = build(input);
    } catch (e) {
      return { ok: false, error: e instanceof ScenarioError ? e.message : errorText(e) };
    }
    this.abortFarSeek();
    this.sim = sim;
    this.loaded = input as ScenarioInput;
    this.generation++;
    this.userActions = 0;
    this.carry = 0;
    this.resetBookkeeping();
    this.publish(true, { clearDrops: true });
    return { ok: true };
  }

  /** The same scenario from time 0 with every action recorded so far: the same story again. */
  replay(): LoadResult {
    const acted = this.userActions;
    let next: Simulation;
    try {
      next = build({ ...this.loaded, actions: this.actions() });
    } catch (e) {
      return { ok: false, error: errorText(e) };
    }
    this.abortFarSeek();
    this.sim = next;
    this.generation++;
    this.userActions = acted;
    this.carry = 0;
    this.resetBookkeeping();
    this.publish(true, { clearDrops: true });
    return { ok: true };
  }

  /** Breakpoints checked after every event while the clock runs (play, run-for). */
  setBreakpoints(bps: readonly Breakpoint[]): void {
    this.check = compile(bps);
  }

  /** Stops the clock for good (the page is going away, or a test is done). */
  dispose(): void {
    this.stopLoop();
    this.abortFarSeek();
    this.playing = false;
    this.listeners.clear();
    this.noticeListeners.clear();
  }

  // ---- internals ----------------------------------------------------------------------

  /** Processes the next event and does the bookkeeping (call nextEventTime() first). */
  private stepOne(): TraceRecord | null {
    const sim = this.sim;
    const action = sim.nextEvent()?.action;
    const before = sim.leader;
    const rec = sim.step();
    if (!rec) return null;
    this.observe(rec, before, action);
    if (this.check) {
      const hit = this.check(sim, rec, before);
      if (hit) this.breakHit = { text: hit, index: rec.i + 1 };
    }
    return rec;
  }

  /**
   * Processes events up to simulated time `target` (µs) within a real-time budget (ms).
   * Returns the number of events and whether the budget ran out first (then the clock
   * stays at the last event, behind `target`). Stops right after a breakpoint's event.
   */
  private advanceTo(target: number, budgetMs: number): [number, boolean] {
    const sim = this.sim;
    const t0 = this.host.now();
    let n = 0;
    for (;;) {
      const next = sim.nextEventTime();
      if (next === undefined || next > target) break;
      if (!this.stepOne()) break;
      n++;
      if (this.breakHit) return [n, false];
      if ((n & 31) === 0 && this.host.now() - t0 > budgetMs) return [n, true];
    }
    sim.runUntilTime(target);
    return [n, false];
  }

  /** A breakpoint matched while stepping without a running clock: say so, do not stop. */
  private flushHit(): void {
    const hit = this.breakHit;
    this.breakHit = null;
    if (hit) this.notify({ kind: 'breakpoint', text: hit.text, index: hit.index, stopped: false });
  }

  /** A run stopped at a breakpoint: pause there and say why. */
  private stopAtBreakpoint(): void {
    const hit = this.breakHit!;
    this.breakHit = null;
    this.stopLoop();
    this.playing = false;
    this.lagging = false;
    this.publish(true);
    this.notify({ kind: 'breakpoint', text: hit.text, index: hit.index, stopped: true });
  }

  /** Handles one processed event: log, timers, drop effects, leader changes. */
  private observe(rec: TraceRecord, leaderBefore: number | null, action?: Action): void {
    const sim = this.sim;
    if (rec.node) this.noteTimers(rec.node, rec.t);
    this.pushLog({ t: rec.t, kind: rec.kind, rec, action });
    const m = rec.msg !== undefined ? this.inFlightById.get(rec.msg) : undefined;
    if (rec.kind === 'drop' && m && rec.reason !== 'loss') {
      const at = rec.reason === 'cut' || rec.reason === 'partition' ? 0.5 : 1;
      this.pendingDrops.push({
        key: ++this.dropKey,
        from: m.from,
        to: m.to,
        label: rec.label ?? m.label,
        reason: rec.reason ?? 'dropped',
        at,
      });
    }
    if (sim.leader !== leaderBefore)
      this.pushLog({ t: rec.t, kind: 'leader', node: sim.leader, term: sim.leaderTerm });
  }

  private pushLog(e: Omit<LogEntry, 'key'>): void {
    const log = this.logBuf;
    log.push({ ...e, key: ++this.logKey });
    if (log.length > LOG_CAP * 1.5) log.splice(0, log.length - LOG_CAP);
  }

  /** Remembers when each of the node's pending timers was (re)scheduled. */
  private noteTimers(nodeId: number, t: number): void {
    const due = this.sim.timersOf(nodeId);
    let m = this.timerStarts.get(nodeId);
    if (!m) this.timerStarts.set(nodeId, (m = new Map()));
    for (const id in due) {
      const d = due[id];
      const prev = m.get(id);
      if (!prev || prev.due !== d) m.set(id, { due: d, start: t });
    }
    for (const id of m.keys()) if (!(id in due)) m.delete(id);
  }

  private resetBookkeeping(): void {
    this.logBuf.length = 0;
    this.timerStarts = new Map();
    for (const n of this.sim.scenario.nodes) this.noteTimers(n.id, this.sim.now);
    // the messages in flight right now, so that a drop in the first event can be drawn
    this.inFlightById = new Map(this.sim.state().inFlight.map((m) => [m.id, m]));
    this.pendingDrops = [];
  }

  /** Builds the read models of this moment; each reuses the previous object when unchanged. */
  private compose(force: boolean, opts: { clearDrops?: boolean } = {}): SessionSnapshot {
    const sim = this.sim;
    const prev = this.snap as SessionSnapshot | undefined;

    // the view: rebuilt when an event was processed or a new simulation came; on explicit
    // moves also when only the clock moved (during playback the clock is `now` alone)
    const key = `${this.generation}|${sim.index}`;
    let view = prev?.view;
    if (!view || key !== this.viewKey || (force && view.now !== sim.now)) {
      view = buildView(sim, this.timerStarts);
      this.viewKey = key;
      this.inFlightById = new Map(view.inFlight.map((m) => [m.id, m]));
    }

    this.index.update(sim);
    const runIndex = this.index.view();

    const max = Math.max(sim.history?.maxIndex ?? sim.index, sim.index);
    const hasFuture = sim.history?.hasFuture ?? false;
    const lastEventTime = sim.lastEventTime;
    const actions = sim.scenario.actions.length;
    const p = prev?.position;
    const position =
      p &&
      p.index === sim.index &&
      p.max === max &&
      p.hasFuture === hasFuture &&
      p.lastEventTime === lastEventTime &&
      p.actions === actions
        ? p
        : { index: sim.index, max, hasFuture, lastEventTime, actions };

    let log = prev?.log ?? [];
    if (!prev || this.logKey !== this.logKeyShown || log.length > 0 !== this.logBuf.length > 0) {
      log = this.logBuf.slice(-LOG_CAP);
      this.logKeyShown = this.logKey;
    }

    // network changes are events, so the warnings can only change when the view does
    let warnings = prev?.warnings ?? [];
    if (!prev || view !== prev.view) {
      const w = sim.timingWarnings();
      if (w.join('\n') !== warnings.join('\n')) warnings = w;
    }

    let drops = prev?.drops ?? [];
    if (opts.clearDrops && drops.length > 0) drops = [];
    if (this.pendingDrops.length) {
      drops = [...drops, ...this.pendingDrops].slice(-DROPS_CAP);
      this.pendingDrops = [];
    }

    const next: SessionSnapshot = {
      generation: this.generation,
      now: sim.now,
      playing: this.playing,
      speed: this.speed,
      lagging: this.lagging,
      userActions: this.userActions,
      view,
      position,
      runIndex,
      log,
      drops,
      warnings,
      seeking: this.seeking,
    };
    if (prev && (Object.keys(next) as (keyof SessionSnapshot)[]).every((k) => next[k] === prev[k]))
      return prev;
    return next;
  }

  /** Publishes the read models of this moment (all together, or nothing if nothing changed). */
  private publish(force: boolean, opts: { clearDrops?: boolean } = {}): void {
    const next = this.compose(force, opts);
    if (next === this.snap) return;
    this.snap = next;
    for (const fn of [...this.listeners]) fn(next);
  }

  private notify(n: Notice): void {
    for (const fn of [...this.noticeListeners]) fn(n);
  }

  /** A modelling error in an algorithm must not take the page down: stop and say so. */
  private fail(e: unknown): void {
    this.stopLoop();
    this.abortFarSeek();
    this.playing = false;
    this.lagging = false;
    this.breakHit = null;
    console.error('Simulation stopped:', e);
    try {
      this.publish(true);
    } catch {
      /* the picture stays as it was */
    }
    this.notify({ kind: 'error', text: `The simulation stopped: ${errorText(e)}` });
  }

  private guard<T>(fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      this.fail(e);
      return fallback;
    }
  }
}
