/**
 * An incremental index over the simulation's trace (one record per event, kept by the
 * engine up to the end of the explored run), for the scrubber, the event log and the
 * space-time diagram:
 *
 * - which event sent each message (message ids are handed out in order, and each record
 *   says how many messages its event sent, so a running sum maps id -> event);
 * - role changes per node (for the diagram's role bands);
 * - markers: leader elected, faults (and manual choices), violations;
 * - violations over the whole explored run (the World only knows those up to where it
 *   is now, so they are remembered while the user is in the past).
 *
 * Updating costs O(new records). After a user action in the past the engine rewrites
 * the future; the index notices (the end moved back, or the last record it saw differs)
 * and starts again. A long run keeps only its last events (the engine's history window):
 * the per-event table follows the window; markers and roles from before it stay.
 *
 * Views never see the index itself: `view()` hands out an immutable summary that is a new
 * object exactly when something in it changed, and whose lists are copies that the index
 * never touches again, so React can compare them by reference.
 */
import {
  registry,
  type AlgorithmDefinition,
  type RoleClass as AlgorithmRoleClass,
  type Simulation,
  type TraceRecord,
  type TraceView,
} from '../../algorithms/index';
import type { Violation } from '../../algorithms/index';

export type RoleClass = AlgorithmRoleClass | 'dead';

/**
 * A node's role from a record's state value ("candidate", "worker.leading", "dead"), as
 * its algorithm's definition classifies it; null for a fault's "running" / "paused".
 */
export function roleOfState(def: AlgorithmDefinition, state: string | undefined): RoleClass | null {
  if (!state) return null;
  if (state === 'dead') return 'dead';
  if (state === 'running' || state === 'paused') return null;
  return def.roleOf(state);
}

export interface RoleChange {
  /** Event index and time at which the node took this role. */
  i: number;
  t: number;
  role: RoleClass;
}

export type MarkerKind = 'leader' | 'fault' | 'choice' | 'violation';

export interface Marker {
  i: number;
  t: number;
  kind: MarkerKind;
  text: string;
}

const CHOICES = new Set(['deliver', 'drop', 'fire']);
const FAULT_WORDS: Record<string, string> = {
  healAll: 'heal all',
  setLatency: 'latency',
  setLoss: 'loss',
  timeout: 'forced timeout',
  deliver: 'deliver',
  drop: 'drop',
  fire: 'fire timer',
  request: 'client request',
  clock: 'clock drift',
};

function fingerprint(r: TraceRecord | undefined): string {
  return r ? `${r.i}|${r.t}|${r.kind}|${r.node}|${r.type}|${r.msg ?? ''}|${r.after ?? ''}` : '';
}

/** What the scrubber, the event log, the diagram and the checks read of the run index. */
export interface RunIndexView {
  /** Bumped when the index starts again (new simulation, or the future was rewritten). */
  generation: number;
  /**
   * Records [0, end) of the explored run are indexed; those from `trace.start` on (the kept
   * history) are readable in `trace`.
   */
  end: number;
  /** The explored run's kept records, by event index; read only [trace.start, end). */
  trace: TraceView;
  markers: readonly Marker[];
  roles: ReadonlyMap<number, readonly RoleChange[]>;
  paused: ReadonlyMap<number, readonly [number, number | undefined][]>;
  violations: readonly Violation[];
  /** Every record type seen (message, timer and fault types), sorted, for the log's filter. */
  types: readonly string[];
  /** The longest time between a send and its delivery seen so far (µs). */
  maxLatency: number;
  /** Message ids sent by event `i`: (lo, hi], empty when lo === hi. */
  sentBy(i: number): [number, number];
  /** The index of the event that sent message `id`, or -1 (see RunIndex.sendOf). */
  sendOf(id: number, before?: number): number;
}

/**
 * Message-id lookups over one frozen prefix of the running sums: `sentCum[k]` is the last
 * message id handed out by the end of event `first + k`, `base` the one before event `first`.
 */
