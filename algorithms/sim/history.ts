/**
 * Exact time travel: a checkpoint (structural copy of the World) every `interval`
 * events plus the scenario's action log. seek(i) restores the nearest checkpoint at or
 * before i and replays forward, so stepping back is cheap and exact. A user action
 * taken after stepping back discards the explored future, like an editor's undo.
 *
 * Actions applied live after a checkpoint are not in that checkpoint's queue; restoring
 * re-enqueues them. Their queue keys come from their index in the action log, not from
 * the world's seq counter (world.ts, actionSeq), so the replay is identical.
 */
import { heapify, heapPush } from './queue';
import { rngFrom } from './rng';
import type { Simulation } from './simulation';
import { ms } from './time';
import { actionSeq, copyWorld, type Runtime, type World } from './world';

interface Checkpoint {
  world: World;
  /** Length of the action log when the checkpoint was taken. */
  actions: number;
}

export const CHECKPOINT_INTERVAL = 256;

export class History {
  private readonly checkpoints: Checkpoint[] = [];
  /** The furthest event index explored (the end of the scrubber). */
  maxIndex = 0;
  /** Actions in the log before any live action: the scenario as loaded. */
  private readonly scripted: number;

  constructor(
    private readonly sim: Simulation,
    /** The simulation's World and Runtime (their identity never changes; restore writes into them). */
    private readonly world: World,
    private readonly rt: Runtime,
    readonly interval = CHECKPOINT_INTERVAL,
  ) {
    this.scripted = sim.scenario.actions.length;
    this.capture();
  }

  /** Called by the simulation before each event. */
  beforeStep(index: number): void {
    if (index % this.interval === 0 && this.checkpoints.length <= index / this.interval)
      this.capture();
  }

  afterStep(index: number): void {
    if (index > this.maxIndex) this.maxIndex = index;
  }

  private capture(): void {
    const { world, rt } = this;
    const { scenario } = this.sim;
    this.checkpoints.push({
      world: copyWorld(world, rt.rng.state()),
      actions: scenario.actions.length,
    });
  }

  /** Restores checkpoint k into the live simulation (the checkpoint itself stays untouched). */
  private restore(k: number): void {
    const cp = this.checkpoints[k];
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
    const target = Math.max(0, Math.floor(i));
    const here = this.world.counters.events;
    if (target < here || Math.floor(target / this.interval) > Math.floor(here / this.interval)) {
      const k = Math.min(Math.floor(target / this.interval), this.checkpoints.length - 1);
      if (target < here || k * this.interval > here) this.restore(k);
    }
    while (this.world.counters.events < target && this.sim.step() !== null);
    this.world.now = this.world.lastAt;
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
    this.checkpoints.length = Math.floor(index / this.interval) + 1;
    // the checkpoint at `index` itself (if any) may predate discarded actions: keep only earlier ones
    if (this.checkpoints[this.checkpoints.length - 1].actions > actions.length)
      this.checkpoints.pop();
    rt.trace.length = Math.min(rt.trace.length, index);
    this.maxIndex = index;
    return discarded;
  }

  /** Number of checkpoints held (for memory reports). */
  get size(): number {
    return this.checkpoints.length;
  }
}
