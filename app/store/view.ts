/**
 * The read-only picture of a simulation that React panels and the D3 view draw from.
 * It is rebuilt by the store only when an event was processed (not on every frame), and
 * copies what the engine mutates in place (cuts, partition groups), so that views can
 * compare old and new pictures by reference.
 */
import type { MessageView, NodeView, Simulation } from '../../algorithms/index';

export interface TimerView {
  id: string;
  /** Due time, µs. */
  due: number;
  /** When it was (re)scheduled, µs: the countdown ring's full length is due - start. */
  start: number;
}

export interface NodeVM extends NodeView {
  /** The earliest pending timer (the countdown ring), or null. */
  timer: TimerView | null;
  /** Votes collected in the current campaign (Raft candidates), when the algorithm has them. */
  votes?: number[];
}

export interface SimView {
  /** The algorithm whose nodes these are (views read its definition with them). */
  algorithm: string;
  now: number;
  events: number;
  nodes: NodeVM[];
  byId: ReadonlyMap<number, NodeVM>;
  inFlight: MessageView[];
  leader: number | null;
  leaderTerm?: number;
  /** Other alive nodes that still believe they lead (stale leaders in a partition). */
  staleLeaders: { id: number; term?: number }[];
  /** Directed cuts as "from*1024+to" keys. */
  cuts: ReadonlySet<number>;
  /** Partition group per node id, or null. */
  groups: Readonly<Record<number, number>> | null;
  /** Changes exactly when cuts or partition groups change: views redraw links only then. */
  netKey: string;
  latency: { min: number; max: number };
  loss: number;
  /** Votes needed to win: floor(n / 2) + 1. */
  quorum: number;
  sent: number;
  delivered: number;
  dropped: number;
}

export const linkKey = (from: number, to: number): number => from * 1024 + to;

export type TimerStarts = Map<number, Map<string, { due: number; start: number }>>;

export function buildView(sim: Simulation, starts: TimerStarts): SimView {
  const s = sim.state();
  const nodes: NodeVM[] = s.nodes.map((n) => {
    const first = n.timers[0];
    let timer: TimerView | null = null;
    if (first) {
      const known = starts.get(n.id)?.get(first.id);
      timer = {
        id: first.id,
        due: first.due,
        start: known && known.due === first.due ? known.start : Math.min(s.now, first.due),
      };
    }
    const ctx = n.context as { votes?: unknown } | undefined;
    const votes =
      n.alive && n.role === 'candidate' && ctx && Array.isArray(ctx.votes)
        ? (ctx.votes as number[]).slice()
        : undefined;
    return { ...n, timer, votes };
  });
  const staleLeaders = nodes
    .filter((n) => n.alive && n.role === 'leader' && n.id !== s.leader)
    .map((n) => ({ id: n.id, term: n.term }));
  const cuts = new Set<number>();
  for (const k of Object.keys(s.net.cuts)) cuts.add(Number(k));
  const c = sim.counters();
  let dropped = 0;
  for (const v of Object.values(c.dropped)) dropped += v;
  return {
    algorithm: sim.scenario.algorithm,
    now: s.now,
    events: s.events,
    nodes,
    byId: new Map(nodes.map((n) => [n.id, n])),
    inFlight: s.inFlight,
    leader: s.leader,
    leaderTerm: s.leaderTerm,
    staleLeaders,
    cuts,
    groups: s.net.group ? { ...s.net.group } : null,
    netKey: `${[...cuts].sort((a, b) => a - b).join(',')}|${s.net.group ? JSON.stringify(s.net.group) : ''}|${nodes.length}`,
    latency: { min: s.net.latency.min / 1000, max: s.net.latency.max / 1000 },
    loss: s.net.loss,
    quorum: Math.floor(nodes.length / 2) + 1,
    sent: c.sent,
    delivered: c.delivered,
    dropped,
  };
}

/** Whether a message from -> to would be refused right now (cut or across a partition). */
export function isBlocked(view: SimView, from: number, to: number): 'cut' | 'partition' | null {
  if (view.cuts.has(linkKey(from, to))) return 'cut';
  const g = view.groups;
  if (g && g[from] !== g[to]) return 'partition';
  return null;
}

/** The current partition as explicit groups (every node in exactly one), or null. */
export function partitionGroups(view: SimView): number[][] | null {
  if (!view.groups) return null;
  const by = new Map<number, number[]>();
  for (const n of view.nodes) {
    const g = view.groups[n.id];
    if (!by.has(g)) by.set(g, []);
    by.get(g)!.push(n.id);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, ids]) => ids);
}