function lookups(sentCum: Int32Array, base: number, first: number, scanned: number) {
  const sentBy = (i: number): [number, number] => {
    const k = i - first;
    if (k < 0 || i >= scanned) return [0, 0];
    return [k > 0 ? sentCum[k - 1] : base, sentCum[k]];
  };
  const sendOf = (id: number, before = scanned): number => {
    if (id <= base) return -1;
    let lo = 0;
    let hi = Math.min(before, scanned) - 1 - first;
    if (hi < 0) return -1;
    if (sentCum[hi] < id) return -1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sentCum[mid] >= id) hi = mid;
      else lo = mid + 1;
    }
    return lo + first;
  };
  return { sentBy, sendOf };
}

export class RunIndex {
  private sim: Simulation | null = null;
  /** Records indexed so far (= the explored run's length when up to date). */
  scanned = 0;
  private lastPrint = '';
  /** msgSeq before the first event indexed. */
  private base = 0;
  /** The first event index in sentCum (the start of the kept history when indexed). */
  private first = 0;
  /** sentCum[i - first]: the last message id handed out by the end of event i. */
  private sentCum = new Int32Array(1024);
  /** Role changes per node id, in event order. */
  roles = new Map<number, RoleChange[]>();
  /** Paused intervals per node: [start t, end t or undefined]. */
  paused = new Map<number, [number, number | undefined][]>();
  markers: Marker[] = [];
  violations: Violation[] = [];
  /** The longest time between a send and its delivery seen so far (µs). */
  maxLatency = 0;
  /** Bumped whenever anything changed; views compare it. */
  rev = 0;
  /** Bumped when the index starts again (new simulation, or the future was rewritten). */
  generation = 0;
  /** Every record type seen (message, timer and fault types), for the log's filter. */
  types = new Set<string>();
  private initialRole: RoleClass = 'follower';
  /** The record a scan decodes into. */
  private readonly scratch = {} as TraceRecord;
  /** Role of each state string seen (for the current algorithm). */
  private roleCache = new Map<string, RoleClass | null>();
  private def: AlgorithmDefinition = registry[Object.keys(registry)[0]];
  private trace: TraceView = { start: 0, length: 0, at: () => undefined, time: () => NaN };
  /** The last summary handed out, and the revision it was made at. */
  private shown: RunIndexView | null = null;
  private shownRev = -1;

  /** Brings the index up to date with `sim`; returns whether anything changed. */
  update(sim: Simulation): boolean {
    const trace = sim.traceView;
    this.trace = trace;
    const max = Math.min(sim.history?.maxIndex ?? sim.index, trace.length);
    if (
      sim !== this.sim ||
      max < this.scanned ||
      this.scanned < trace.start ||
      // (a record before the kept history cannot have been rewritten: the past is fixed there)
      (this.scanned > trace.start && fingerprint(trace.at(this.scanned - 1)) !== this.lastPrint)
    )
      this.reset(sim);
    this.forgetBefore(trace.start);
    let changed = false;
    if (max > this.scanned) {
      this.scan(trace, this.scanned, max);
      this.scanned = max;
      this.lastPrint = fingerprint(trace.at(max - 1));
      changed = true;
    }
    if (!(sim.history?.hasFuture ?? false)) {
      const v = sim.violations();
      if (
        v.length !== this.violations.length ||
        v.some((x, k) => x.until !== this.violations[k].until)
      ) {
        this.violations = v.map((x) => ({ ...x, nodes: x.nodes.slice() }));
        this.rebuildViolationMarkers();
        changed = true;
      }
    }
    if (changed) this.rev++;
    return changed;
  }

  private reset(sim: Simulation): void {
    const keepViolations = sim === this.sim;
    this.sim = sim;
    this.scanned = 0;
    this.lastPrint = '';
    // a fresh array: summaries handed out before keep reading the old one
    this.sentCum = new Int32Array(this.sentCum.length);
    this.roles = new Map();
    this.paused = new Map();
    this.markers = [];
    this.maxLatency = 0;
    this.types = new Set();
    this.generation++;
    if (!keepViolations) this.violations = [];
    else {
      const end = sim.history?.maxIndex ?? sim.index;
      this.violations = this.violations.filter((v) => v.eventIndex < end);
    }
    // msgSeq before the first kept event: now minus what the processed events sent
    const trace = sim.traceView;
    let sent = 0;
    for (let k = trace.start; k < sim.index && k < trace.length; k++)
      sent += trace.at(k)?.sent ?? 0;
    this.base = sim.lastMessageId - sent;
    this.first = trace.start;
    this.scanned = trace.start;
    this.def = registry[sim.scenario.algorithm];
    this.roleCache = new Map();
    this.initialRole = this.def.initialRole;
    for (const n of sim.scenario.nodes)
      this.roles.set(n.id, [{ i: -1, t: 0, role: this.initialRole }]);
    this.rebuildViolationMarkers();
    this.rev++;
  }

