/**
 * The ZooKeeper election on an ensemble of 3 or 5 Raft replicas, under random networks
 * (latency 1-300 ms, loss, duplicates, FIFO or not) and faults: kills and restarts of
 * replicas, workers and the payment service, pauses, partitions of the ensemble and cut
 * links. Fencing is on (and idempotency with it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action } from '../scenario/schema';
import { internals, type Simulation } from '../sim/simulation';
import type { NodeId } from '../sim/types';
import { ms } from '../sim/time';
import type { PaymentContext } from '../lease/payment';
import type { ZkReplicaContext } from './replica';
import { leading, nodeOf, workerOf, zkScenario } from './zookeeper.testkit';
import { lowest, type ZkState } from './zk';

const FAULT_WINDOW_MS = 10_000;

function episodeArb(ids: NodeId[], replicas: NodeId[]): fc.Arbitrary<Action[]> {
  const node = fc.constantFrom(...ids);
  const replica = fc.constantFrom(...replicas);
  const start = fc.integer({ min: 0, max: FAULT_WINDOW_MS - 1 });
  const span = fc.integer({ min: 1, max: 6000 });
  const end = (t: number, d: number) => Math.min(FAULT_WINDOW_MS, t + d);
  const crash = (who: fc.Arbitrary<NodeId>) =>
    fc.tuple(who, start, span).map(([n, t, d]) => [
      { at: t, type: 'kill', node: n },
      { at: end(t, d), type: 'restart', node: n },
    ]);
  return fc.oneof(
    crash(replica),
    fc.tuple(replica, start).map(([n, t]) => [{ at: t, type: 'restart', node: n }]),
    crash(node),
    fc.tuple(node, start, span).map(([n, t, d]) => [
      { at: t, type: 'pause', node: n },
      { at: end(t, d), type: 'resume', node: n },
    ]),
    // a partition of the whole cluster, the ensemble split with it
    fc
      .tuple(
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: ids.length, maxLength: ids.length }),
        start,
        span,
      )
      .map(([sides, t, d]) => [
        {
          at: t,
          type: 'partition',
          groups: [0, 1].map((g) => ids.filter((_, i) => sides[i] === g)),
        },
        { at: end(t, d), type: 'healAll' },
      ]),
    fc.tuple(node, node, fc.boolean(), start, span).map(([a, b, oneWay, t, d]) => [
      { at: t, type: 'cut', from: a, to: b, oneWay },
      { at: end(t, d), type: 'heal', from: a, to: b, oneWay },
    ]),
  ) as fc.Arbitrary<Action[]>;
}

const caseArb = fc
  .tuple(fc.constantFrom(3, 5), fc.integer({ min: 2, max: 3 }))
  .chain(([ensemble, workers]) => {
    const n = ensemble + workers + 1;
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    return fc.record({
      ensemble: fc.constant(ensemble as 3 | 5),
      nodes: fc.constant(n),
      recipe: fc.constantFrom('herd', 'predecessor'),
      latency: fc
        .integer({ min: 1, max: 300 })
        .chain((min) => fc.integer({ min, max: 300 }).map((max): [number, number] => [min, max])),
      loss: fc.integer({ min: 0, max: 20 }).map((p) => p / 100),
      duplicate: fc.constantFrom(0, 0.1),
      fifo: fc.boolean(),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      episodes: fc.array(episodeArb(ids, ids.slice(0, ensemble)), { maxLength: 6 }),
    });
  });

/** After the window: every link healed, every node resumed, every dead node restarted. */
function calm(ids: NodeId[], faults: Action[]): Action[] {
  const dead = new Set<NodeId>();
  for (const a of faults.slice().sort((x, y) => x.at - y.at))
    if (a.type === 'kill') dead.add(a.node);
    else if (a.type === 'restart') dead.delete(a.node);
  return [
    { at: FAULT_WINDOW_MS, type: 'healAll' },
    ...ids.map((node): Action => ({ at: FAULT_WINDOW_MS, type: 'resume', node })),
    ...[...dead].map((node): Action => ({ at: FAULT_WINDOW_MS, type: 'restart', node })),
  ];
}

const replicas = (sim: Simulation, ensemble: number) =>
  internals(sim).world.nodes.slice(0, ensemble);

/** The alive replica that leads the highest term, if any. */
function ensembleLeader(sim: Simulation, ensemble: number): ZkReplicaContext | null {
  let best: ZkReplicaContext | null = null;
  for (const n of replicas(sim, ensemble)) {
    const c = n.snapshot.context as ZkReplicaContext;
    if (n.alive && n.snapshot.value === 'leader' && (best === null || c.term > best.term)) best = c;
  }
  return best;
}

