/**
 * The read-only picture of a simulation that React panels and the D3 view draw from.
 * It is rebuilt by the store only when an event was processed (not on every frame), and
 * copies what the engine mutates in place (cuts, partition groups), so that views can
 * compare old and new pictures by reference.
 */
import { registry, type MessageView, type NodeView, type Simulation } from '../../algorithms/index';

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
  /** How many of `quorumMembers` make a majority. */
  quorum: number;
  /** The nodes whose majority lets a side make progress (the definition's `quorum`). */
  quorumMembers: readonly number[];
  /** What those nodes are, for captions: "nodes", "store replicas", "store". */
  quorumWho: string;
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
    ...quorumOf(sim, nodes),
    sent: c.sent,
    delivered: c.delivered,
    dropped,
  };
}

function quorumOf(
  sim: Simulation,
  nodes: readonly NodeVM[],
): Pick<SimView, 'quorum' | 'quorumMembers' | 'quorumWho'> {
  const ids = nodes.map((n) => n.id);
  const def = registry[sim.scenario.algorithm];
  const q = def?.quorum?.(sim.scenario.params as never, ids) ?? { members: ids, who: 'nodes' };
  return {
    quorum: Math.floor(q.members.length / 2) + 1,
    quorumMembers: q.members,
    quorumWho: q.who,
  };
}

/** Whether the nodes `ids` (one side of a partition) hold a majority of the quorum's members. */
export function holdsMajority(view: SimView, ids: readonly number[]): boolean {
  let n = 0;
  for (const id of ids) if (view.quorumMembers.includes(id)) n++;
  return n >= view.quorum;
}

/** The quorum in words: "3 of 5 nodes", "2 of 3 store replicas (nodes 1, 2, 3)", "the store (node 1)". */
export function quorumText(view: SimView): string {
  const m = view.quorumMembers;
  if (view.quorumWho === 'nodes') return `${view.quorum} of ${m.length} nodes`;
  if (m.length === 1) return `the ${view.quorumWho} (node ${m[0]})`;
  return `${view.quorum} of ${m.length} ${view.quorumWho} (nodes ${m.join(', ')})`;
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
