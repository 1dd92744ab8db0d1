/**
 * The public handle on one simulation: a World, its Runtime, and the scenario it
 * replays. Everything the app, the CLI, experiments and tests do goes through here.
 */
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { createDriver, type DriverPath, type MachineDriver } from './driver';
import {
  FAULT_RANK,
  copyWorld,
  enqueue,
  actionSeq,
  peekTime,
  step,
  type Counters,
  type LeaderChange,
  type QueuedEvent,
  type Runtime,
  type Violation,
  type World,
} from './world';
import { rngFrom, seedState } from './rng';
import { ms, toMs, type Time } from './time';
import { HASH_SEED, hashHex, type TraceRecord } from './trace';
import { TRACE_CHUNK, TraceStore, type TraceView } from './tracestore';
import { startNode, stateString } from './nodes';
import type {
  AlgorithmModel,
  Message,
  MessageKind,
  NetworkTiming,
  NodeId,
  NodeSummary,
} from './types';
import type { Action, SimScenario as Scenario } from './actions';
import type { UntimedAction } from './faults';
import { HISTORY_WINDOW, History } from './history';
import { linkKey, timingOf, type NetworkState } from './network';

export interface SimulationOptions {
  /** Transition path: 'compiled' (default), 'fast' or XState's official transition(). */
  driver?: DriverPath;
  /** Keep trace records in memory (default true). The hash is computed either way. */
  keepTrace?: boolean;
  /** Keep checkpoints for seek and step back (default false; the app turns it on). */
  history?: boolean | { interval: number };
  /**
   * Events of history kept (trace records and checkpoints), default 2,000,000: beyond it the
   * oldest are dropped, so that a long run stays bounded. `historyStart` says what is kept.
   */
  historyWindow?: number;
}

/** Options of a resumable seek (Simulation.seekTo). */
export interface SeekOptions {
  /** Replay at most this many events in this call. */
  maxEvents?: number;
  /** Asked every 64 events: true stops this call (a frame's time is up, say). */
  shouldStop?: () => boolean;
}

export interface NodeView extends NodeSummary {
  id: NodeId;
  label?: string;
  alive: boolean;
  paused: boolean;
  incarnation: number;
  state: string;
  /** Pending timers with due times, µs. */
  timers: { id: string; due: Time }[];
  context: unknown;
}

export interface MessageView extends Message {
  label: string;
  /** What the message does (for its colour). */
  kind: MessageKind;
}

export interface SimState {
  now: Time;
  events: number;
  nodes: NodeView[];
  inFlight: MessageView[];
  leader: NodeId | null;
  leaderTerm?: number;
  net: NetworkState;
}

export interface RunSummary {
  algorithm: string;
  nodes: number;
  seed: number;
  timeMs: number;
  events: number;
  messages: { sent: number; delivered: number; dropped: Record<string, number> };
  leaders: { timeMs: number; node: NodeId | null; term?: number }[];
  violations: {
    invariant: string;
    severity: string;
    timeMs: number;
    untilMs?: number;
    nodes: NodeId[];
    detail: string;
  }[];
  /** Timing params that break the algorithm's assumptions on the network as it is now. */
  warnings: string[];
  traceHash: string;
}

/** One driver per node; nodes that run the same machine share it. */
function driversFor(
  model: AlgorithmModel,
  order: NodeId[],
  params: unknown,
  path: DriverPath,
): MachineDriver[] {
  const made = new Map<AnyStateMachine, MachineDriver>();
  return order.map((id) => {
    const machine = model.machineFor?.(id, order, params) ?? model.machine;
    let d = made.get(machine);
    if (d === undefined) {
      d = createDriver(machine, path);
      made.set(machine, d);
    }
    return d;
  });
}

/** What a reader may know of the explored run (the history keeps it for seek and step back). */
export interface ExploredRun {
  /** The furthest event index explored: seek goes anywhere up to it. */
  readonly maxIndex: number;
  /** The first event index kept (0 until a long run outgrows the history window). */
  readonly start: number;
  /** Events of history kept at least (the window). */
  readonly window: number;
  /** The simulation stands before the end of the explored run (the user stepped back). */
  readonly hasFuture: boolean;
}

