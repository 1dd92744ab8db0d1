/**
 * The ZooKeeper service as an ensemble of three on Raft (nodes 1-3), workers 4-6, the
 * payment service 7: the preset's scenario, where at 4 s the ensemble leader (replica 2)
 * and the worker leader (node 4) are cut off from the rest, the payment service still
 * reaching both.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { createSimulation } from '../index';
import type { TraceRecord } from '../sim/trace';
import { internals } from '../sim/simulation';
import { ms } from '../sim/time';
import type { NodeId } from '../sim/types';
import type { PaymentContext } from '../lease/payment';
import { ENSEMBLE_CUT_MS, ensembleRaftScenario } from './lessons';
import { zkReplicaMachine, type ZkReplicaContext } from './replica';
import { contextOf, leading, workerOf, zkScenario } from './zookeeper.testkit';
import { lowest } from './zk';

const ANSWERS = ['Connected', 'Pong', 'Created', 'Children', 'Stat', 'WatchEvent'];
const OLD_LEADER = 2;
const WORKER_LEADER = 4;

/**
 * Runs the preset and collects its records, and every service answer a replica sent while
 * it did not lead (there should be none: only the leader answers, after the commit).
 */
function run(untilMs: number) {
  const sim = createSimulation(ensembleRaftScenario);
  const records: TraceRecord[] = [];
  const answeredByNonLeader: string[] = [];
  for (;;) {
    const next = sim.nextEventTime();
    if (next === undefined || next > ms(untilMs)) break;
    const sentBefore = internals(sim).world.msgSeq;
    records.push(sim.step()!);
    for (const e of internals(sim).world.queue)
      if (e.kind === 'deliver' && e.msg.id > sentBefore && ANSWERS.includes(e.msg.body.type)) {
        const from = internals(sim).world.nodes[e.msg.from - 1];
        if (e.msg.from <= 3 && from.snapshot.value !== 'leader')
          answeredByNonLeader.push(`${e.msg.body.type} from ${e.msg.from} at ${sim.now}`);
      }
  }
  return { sim, records, answeredByNonLeader };
}

const replica = (sim: ReturnType<typeof run>['sim'], id: NodeId) =>
  contextOf<ZkReplicaContext>(sim, id);

