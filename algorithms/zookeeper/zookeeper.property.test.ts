/**
 * The ZooKeeper election under random networks (latency 1-300 ms, loss, duplicates, FIFO
 * or not) and random fault schedules: the shared schedule of the fault test kit (kills,
 * restarts, pauses, cuts, partitions, loss) plus crashes and reboots of the service and
 * of the payment service and long pauses of workers, for both recipes, with fencing on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import { faultScheduleArb } from '../invariants/faultSchedule.testkit';
import type { Action } from '../scenario/schema';
import { internals, type Simulation } from '../sim/simulation';
import { ms } from '../sim/time';
import type { NodeId } from '../sim/types';
import type { PaymentContext } from '../lease/payment';
import { leading, nodeOf, workerOf, zkOf, zkScenario } from './zookeeper.testkit';
import { lowest } from './zk';

/** Faults happen in [0, FAULT_WINDOW_MS]; then every node runs on a healed network. */
const FAULT_WINDOW_MS = 12_000;

/** The durable roles crash and reboot, and workers pause past their session timeout. */
function episodeArb(ids: NodeId[]): fc.Arbitrary<Action[]> {
  const durable = fc.constantFrom(ids[0], ids[ids.length - 1]);
  const worker = fc.constantFrom(...ids.slice(1, -1));
  const start = fc.integer({ min: 0, max: FAULT_WINDOW_MS - 1 });
  const span = fc.integer({ min: 1, max: 9000 });
  const end = (t: number, d: number) => Math.min(FAULT_WINDOW_MS, t + d);
  return fc.oneof(
    fc.tuple(durable, start, span).map(([n, t, d]) => [
      { at: t, type: 'kill', node: n },
      { at: end(t, d), type: 'restart', node: n },
    ]),
    fc.tuple(durable, start).map(([n, t]) => [{ at: t, type: 'restart', node: n }]),
    fc.tuple(worker, start, span).map(([n, t, d]) => [
      { at: t, type: 'pause', node: n },
      { at: end(t, d), type: 'resume', node: n },
    ]),
  ) as fc.Arbitrary<Action[]>;
}

const caseArb = fc.integer({ min: 4, max: 7 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return fc.record({
    nodes: fc.constant(n),
    recipe: fc.constantFrom('herd', 'predecessor'),
    // one-way latency: a range within 1-300 ms
    latency: fc
      .tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }))
      .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a])),
    loss: fc.integer({ min: 0, max: 20 }).map((p) => p / 100),
    duplicate: fc.constantFrom(0, 0.1),
    fifo: fc.boolean(),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    // the shared schedule's faults fall in its first 1.5 s; the episodes span the window
    shared: faultScheduleArb(ids),
    episodes: fc.array(episodeArb(ids), { maxLength: 5 }),
  });
});

/**
 * After the window: every link healed, the case's loss back, every node resumed, and
 * every node the schedule left dead restarted.
 */
function calm(ids: NodeId[], faults: Action[], loss: number): Action[] {
  const dead = new Set<NodeId>();
  for (const a of faults.slice().sort((x, y) => x.at - y.at))
    if (a.type === 'kill') dead.add(a.node);
    else if (a.type === 'restart') dead.delete(a.node);
  return [
    { at: FAULT_WINDOW_MS, type: 'healAll' },
    { at: FAULT_WINDOW_MS, type: 'setLoss', loss },
    ...ids.map((node): Action => ({ at: FAULT_WINDOW_MS, type: 'resume', node })),
    ...[...dead].map((node): Action => ({ at: FAULT_WINDOW_MS, type: 'restart', node })),
  ];
}

/** Exactly one alive worker leads, the service names it, and its token is its znode's czxid. */
function settled(sim: Simulation): boolean {
  const l = leading(sim);
  if (l.length !== 1 || !nodeOf(sim, 1).alive) return false;
  const z = lowest(zkOf(sim));
  return z !== null && z.owner === l[0] && workerOf(sim, l[0]).token === z.czxid;
}

describe('ZooKeeper election with fencing, under random faults', () => {
  it('never charges twice, tokens and zxids never go back, a worker leads only from the bottom, and one worker leads after the faults', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const ids = Array.from({ length: c.nodes }, (_, i) => i + 1);
        const payment = c.nodes;
        const faults = [...c.shared, ...c.episodes.flat()];
        const sim = createSimulation(
          zkScenario({
            nodes: c.nodes,
            params: { recipe: c.recipe, fencing: true },
            latency: c.latency,
            loss: c.loss,
            duplicate: c.duplicate,
            fifo: c.fifo,
            seed: c.seed,
            actions: [...faults, ...calm(ids, faults, c.loss)],
          }),
        );
        // the session timeout follows the network; after the window, a dead leader's znode
        // goes within a session timeout (a rebooted service gives every session a full
        // one), and retries under loss add a few more round trips
        const timeout = Math.max(4000, 20 * c.latency[1]);
        const bound = ms(FAULT_WINDOW_MS + 4 * timeout);
        const taken: { token: number; key: string }[] = [];
        let zxid = 0;
        let maxToken = 0;
        let done = false;
        while (!done) {
          const next = sim.nextEventTime();
          if (next === undefined || next > bound) break;
          const r = sim.step()!;
          const pay = nodeOf(sim, payment);
          if (pay.alive) {
            const ctx = pay.snapshot.context as PaymentContext;
            // the highest token the service has seen never goes back, across its restarts
            expect(ctx.book.maxToken).toBeGreaterThanOrEqual(maxToken);
            maxToken = ctx.book.maxToken;
            expect(ctx.book.duplicates).toBe(0);
            if (r.kind === 'deliver' && r.type === 'Charge' && r.node === payment) {
              const d = ctx.last!;
              if (d.outcome === 'charged' || d.outcome === 'duplicate')
                taken.push({ token: d.token, key: `${d.customer}:${d.period}` });
            }
          }
          if (nodeOf(sim, 1).alive) {
            const st = zkOf(sim);
            expect(st.zxid).toBeGreaterThanOrEqual(zxid);
            zxid = st.zxid;
            // a worker starts leading only when no lower znode is left
            if (
              r.after === 'worker.leading' &&
              r.before !== 'worker.leading' &&
              r.kind === 'deliver'
            ) {
              const mine = workerOf(sim, r.node).znode!;
              expect(st.znodes.some((z) => z.seq < mine.seq)).toBe(false);
            }
          }
          done = sim.now >= ms(FAULT_WINDOW_MS) && settled(sim);
        }
        expect(done, `no single leader named by the service by ${bound / 1000} ms`).toBe(true);
        // money is taken at most once per customer and period, with tokens in order
        expect(new Set(taken.map((t) => t.key)).size).toBe(taken.length);
        for (let i = 1; i < taken.length; i++)
          expect(taken[i].token).toBeGreaterThanOrEqual(taken[i - 1].token);
        expect(internals(sim).world.violations.filter((v) => v.severity === 'error')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  }, 300_000);
});