/** One node as the inspector and the debugger read it. */
export interface NodeInspection extends NodeView {
  /** The XState snapshot (read it, never change it). */
  snapshot: AnyMachineSnapshot;
  /** What would survive a crash right now (the model's `persist`), or undefined. */
  persisted: unknown;
  /** The node's clock rate (1 = true time). */
  clockRate: number;
}

/** The next event the clock will process. */
export interface PendingEvent {
  at: Time;
  kind: QueuedEvent['kind'];
  /** For a scenario action: the action. */
  action?: Action;
}

/**
 * The engine's own modules (history, invariant checks) and tests read the World and the
 * Runtime through this; the app cannot (it may import only algorithms/index.ts).
 */
const INTERNALS = new WeakMap<Simulation, { world: World; rt: Runtime }>();
export function internals(sim: Simulation): { world: World; rt: Runtime } {
  return INTERNALS.get(sim) as { world: World; rt: Runtime };
}

export class Simulation {
  readonly scenario: Scenario;
  private readonly world: World;
  private readonly rt: Runtime;
  /** Checkpoints for seek/step back, when created with { history }. */
  private readonly checkpoints: History | null;
  /** Actions discarded by the last apply() because it was made after stepping back. */
  lastDiscarded = 0;
  /** Events of trace kept without history (with history, the History trims). */
  private readonly window: number;

  constructor(
    scenario: Scenario,
    model: AlgorithmModel,
    params: unknown,
    opts: SimulationOptions = {},
  ) {
    this.scenario = { ...scenario, actions: scenario.actions.slice() };
    const order = scenario.nodes.map((n) => n.id);
    const sorted = order.slice().sort((a, b) => a - b);
    const rt: Runtime = {
      model,
      drivers: driversFor(model, order, params, opts.driver ?? 'compiled'),
      params,
      order,
      index: new Map(order.map((id, i) => [id, i])),
      slot: slotsOf(order),
      peers: order.map(
        (id) =>
          model
            .peersFor?.(id, order, params)
            .slice()
            .sort((a, b) => a - b) ?? sorted.filter((p) => p !== id),
      ),
      rng: rngFrom(seedState(scenario.seed)),
      summaries: order.map(() => ({ role: 'idle' })),
      keepTrace: opts.keepTrace ?? true,
      trace: new TraceStore(),
      sent: 0,
    };
    const links: NetworkState['links'] = {};
    for (const l of scenario.network.links ?? []) {
      const o: NetworkState['links'][number] = {};
      if (l.latency) o.latency = { min: ms(l.latency.min), max: ms(l.latency.max) };
      if (l.loss !== undefined) o.loss = l.loss;
      links[linkKey(l.from, l.to)] = o;
    }
    const world: World = {
      now: 0,
      lastAt: 0,
      seq: 0,
      msgSeq: 0,
      rng: [],
      queue: [],
      nodes: order.map((id) => ({
        id,
        alive: false,
        paused: false,
        incarnation: 0,
        snapshot: undefined as unknown as AnyMachineSnapshot,
        timers: {},
        timerDue: {},
        held: [],
        clockPermille: 1000,
      })),
      net: {
        latency: { min: ms(scenario.network.latency.min), max: ms(scenario.network.latency.max) },
        loss: scenario.network.loss,
        fifo: scenario.network.fifo,
        duplicate: scenario.network.duplicate ?? 0,
        timerJitter: ms(scenario.network.timerJitter ?? 0),
        links,
        linkCount: Object.keys(links).length,
        cuts: {},
        cutCount: 0,
        group: null,
        lastDelivery: {},
      },
      counters: { events: 0, sent: 0, delivered: 0, dropped: {}, sentByType: {} },
      leader: null,
      leaderTerm: undefined,
      leaders: [],
      termLeaders: {},
      violations: [],
      openSplit: -1,
      invariantState: {},
      hash: HASH_SEED,
    };
    this.rt = rt;
    this.world = world;
    INTERNALS.set(this, { world, rt });
    for (let i = 0; i < order.length; i++) startNode(world, rt, i, undefined, -1);
    this.scenario.actions.forEach((action, index) =>
      enqueue(world, { kind: 'fault', at: ms(action.at), seq: actionSeq(index), action }),
    );
    this.window = opts.historyWindow ?? HISTORY_WINDOW;
    if (!Number.isInteger(this.window) || this.window < 1)
      throw new Error(`historyWindow must be a positive integer, not ${opts.historyWindow}`);
    const h = opts.history;
    this.checkpoints = h
      ? new History(this, world, rt, typeof h === 'object' ? h.interval : undefined, this.window)
      : null;
  }