describe('the ZooKeeper service on an ensemble of three Raft replicas', () => {
  it('elects an ensemble leader, which answers the workers only after a majority has their requests', () => {
    const { sim, answeredByNonLeader } = run(ENSEMBLE_CUT_MS - 1);
    expect(answeredByNonLeader).toEqual([]);
    expect(sim.state().nodes.find((n) => n.id === OLD_LEADER)!.state).toBe('leader');
    expect(leading(sim)).toEqual([WORKER_LEADER]);
    for (const id of [1, 2, 3]) {
      const r = replica(sim, id);
      // every replica applied the committed log: the same tree, node 4 owning the lowest znode
      expect(lowest(r.zk)?.owner).toBe(WORKER_LEADER);
      expect(r.applied).toBe(r.commitIndex);
    }
    expect(workerOf(sim, WORKER_LEADER).token).toBe(lowest(replica(sim, OLD_LEADER).zk)!.czxid);
  });

  it('a follower refuses a request and names the leader; the leader appends it and answers nothing before the commit', () => {
    const { sim } = run(ENSEMBLE_CUT_MS - 1);
    // (as XState snapshots: the engine's compiled driver keeps its own)
    const snapshotOf = (id: NodeId) => {
      const n = internals(sim).world.nodes[id - 1].snapshot;
      return zkReplicaMachine.resolveState({ value: n.value, context: n.context });
    };
    const session = workerOf(sim, WORKER_LEADER).session!;
    const ping = { type: 'Ping', from: WORKER_LEADER, session, rand: 0 } as never;
    const follower = snapshotOf(1);
    expect(follower.value).toBe('follower');
    const [, actions] = transition(zkReplicaMachine, follower, ping);
    const sent = (actions as { type: string; params?: unknown }[])
      .filter((a) => a.type === 'send')
      .map((a) => (a.params as { message: { type: string; leader?: number } }).message);
    expect(sent).toEqual([expect.objectContaining({ type: 'NotLeader', leader: OLD_LEADER })]);
    const leader = snapshotOf(OLD_LEADER);
    const [next, leaderActions] = transition(zkReplicaMachine, leader, ping);
    const before = leader.context as ZkReplicaContext;
    const after = next.context as ZkReplicaContext;
    expect(after.log.length).toBe(before.log.length + 1);
    expect(after.commitIndex).toBe(before.commitIndex);
    expect(after.applied).toBe(before.applied);
    expect(
      (leaderActions as { type: string; params?: unknown }[]).filter(
        (a) =>
          a.type === 'send' && (a.params as { message: { type: string } }).message.type === 'Pong',
      ),
    ).toEqual([]);
  });

  it('a partition leaving the ensemble leader in a minority with the worker leader: no pongs there, the session ends, a new ensemble leader serves the majority and another worker leads', () => {
    const { sim, records, answeredByNonLeader } = run(20_000);
    expect(answeredByNonLeader).toEqual([]);
    const after = records.filter((r) => r.t > ms(ENSEMBLE_CUT_MS));
    // the minority's worker hears no pong after the cut: its pings are never answered there
    expect(after.filter((r) => r.node === WORKER_LEADER && r.type === 'Pong')).toEqual([]);
    // its pings reached replica 2 while it still led, but never committed
    const proposed = after.filter(
      (r) =>
        r.node === OLD_LEADER &&
        r.type === 'Ping' &&
        r.from === WORKER_LEADER &&
        r.before === 'leader',
    );
    expect(proposed.length).toBeGreaterThan(0);
    // replica 2, without a majority, steps down by itself (check-quorum)
    const stepDown = after.find(
      (r) => r.node === OLD_LEADER && r.before === 'leader' && r.after !== 'leader',
    );
    expect(stepDown?.type).toBe('QUORUM_CHECK');
    // node 4 gives up its session (and leadership) on its own, a timeout after the last answer
    const gaveUp = after.find((r) => r.node === WORKER_LEADER && r.type === 'SESSION_TIMEOUT');
    expect(gaveUp?.before).toBe('worker.leading');
    expect(gaveUp?.after).toBe('worker.connecting');
    // no charge from node 4 after its session is gone
    expect(
      after.filter(
        (r) => r.node === 7 && r.type === 'Charge' && r.from === WORKER_LEADER && r.t > gaveUp!.t,
      ),
    ).toEqual([]);
    // a new ensemble leader, with a higher term, on the majority side
    const newLeader = after.find(
      (r) => (r.node === 1 || r.node === 3) && r.after === 'leader' && r.before !== 'leader',
    );
    expect(newLeader).toBeDefined();
    const s = replica(sim, newLeader!.node);
    const termAtCut = replica(run(ENSEMBLE_CUT_MS).sim, OLD_LEADER).term;
    expect(s.term).toBeGreaterThan(termAtCut);
    // it committed, in its own term, the close of node 4's session and the majority's pings
    const committed = s.log.slice(0, s.commitIndex);
    expect(committed.some((e) => e.term === s.term && e.command.type === 'Expire')).toBe(true);
    expect(
      committed.some(
        (e) => e.term === s.term && e.command.type === 'Ping' && e.command.from !== WORKER_LEADER,
      ),
    ).toBe(true);
    // and another worker leads, after node 4 stopped, with a higher zxid token
    const z = lowest(s.zk)!;
    expect(z.owner === 5 || z.owner === 6).toBe(true);
    expect(leading(sim)).toEqual([z.owner]);
    const led = after.find((r) => r.node === z.owner && r.after === 'worker.leading');
    expect(led!.t).toBeGreaterThan(gaveUp!.t);
    expect(workerOf(sim, z.owner).token).toBe(z.czxid);
    const book = contextOf<PaymentContext>(sim, 7).book;
    expect(book.maxToken).toBe(z.czxid);
    // no customer charged twice
    expect(book.duplicates).toBe(0);
    expect(sim.violations().filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('keeps the default single service unchanged: ensemble 1 runs the one-node service machine', () => {
    const one = createSimulation(zkScenario({ params: { fencing: true, ensemble: 1 } }));
    const none = createSimulation(zkScenario({ params: { fencing: true } }));
    one.runUntilTime(ms(8000));
    none.runUntilTime(ms(8000));
    expect(one.traceHash()).toBe(none.traceHash());
    expect(one.state().nodes[0].state).toBe('service');
  });

  it('refuses an ensemble with too few nodes, a service node named with it, or a replica as the payment service', () => {
    const bad =
      (params: object, nodes = 7) =>
      () =>
        createSimulation(zkScenario({ nodes, params: { ensemble: 3, ...params } }));
    expect(bad({}, 4)).toThrow(/an ensemble of 3 replicas needs at least 5 nodes/);
    expect(bad({ service: 1 })).toThrow(/leave service unset/);
    expect(bad({ payment: 2 })).toThrow(/node 2 is an ensemble replica/);
  });
});
