/**
 * Exact time travel: a checkpoint (structural copy of the World) every `interval`
 * events plus the scenario's action log. seek(i) restores the nearest checkpoint at or
 * before i and replays forward, so stepping back is cheap and exact. A user action
 * taken after stepping back discards the explored future, like an editor's undo.
 *
 * The history is bounded: it keeps about the last `window` events (checkpoints and trace
 * records); older ones are dropped as the run goes on, and `start` says from which event
 * the history is kept. A seek before it is refused.
 *
 * Actions applied live after a checkpoint are not in that checkpoint's queue; restoring
 * re-enqueues them. Their queue keys come from their index in the action log, not from
 * the world's seq counter (world.ts, actionSeq), so the replay is identical.
 */
import { heapify, heapPush } from './queue';
import { rngFrom } from './rng';
import type { Simulation } from './simulation';
import { ms } from './time';
import { TRACE_CHUNK } from './tracestore';
import { actionSeq, copyWorld, type Runtime, type World } from './world';

interface Checkpoint {
  world: World;
  /** Length of the action log when the checkpoint was taken. */
  actions: number;
}

export const CHECKPOINT_INTERVAL = 256;
/** Events of history kept by default (checkpoints and trace records). */
export const HISTORY_WINDOW = 2_000_000;

/** A seek that cannot go where it was asked (before the kept history). */
export class SeekError extends Error {}

export class History {
  /** checkpoints[j] was taken before event (k0 + j) * interval. */
  private readonly checkpoints: Checkpoint[] = [];
  private k0 = 0;
  /** The furthest event index explored (the end of the scrubber). */
  maxIndex = 0;
  /** The first event index kept: seek goes no earlier, records before it are gone. */
  start = 0;
  /** Actions in the log before any live action: the scenario as loaded. */
  private readonly scripted: number;

  constructor(
    private readonly sim: Simulation,
    /** The simulation's World and Runtime (their identity never changes; restore writes into them). */
    private readonly world: World,
    private readonly rt: Runtime,
    readonly interval = CHECKPOINT_INTERVAL,
    /** Events of history kept: at least this many, at most one trace chunk more. */
    readonly window = HISTORY_WINDOW,
  ) {
    if (!Number.isInteger(interval) || interval < 1)
      throw new Error(`history interval must be a positive integer, not ${interval}`);
    if (!Number.isInteger(window) || window < interval)
      throw new Error(`history window must be an integer of at least ${interval} events`);
    this.scripted = sim.scenario.actions.length;
    this.capture();
  }

  /** Called by the simulation before each event. */
  beforeStep(index: number): void {
    if (index % this.interval === 0 && this.k0 + this.checkpoints.length <= index / this.interval)
      this.capture();
  }

  afterStep(index: number): void {
    if (index > this.maxIndex) {
      this.maxIndex = index;
      if (index - this.start > this.window + TRACE_CHUNK) this.trim();
    }
  }

  /** Drops checkpoints and records older than the window (in steps of a trace chunk). */
  private trim(): void {
    const k = Math.floor((this.maxIndex - this.window) / this.interval);
    const drop = Math.min(k - this.k0, this.checkpoints.length - 1);
    if (drop <= 0) return;
    this.checkpoints.splice(0, drop);
    this.k0 += drop;
    this.start = this.k0 * this.interval;
    this.rt.trace.dropBefore(this.start);
  }

  private capture(): void {
    const { world, rt } = this;
    const { scenario } = this.sim;
    const prev = this.checkpoints[this.checkpoints.length - 1];
    this.checkpoints.push({
      // (the previous checkpoint lends what has not grown since: leaders, term leaders)
      world: copyWorld(world, rt.rng.state(), prev?.world),
      actions: scenario.actions.length,
    });
  }

  /** Restores checkpoint k into the live simulation (the checkpoint itself stays untouched). */
  private restore(k: number): void {
    const cp = this.checkpoints[k - this.k0];
    const { sim, world, rt } = this;
    const w = copyWorld(cp.world, cp.world.rng);
    Object.assign(world, w);
    rt.rng = rngFrom(w.rng);
    rt.summaries = w.nodes.map((n) => {
      const s = rt.model.summary(n.snapshot);
      return n.alive ? s : { role: 'idle', term: s.term, leader: null };
    });
    const actions = sim.scenario.actions;
    for (let i = cp.actions; i < actions.length; i++)
      heapPush(world.queue, {
        kind: 'fault',
        at: ms(actions[i].at),
        seq: actionSeq(i),
        action: actions[i],
      });
  }