  /** The explored run, when the simulation keeps history (null otherwise). */
  get history(): (ExploredRun & { readonly size: number }) | null {
    return this.checkpoints;
  }

  /** Processes one event; null when nothing is left to happen. */
  step(): TraceRecord | null {
    const h = this.checkpoints;
    if (h === null) {
      const rec = step(this.world, this.rt);
      const trace = this.rt.trace;
      if (trace.length - trace.start > this.window + TRACE_CHUNK)
        trace.dropBefore(trace.length - this.window);
      return rec;
    }
    h.beforeStep(this.world.counters.events);
    const rec = step(this.world, this.rt);
    h.afterStep(this.world.counters.events);
    return rec;
  }

  /** Event index: how many events have been processed. */
  get index(): number {
    return this.world.counters.events;
  }

  /**
   * Moves to event index `i` exactly (needs the history option). A seek before the kept
   * history (`history.start`) throws.
   */
  seek(i: number): void {
    this.requireHistory().seek(i);
  }

  /**
   * A resumable seek, for far targets without freezing a page: replays toward event `i`
   * within the call's budget and returns true once finished (at `i`, or at the end of the
   * run when nothing is left to happen before it: compare `index` with `i`). Call it again
   * (each frame, say) until it returns true; it lands on exactly the state `seek(i)` gives.
   */
  seekTo(i: number, opts: SeekOptions = {}): boolean {
    return this.requireHistory().seekTo(
      i,
      opts.maxEvents ?? Number.POSITIVE_INFINITY,
      opts.shouldStop,
    );
  }

  /** Steps back one event exactly (needs the history option); false at the start. */
  stepBack(): boolean {
    return this.requireHistory().stepBack();
  }

  private requireHistory(): History {
    if (this.checkpoints === null)
      throw new Error('create the simulation with { history: true } to seek');
    return this.checkpoints;
  }

  /** Time of the next event, µs, or undefined. */
  nextEventTime(): Time | undefined {
    return peekTime(this.world, this.rt);
  }

  /** Processes every event due at or before `t` (µs), then sets the clock to `t`. */
  runUntilTime(t: Time, maxEvents = Number.POSITIVE_INFINITY): number {
    let n = 0;
    for (;;) {
      const next = peekTime(this.world, this.rt);
      if (next === undefined || next > t || n >= maxEvents) break;
      this.step();
      n++;
    }
    if (n < maxEvents && this.world.now < t) this.world.now = t;
    return n;
  }

  /** Processes every event due at or before `timeMs`, then sets the clock there. */
  runUntil(timeMs: number): number {
    return this.runUntilTime(ms(timeMs));
  }

  /**
   * Steps until `done()` holds after an event, the clock would pass `limit` (µs), or the
   * queue is empty. Returns whether `done()` held.
   */
  runWhileNot(done: () => boolean, limit: Time): boolean {
    if (done()) return true;
    for (;;) {
      const next = peekTime(this.world, this.rt);
      if (next === undefined || next > limit) return false;
      this.step();
      if (done()) return true;
    }
  }

  /** Applies a user action now: recorded in the scenario so that a replay reproduces it. */
  apply(action: UntimedAction): Action {
    this.lastDiscarded = this.checkpoints?.truncateFuture() ?? 0;
    // (Object.assign rather than a spread plus a key: the same object, much cheaper in V8)
    const timed = Object.assign({}, action, { at: toMs(this.world.now) }) as Action;
    const index = this.scenario.actions.push(timed) - 1;
    enqueue(this.world, {
      kind: 'fault',
      at: this.world.now,
      seq: actionSeq(index),
      action: timed,
    });
    return timed;
  }

  get now(): Time {
    return this.world.now;
  }

  get leader(): NodeId | null {
    return this.world.leader;
  }

  /** The current leader's term (or epoch), when the algorithm has one. */
  get leaderTerm(): number | undefined {
    return this.world.leaderTerm;
  }

  /** Time of the last processed event, µs (the clock may stand later after runUntil). */
  get lastEventTime(): Time {
    return this.world.lastAt;
  }

  /** The id of the last message sent (ids are handed out 1, 2, 3… in order). */
  get lastMessageId(): number {
    return this.world.msgSeq;
  }