  /**
   * Drops the per-event table before `start` (the engine no longer keeps those events), into
   * a new array: summaries handed out before keep reading the old one.
   */
  private forgetBefore(start: number): void {
    const drop = Math.min(start, this.scanned) - this.first;
    // in large steps, so that the table is copied rarely
    if (drop < 65_536) return;
    const next = new Int32Array(this.sentCum.length);
    next.set(this.sentCum.subarray(drop, this.scanned - this.first));
    this.base = this.sentCum[drop - 1];
    this.sentCum = next;
    this.first += drop;
  }

  private scan(trace: TraceView, from: number, to: number): void {
    const first = this.first;
    if (this.sentCum.length < to - first) {
      let len = this.sentCum.length;
      while (len < to - first) len *= 2;
      const next = new Int32Array(len);
      next.set(this.sentCum.subarray(0, from - first));
      this.sentCum = next;
    }
    let cum = from > first ? this.sentCum[from - 1 - first] : this.base;
    const newMarkers: Marker[] = [];
    // one record decoded into over and over: a million-event scan allocates none
    const scratch = this.scratch;
    const into = trace.into;
    const roles = this.roleCache;
    for (let i = from; i < to; i++) {
      const r =
        into !== undefined && into.call(trace, i, scratch) ? scratch : (trace.at(i) as TraceRecord);
      cum += r.sent ?? 0;
      this.sentCum[i - first] = cum;
      if (!this.types.has(r.type)) this.types.add(r.type);
      if (r.kind === 'fault') {
        if (r.type === 'pause' && !r.reason) this.pausedAt(r.node).push([r.t, undefined]);
        if (r.type === 'resume' && !r.reason) {
          const p = this.pausedAt(r.node);
          if (p.length && p[p.length - 1][1] === undefined) p[p.length - 1][1] = r.t;
        }
        if ((r.type === 'kill' || r.type === 'restart') && r.node) {
          const p = this.pausedAt(r.node);
          if (p.length && p[p.length - 1][1] === undefined) p[p.length - 1][1] = r.t;
        }
        newMarkers.push({
          i,
          t: r.t,
          kind: CHOICES.has(r.type) ? 'choice' : 'fault',
          text: `${FAULT_WORDS[r.type] ?? r.type}${r.node ? ` ${r.node}` : ''}${r.reason ? ' (no effect)' : ''}`,
        });
        if (r.type === 'kill' && !r.reason) this.roleAt(r.node, i, r.t, 'dead');
        if (r.type === 'restart') this.roleAt(r.node, i, r.t, this.initialRole);
        continue;
      }
      if (r.kind === 'deliver' && r.msg !== undefined) {
        const s = this.sendOf(r.msg, i);
        if (s >= 0) {
          const lat = r.t - trace.time(s);
          if (lat > this.maxLatency) this.maxLatency = lat;
        }
      }
      // (states repeat: the definition classifies each one once)
      let role = r.after === undefined ? null : roles.get(r.after);
      if (role === undefined) roles.set(r.after as string, (role = roleOfState(this.def, r.after)));
      if (role === null || r.node === 0) continue;
      const was = this.currentRole(r.node);
      if (role !== was) {
        this.roleAt(r.node, i, r.t, role);
        if (role === 'leader')
          newMarkers.push({
            i,
            t: r.t,
            kind: 'leader',
            text: `node ${r.node} leads${r.term !== undefined ? ` term ${r.term}` : ''}`,
          });
      }
    }
    if (newMarkers.length) {
      this.markers.push(...newMarkers);
      this.markers.sort((a, b) => a.i - b.i);
    }
  }