/**
 * The service's committed state: the tree of the replica that has applied the most
 * entries (every replica applies the same entries at the same index, so the longest
 * applied prefix is the newest committed state; a leader just elected may not have
 * applied its predecessor's last commits yet).
 */
function committed(sim: Simulation, ensemble: number): ZkState {
  let best: ZkReplicaContext | null = null;
  for (const n of replicas(sim, ensemble)) {
    const c = n.snapshot.context as ZkReplicaContext;
    if (best === null || c.applied > best.applied) best = c;
  }
  return best!.zk;
}

/** Exactly one worker leads, the ensemble leader names it, and its token is that znode's czxid. */
function settled(sim: Simulation, ensemble: number): boolean {
  const l = leading(sim);
  const s = ensembleLeader(sim, ensemble);
  if (l.length !== 1 || s === null) return false;
  const z = lowest(s.zk);
  return z !== null && z.owner === l[0] && workerOf(sim, l[0]).token === z.czxid;
}

describe('ZooKeeper election on a Raft ensemble, under random faults', () => {
  it('never charges twice, tokens stay in order, a worker leads only from the bottom of the committed tree, replicas agree, and one worker leads after the faults', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const ids = Array.from({ length: c.nodes }, (_, i) => i + 1);
        const faults = c.episodes.flat();
        const sim = createSimulation(
          zkScenario({
            nodes: c.nodes,
            params: { recipe: c.recipe, fencing: true, ensemble: c.ensemble, customers: 2 },
            latency: c.latency,
            loss: c.loss,
            duplicate: c.duplicate,
            fifo: c.fifo,
            seed: c.seed,
            actions: [...faults, ...calm(ids, faults)],
          }),
        );
        // after the faults: an ensemble election (pre-vote and vote, 1-2 s timeouts, retried
        // under loss), a full session timeout the new leader gives every session (a dead
        // leader's znode goes then), and a few round trips for the next worker to read.
        // Liveness only: at 300 ms one way with 19% loss and duplicates, five replicas took
        // 35.4 s to settle (every ping and read is a commit there), and seven nodes on three
        // replicas at 294-300 ms with 20% loss took 62.2 s. A commit is a round trip of
        // messages each lost with that chance, so the time after the faults is allowed to
        // grow as 1 / (1 - loss)^2 (1.56x at 20%)
        const timeout = Math.max(6000, 20 * c.latency[1]);
        const bound = FAULT_WINDOW_MS + Math.round((5 * timeout + 12_000) / (1 - c.loss) ** 2);
        const payment = c.nodes;
        const taken: { token: number; customer: number; period: number }[] = [];
        let done = false;
        while (!done) {
          const next = sim.nextEventTime();
          if (next === undefined || next > ms(bound)) break;
          const r = sim.step()!;
          const pay = nodeOf(sim, payment);
          if (r.kind === 'deliver' && r.type === 'Charge' && r.node === payment && pay.alive) {
            const d = (pay.snapshot.context as PaymentContext).last!;
            if (d.outcome === 'charged' || d.outcome === 'duplicate') taken.push(d);
          }
          // a worker starts leading only when the committed tree holds no lower znode
          if (r.kind === 'deliver' && r.after === 'worker.leading' && r.before !== r.after) {
            const mine = workerOf(sim, r.node).znode!;
            const lower = committed(sim, c.ensemble).znodes.filter((z) => z.seq < mine.seq);
            if (lower.length > 0)
              expect(lower, `node ${r.node} leads over lower znodes`).toEqual([]);
          }
          done = sim.now >= ms(FAULT_WINDOW_MS) && settled(sim, c.ensemble);
        }
        expect(done, `no single leader named by the ensemble by ${bound} ms`).toBe(true);
        const seen = new Set<string>();
        for (const t of taken) {
          const key = `${t.customer}:${t.period}`;
          expect(seen.has(key), `customer ${t.customer} charged twice for period ${t.period}`).toBe(
            false,
          );
          seen.add(key);
        }
        for (let i = 1; i < taken.length; i++)
          expect(taken[i].token).toBeGreaterThanOrEqual(taken[i - 1].token);
        // the checks: ledger, duplicate charge, zxid per replica, and no two replicas applying
        // different entries at one index (ensemble-log)
        expect(internals(sim).world.violations.filter((v) => v.severity === 'error')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  }, 300_000);
});