  /** The params the nodes run with (timing resolved for the network). */
  get params(): unknown {
    return this.rt.params;
  }

  /** Every change of who leads, in order (node null while nobody does). */
  leaderChanges(): readonly LeaderChange[] {
    return this.world.leaders;
  }

  /** Every invariant violation recorded so far (up to the current event). */
  violations(): readonly Violation[] {
    return this.world.violations;
  }

  /** Records a violation found by a check run from outside the engine (agreement). */
  reportViolation(v: Omit<Violation, 't'> & { t?: Time }): Violation {
    const full: Violation = { ...v, t: v.t ?? this.world.now };
    this.world.violations.push(full);
    return full;
  }

  /** Events, messages sent, delivered and dropped (by reason), messages sent by type. */
  counters(): Readonly<Counters> {
    return this.world.counters;
  }

  /** The next event the clock will process (stale timers skipped), or undefined. */
  nextEvent(): PendingEvent | undefined {
    if (peekTime(this.world, this.rt) === undefined) return undefined;
    const head = this.world.queue[0];
    return head.kind === 'fault'
      ? { at: head.at, kind: head.kind, action: head.action }
      : { at: head.at, kind: head.kind };
  }

  /** A node's pending timers: timer id -> due time (µs). Read only; cheap (no copy). */
  timersOf(id: NodeId): Readonly<Record<string, Time>> {
    const i = this.rt.index.get(id);
    return i === undefined ? {} : this.world.nodes[i].timerDue;
  }

  /** One node in full, for the inspector and the debugger. */
  node(id: NodeId): NodeInspection {
    const i = this.rt.index.get(id);
    if (i === undefined) throw new Error(`unknown node id ${id}`);
    const n = this.world.nodes[i];
    return {
      ...this.nodeView(i),
      snapshot: n.snapshot,
      persisted: this.rt.model.persist?.(n.snapshot),
      clockRate: n.clockPermille / 1000,
    };
  }

  private nodeView(i: number): NodeView {
    const n = this.world.nodes[i];
    return {
      ...this.rt.summaries[i],
      id: n.id,
      label: this.scenario.nodes[i].label,
      alive: n.alive,
      paused: n.paused,
      incarnation: n.incarnation,
      state: n.alive ? stateString(n.snapshot.value) : 'dead',
      timers: Object.entries(n.timerDue)
        .map(([id, due]) => ({ id, due }))
        .sort((a, b) => a.due - b.due),
      context: n.snapshot.context,
    };
  }

  /**
   * Every kept trace record, decoded into an array: for tests and exports. Readers that go
   * record by record use record(i), traceTime(i) or traceView.
   */
  trace(): readonly TraceRecord[] {
    return this.rt.trace.toArray();
  }

  /** The record of event `i` (decoded), or undefined when it is not kept. */
  record(i: number): TraceRecord | undefined {
    return this.rt.trace.at(i);
  }

  /** The time of event `i` (µs) without decoding its record; NaN when it is not kept. */
  traceTime(i: number): Time {
    return this.rt.trace.time(i);
  }

  /** One past the last kept record's event index (the explored run's end when the trace is kept). */
  get traceLength(): number {
    return this.rt.trace.length;
  }

  /** The first event index whose record is kept (0 until a long run outgrows the window). */
  get traceStart(): number {
    return this.rt.trace.start;
  }

  /** The kept records, by event index, without copying (read-only). */
  get traceView(): TraceView {
    return this.rt.trace;
  }

  /** Records [from, to) of the kept range, decoded one at a time. */
  records(from?: number, to?: number): Generator<TraceRecord> {
    return this.rt.trace.range(from, to);
  }

  /** Approximate bytes the kept trace holds. */
  get traceBytes(): number {
    return this.rt.trace.bytes;
  }

  traceHash(): string {
    return hashHex(this.world.hash);
  }

  /** Every machine the nodes run, once each (one unless roles run different machines). */
  machines(): AnyStateMachine[] {
    return [...new Set(this.rt.drivers.map((d) => d.machine))];
  }

  /** The XState machine node `id` runs. */
  machineOf(id: NodeId): AnyStateMachine {
    return this.rt.drivers[this.rt.index.get(id) as number].machine;
  }

  summaryOf(id: NodeId): NodeSummary {
    return this.rt.summaries[this.rt.index.get(id) as number];
  }