  /**
   * Moves to event index `i` (0 = before the first event), replaying from a checkpoint.
   * The clock lands on the time of the last event processed, as if stepped there.
   */
  seek(i: number): void {
    this.seekTo(i, Number.POSITIVE_INFINITY);
  }

  /**
   * A seek in slices: restores the best checkpoint (if that helps), then replays at most
   * `maxEvents` events toward `i`, and stops early when `shouldStop()` says so (asked every
   * 64 events). Returns true when finished: at event `i`, or at the end of the run when
   * nothing is left to happen before it. Calling it again continues the same seek (the
   * state in between is the run's own state at that event), so it lands exactly where a
   * direct seek lands.
   */
  seekTo(i: number, maxEvents: number, shouldStop?: () => boolean): boolean {
    const target = Math.max(0, Math.floor(i));
    if (target < this.start)
      throw new SeekError(
        `cannot seek to event ${target}: history is kept from event ${this.start} (the last ${this.window.toLocaleString('en')} events)`,
      );
    const here = this.world.counters.events;
    if (target < here || Math.floor(target / this.interval) > Math.floor(here / this.interval)) {
      const last = this.k0 + this.checkpoints.length - 1;
      const k = Math.min(Math.floor(target / this.interval), last);
      if (target < here || k * this.interval > here) this.restore(k);
    }
    const world = this.world;
    let n = 0;
    let ended = false;
    while (world.counters.events < target) {
      if (n >= maxEvents || (n > 0 && (n & 63) === 0 && shouldStop?.() === true)) break;
      if (this.sim.step() === null) {
        ended = true;
        break;
      }
      n++;
    }
    world.now = world.lastAt;
    return ended || world.counters.events === target;
  }

  stepBack(): boolean {
    const here = this.world.counters.events;
    if (here === 0) return false;
    this.seek(here - 1);
    return true;
  }

  /** True when the user has stepped back: there are explored events ahead. */
  get hasFuture(): boolean {
    return this.world.counters.events < this.maxIndex;
  }

  /**
   * Before a user action at the current point: if there is a future, discard it (the
   * live actions not yet applied, checkpoints and trace beyond here). Returns how many
   * recorded actions were discarded.
   */
  truncateFuture(): number {
    if (!this.hasFuture) return 0;
    const { sim, world, rt } = this;
    const index = world.counters.events;
    const pending = new Set<number>();
    for (const ev of world.queue) if (ev.kind === 'fault') pending.add(ev.seq);
    const actions = sim.scenario.actions;
    let cut = actions.length;
    while (cut > this.scripted && pending.has(actionSeq(cut - 1))) cut--;
    const discarded = actions.length - cut;
    if (discarded > 0) {
      const dropped = new Set(Array.from({ length: discarded }, (_, k) => actionSeq(cut + k)));
      world.queue = world.queue.filter((ev) => !(ev.kind === 'fault' && dropped.has(ev.seq)));
      heapify(world.queue);
      actions.length = cut;
    }
    this.checkpoints.length = Math.floor(index / this.interval) + 1 - this.k0;
    // the checkpoint at `index` itself (if any) may hold discarded actions: keep only earlier
    // ones, or, when it is the oldest one kept, take the discarded actions out of it
    const lastCp = this.checkpoints[this.checkpoints.length - 1];
    if (lastCp.actions > actions.length) {
      if (this.checkpoints.length > 1) this.checkpoints.pop();
      else {
        const gone = (ev: { kind: string; seq: number }) =>
          ev.kind === 'fault' && ev.seq >= actionSeq(actions.length);
        lastCp.world.queue = lastCp.world.queue.filter((ev) => !gone(ev));
        heapify(lastCp.world.queue);
        lastCp.actions = actions.length;
      }
    }
    rt.trace.truncate(index);
    this.maxIndex = index;
    return discarded;
  }

  /** Number of checkpoints held (for memory reports). */
  get size(): number {
    return this.checkpoints.length;
  }
}
