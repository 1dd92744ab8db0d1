/**
 * Test support for the lease election (not part of the shipped API): scenarios, and a
 * run that watches the payment service and the workers from outside, independently of
 * the service's own book and of the algorithm's checks.
 */
import type { ScenarioInput, Action } from '../scenario/schema';
import type { Simulation } from '../sim/simulation';
import { ms } from '../sim/time';
import type { MessageBody, NodeId } from '../sim/types';
import { internals } from '../sim/simulation';

export interface LeaseScenarioOptions {
  nodes?: number;
  params?: Record<string, unknown>;
  latency?: [number, number];
  loss?: number;
  duplicate?: number;
  fifo?: boolean;
  seed?: number;
  actions?: Action[];
}

/** Node 1 is the store, the last node the payment service, the others workers. */
export function leaseScenario(o: LeaseScenarioOptions = {}): ScenarioInput {
  const [min, max] = o.latency ?? [5, 10];
  return {
    v: 1,
    algorithm: 'lease',
    params: o.params ?? { fencing: true },
    nodes: Array.from({ length: o.nodes ?? 5 }, (_, i) => ({ id: i + 1 })),
    network: {
      latency: { min, max },
      loss: o.loss ?? 0,
      fifo: o.fifo ?? false,
      ...(o.duplicate ? { duplicate: o.duplicate } : {}),
    },
    seed: o.seed ?? 1,
    actions: o.actions ?? [],
  };
}

export interface ElectionKeyView {
  owner: NodeId;
  createRevision: number;
}

/** A charge the payment service answered with "charged" or "duplicate": money taken. */
export interface Taken {
  t: number;
  from: NodeId;
  customer: number;
  period: number;
  token: number;
}

/** A worker entering the leading state, with the store's holder at that moment. */
export interface LeadStart {
  t: number;
  node: NodeId;
  token: number;
  holder: ElectionKeyView | null;
}

export interface Observed {
  taken: Taken[];
  fenced: number;
  leadStarts: LeadStart[];
  /** The store's revision after every event that the store handled, in order. */
  revisions: number[];
}

/** The key with the lowest create revision among the store's keys, read from its context. */
export function storeHolder(sim: Simulation, store: NodeId = 1): ElectionKeyView | null {
  const node = internals(sim).world.nodes[internals(sim).rt.index.get(store) as number];
  if (!node.alive) return null;
  const keys = (node.snapshot.context as { store$: { keys: ElectionKeyView[] } }).store$.keys;
  let best: ElectionKeyView | null = null;
  for (const k of keys) if (best === null || k.createRevision < best.createRevision) best = k;
  return best;
}

export function workerState(sim: Simulation, id: NodeId): string {
  return sim.state().nodes.find((n) => n.id === id)!.state;
}

/** The alive workers in the leading state. */
export function leading(sim: Simulation): NodeId[] {
  const out: NodeId[] = [];
  for (const n of internals(sim).world.nodes)
    if (n.alive && (n.snapshot.value as { worker?: string }).worker === 'leading') out.push(n.id);
  return out;
}

export function contextOf<T>(sim: Simulation, id: NodeId): T {
  return internals(sim).world.nodes[internals(sim).rt.index.get(id) as number].snapshot
    .context as T;
}

/**
 * Runs `sim` until `untilMs` (or `stop`), event by event, and records from outside what the payment
 * service answered (read from the ChargeResult it sends, not from its book), when workers
 * start leading and what the store said then, and the store's revisions.
 */
export function observe(
  sim: Simulation,
  untilMs: number,
  into: Observed = { taken: [], fenced: 0, leadStarts: [], revisions: [] },
  opts: {
    store?: NodeId;
    payment?: NodeId;
    /** Called after every event. */
    each?: () => void;
    /** Stops right after the event after which this holds. */
    stop?: () => boolean;
  } = {},
): Observed {
  const store = opts.store ?? 1;
  const payment =
    opts.payment ?? internals(sim).world.nodes[internals(sim).world.nodes.length - 1].id;
  const limit = ms(untilMs);
  for (;;) {
    const next = sim.nextEventTime();
    if (next === undefined || next > limit) break;
    const sentBefore = internals(sim).world.msgSeq;
    const r = sim.step()!;
    if (r.kind === 'deliver' && r.type === 'Charge' && r.node === payment) {
      const reply = internals(sim).world.queue.find(
        (e) => e.kind === 'deliver' && e.msg.id > sentBefore && e.msg.from === payment,
      );
      const body = (reply as { msg: { body: MessageBody } } | undefined)?.msg.body as
        (MessageBody & { customer: number; period: number; outcome: string }) | undefined;
      if (body === undefined) throw new Error('the payment service did not answer a charge');
      const token = Number(/tok (\d+)/.exec(r.label ?? '')?.[1]);
      if (body.outcome === 'charged' || body.outcome === 'duplicate')
        into.taken.push({
          t: r.t,
          from: r.from as NodeId,
          customer: body.customer,
          period: body.period,
          token,
        });
      if (body.outcome === 'fenced') into.fenced++;
    }
    if (
      r.after === 'worker.leading' &&
      r.before !== 'worker.leading' &&
      (r.kind === 'deliver' || r.kind === 'timer')
    )
      into.leadStarts.push({
        t: r.t,
        node: r.node,
        token: contextOf<{ token: number }>(sim, r.node).token,
        holder: storeHolder(sim, store),
      });
    if (r.node === store && (r.kind === 'deliver' || r.kind === 'timer' || r.kind === 'fault')) {
      const n = internals(sim).world.nodes[internals(sim).rt.index.get(store) as number];
      if (n.alive)
        into.revisions.push(
          (n.snapshot.context as { store$: { revision: number } }).store$.revision,
        );
    }
    opts.each?.();
    if (opts.stop?.()) return into;
  }
  if (internals(sim).world.now < limit) internals(sim).world.now = limit;
  return into;
}

/** "customer:period" -> how many times money was taken for it. */
export function takenTimes(taken: readonly Taken[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of taken)
    m.set(`${c.customer}:${c.period}`, (m.get(`${c.customer}:${c.period}`) ?? 0) + 1);
  return m;
}