  state(): SimState {
    const w = this.world;
    const nodes: NodeView[] = w.nodes.map((_, i) => this.nodeView(i));
    const inFlight: MessageView[] = [];
    const view = (msg: Message): MessageView => ({
      ...msg,
      label: this.rt.model.label(msg.body),
      kind: this.rt.model.kindOf?.(msg.body) ?? 'other',
    });
    for (const ev of w.queue) if (ev.kind === 'deliver') inFlight.push(view(ev.msg));
    for (const n of w.nodes)
      for (const ev of n.held) if (ev.kind === 'deliver') inFlight.push(view(ev.msg));
    inFlight.sort((a, b) => a.id - b.id);
    return {
      now: w.now,
      events: w.counters.events,
      nodes,
      inFlight,
      leader: w.leader,
      leaderTerm: w.leaderTerm,
      net: w.net,
    };
  }

  /** The CLI's JSON summary (`npm run sim -- run --json`). */
  summary(): RunSummary {
    const w = this.world;
    return {
      algorithm: this.scenario.algorithm,
      nodes: w.nodes.length,
      seed: this.scenario.seed,
      timeMs: toMs(w.now),
      events: w.counters.events,
      messages: {
        sent: w.counters.sent,
        delivered: w.counters.delivered,
        dropped: { ...w.counters.dropped },
      },
      leaders: w.leaders.map((l) => ({
        timeMs: toMs(l.t),
        node: l.node,
        ...(l.term !== undefined ? { term: l.term } : {}),
      })),
      violations: w.violations.map((v) => ({
        invariant: v.invariant,
        severity: v.severity,
        timeMs: toMs(v.t),
        ...(v.until !== undefined ? { untilMs: toMs(v.until) } : {}),
        nodes: v.nodes,
        detail: v.detail,
      })),
      warnings: this.timingWarnings(),
      traceHash: this.traceHash(),
    };
  }

  /** The algorithm's timing warnings for its params on the network as it is now. */
  timingWarnings(): string[] {
    return this.rt.model.timingWarnings?.(this.rt.params, this.networkTiming()) ?? [];
  }

  /** The network as it is now, as timing defaults and warnings see it (ms). */
  networkTiming(): NetworkTiming {
    return timingOf(this.world.net);
  }

  /** A checkpoint of the World (see history.ts). */
  checkpoint(): World {
    return copyWorld(this.world, this.rt.rng.state());
  }

  /**
   * An independent copy of this simulation as it stands (same clock, nodes, queue,
   * network, counters and leader history) whose PRNG starts afresh from `seed`:
   * experiments settle a cluster once and run many trials from it, each with its own
   * randomness. Everything random from here on (latencies, losses, the `rand` of each
   * event) comes from `seed`, so a fork is fully determined by this simulation's state
   * and `seed`. The fork keeps no history and no trace records (its trace hash goes on
   * from this one's), and replaying its scenario from scratch does not reproduce it: the
   * scenario cannot say "re-seed here". This simulation is left untouched.
   */
  fork(seed: number): Simulation {
    // FIFO links remember their last delivery time; every future delivery is at or after
    // now, so entries at or before now can never matter again. Dropping them (here, in
    // this simulation too) keeps forks of a large settled cluster cheap: n² links of
    // history would otherwise be copied per fork.
    const last = this.world.net.lastDelivery;
    for (const key in last) if (last[key] <= this.world.now) delete last[key];
    const rng = rngFrom(seedState(seed));
    const rt: Runtime = {
      ...this.rt,
      rng,
      summaries: this.rt.summaries.slice(),
      keepTrace: false,
      trace: new TraceStore(),
      sent: 0,
    };
    const world = copyWorld(this.world, rng.state());
    const sim = Object.create(Simulation.prototype) as Simulation;
    Object.assign(sim, {
      scenario: { ...this.scenario, actions: this.scenario.actions.slice() },
      world,
      rt,
      checkpoints: null,
      lastDiscarded: 0,
      window: this.window,
    });
    INTERNALS.set(sim, { world, rt });
    return sim;
  }
}

/** Each node's index by its id, as a sparse array (ids are small integers in practice). */
function slotsOf(order: readonly NodeId[]): (number | undefined)[] {
  const slot: (number | undefined)[] = [];
  order.forEach((id, i) => (slot[id] = i));
  return slot;
}

export { FAULT_RANK };