  private rebuildViolationMarkers(): void {
    this.markers = this.markers.filter((m) => m.kind !== 'violation');
    for (const v of this.violations)
      this.markers.push({
        i: v.eventIndex,
        t: v.t,
        kind: 'violation',
        text: `${v.invariant}: ${v.detail}`,
      });
    this.markers.sort((a, b) => a.i - b.i);
  }

  private pausedAt(node: number): [number, number | undefined][] {
    let p = this.paused.get(node);
    if (!p) this.paused.set(node, (p = []));
    return p;
  }

  private currentRole(node: number): RoleClass {
    const r = this.roles.get(node);
    return r && r.length ? r[r.length - 1].role : this.initialRole;
  }

  private roleAt(node: number, i: number, t: number, role: RoleClass): void {
    let r = this.roles.get(node);
    if (!r) this.roles.set(node, (r = []));
    if (r.length && r[r.length - 1].role === role) return;
    r.push({ i, t, role });
  }

  /**
   * The index as an immutable summary: the same object while nothing changed, a new one
   * (with fresh copies of whatever changed) after any change.
   */
  view(): RunIndexView {
    const prev = this.shown;
    if (prev && this.shownRev === this.rev) return prev;
    const same = prev !== null && prev.generation === this.generation;
    const markersSame =
      same &&
      prev.markers.length === this.markers.length &&
      prev.markers.every((m, k) => m === this.markers[k]);
    const rolesSame =
      same &&
      [...this.roles].every(([id, list]) => prev.roles.get(id)?.length === list.length) &&
      prev.roles.size === this.roles.size;
    const pausedSame =
      same &&
      prev.paused.size === this.paused.size &&
      [...this.paused].every(([id, list]) => {
        const was = prev.paused.get(id);
        return (
          was !== undefined &&
          was.length === list.length &&
          list.every((p, k) => p[0] === was[k][0] && p[1] === was[k][1])
        );
      });
    const types =
      same && prev.types.length === this.types.size ? prev.types : [...this.types].sort();
    const v: RunIndexView = {
      generation: this.generation,
      end: this.scanned,
      trace: this.trace,
      markers: markersSame ? prev.markers : this.markers.slice(),
      roles: rolesSame
        ? prev.roles
        : new Map([...this.roles].map(([id, list]) => [id, list.slice()])),
      paused: pausedSame
        ? prev.paused
        : new Map(
            [...this.paused].map(([id, list]) => [
              id,
              list.map((p) => [p[0], p[1]] as [number, number | undefined]),
            ]),
          ),
      violations: same && prev.violations === this.violations ? prev.violations : this.violations,
      types,
      maxLatency: this.maxLatency,
      ...lookups(this.sentCum, this.base, this.first, this.scanned),
    };
    this.shown = v;
    this.shownRev = this.rev;
    return v;
  }

  /** Message ids sent by event `i`: (lo, hi], empty when lo === hi. */
  sentBy(i: number): [number, number] {
    const k = i - this.first;
    if (k < 0 || i >= this.scanned) return [0, 0];
    return [k > 0 ? this.sentCum[k - 1] : this.base, this.sentCum[k]];
  }

  /**
   * The index of the event that sent message `id`, or -1 when it was sent before the
   * first event indexed (a node's boot, or before the kept history). `before` bounds the
   * search (the delivery's index).
   */
  sendOf(id: number, before = this.scanned): number {
    if (id <= this.base) return -1;
    let lo = 0;
    let hi = Math.min(before, this.scanned) - 1 - this.first;
    if (hi < 0) return -1;
    if (this.sentCum[hi] < id) return -1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sentCum[mid] >= id) hi = mid;
      else lo = mid + 1;
    }
    return lo + this.first;
  }
}

/**
 * The first kept event index whose time is >= t (binary search; trace times never
 * decrease), from the start of the kept history up to `end`.
 */
export function firstAtOrAfter(trace: TraceView, end: number, t: number): number {
  let lo = trace.start;
  let hi = Math.max(lo, end);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (trace.time(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
