/**
 * Directed scenarios for the schedules that break Raft when one rule is missing: each
 * drives the cluster with forced timeouts, cuts and per-link latency into the exact
 * situation (a late vote from an older term, the paper's Figure 8, a late shorter
 * AppendEntries, a restart) and checks both the behaviour and that the invariant monitor
 * stays silent. Election timeouts are long (10-20 s) so only the forced ones fire.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action } from '../scenario/schema';
import { at, cutLink, healAll, kill, partition, request, restart, timeout } from '../sim/faults';
import type { RaftContext } from './machine';
import type { LogEntry } from './messages';
import { applyAppend } from './rules';

type Sim = ReturnType<typeof createSimulation>;

const ctx = (sim: Sim, id: number) =>
  sim.state().nodes.find((n) => n.id === id)!.context as RaftContext;
const role = (sim: Sim, id: number) => sim.summaryOf(id).role;
const violations = (sim: Sim) => sim.summary().violations.map((v) => `${v.invariant}: ${v.detail}`);

function directed(nodes: number, actions: Action[], preVote = false): Sim {
  return createSimulation({
    v: 1,
    algorithm: 'raft',
    params: { electionTimeout: { min: 10_000, max: 20_000 }, preVote },
    nodes: Array.from({ length: nodes }, (_, i) => ({ id: i + 1 })),
    network: { latency: { min: 10, max: 10 } },
    seed: 1,
    actions,
  });
}

const setLinkLatency = (from: number, to: number, latency: number): Action[] => [
  { at: 0, type: 'setLatency', from, to, min: latency, max: latency },
];
const when = (t: number, actions: Action[]): Action[] => actions.map((a) => ({ ...a, at: t }));

describe('Raft safety on directed schedules', () => {
  it('a granted vote from an older term arriving late is not counted', () => {
    // Node 1 campaigns in term 1; the yes votes of 2 and 3 are slowed to 200 ms, those of
    // 4 and 5 never come back. Node 1 moves to term 2 unheard, node 4 wins term 2 with the
    // votes of 2, 3 and 5. Then the term-1 votes of 2 and 3 reach node 1: counted, they
    // would make it a second leader of term 2.
    const sim = directed(5, [
      ...at(0, cutLink(4, 1, true), cutLink(5, 1, true)),
      ...at(10, timeout(1)),
      ...when(15, [...setLinkLatency(2, 1, 200), ...setLinkLatency(3, 1, 200)]),
      ...at(50, ...[2, 3, 4, 5].map((to) => cutLink(1, to, true))),
      ...at(60, timeout(1)),
      ...at(70, timeout(4)),
    ]);
    sim.runUntil(219);
    expect(sim.leader).toBe(4);
    expect(ctx(sim, 1)).toMatchObject({ term: 2, votes: [1] });
    sim.runUntil(300);
    const late = sim
      .trace()
      .filter((r) => r.node === 1 && r.type === 'RequestVoteResponse' && r.kind === 'deliver');
    expect(late.map((r) => [r.t, r.from, r.label])).toEqual([
      [220_000, 2, 'Vote yes t1'],
      [220_000, 3, 'Vote yes t1'],
    ]);
    expect(role(sim, 1)).toBe('candidate');
    expect(ctx(sim, 1).votes).toEqual([1]);
    expect(violations(sim)).toEqual([]);
  });

  it("Figure 8: a leader does not commit an earlier term's entry by counting replicas", () => {
    // (a) node 1 leads term 1 and stores entry 1 (command 10) on itself and node 2 only;
    // (b) node 1 crashes, node 5 wins term 2 with 3 and 4 and stores a different entry 1
    //     (command 20) on itself only;
    // (c) node 5 crashes, node 1 restarts, wins term 3 with 2, 3 and 4 and copies entry 1
    //     (term 1) to 3 and 4: a majority holds it, but it is from an earlier term, so it
    //     must stay uncommitted;
    // (d) node 1 crashes, node 5 restarts and wins term 4 (its last log term, 2, beats 1)
    //     and overwrites entry 1 everywhere: legal only because it was never committed.
    const sim = directed(5, [
      ...at(0, timeout(1)),
      ...at(100, partition([1, 2], [3, 4, 5])),
      ...at(110, request(10, 1)),
      ...at(200, kill(1)),
      ...at(210, timeout(5)),
      ...at(290, partition([5], [1, 2, 3, 4])),
      ...at(300, request(20, 5)),
      ...at(400, kill(5)),
      ...at(405, healAll()),
      ...at(410, restart(1)),
      ...at(420, timeout(1)),
      ...at(470, timeout(1)),
      ...at(600, kill(1)),
      ...at(610, restart(5)),
      ...at(620, timeout(5)),
      ...at(670, timeout(5)),
      ...at(800, request(30, 5)),
    ]);
    const entry = (term: number, command: number): LogEntry => ({ term, command });
    sim.runUntil(399);
    expect(ctx(sim, 2).log).toEqual([entry(1, 10)]);
    expect(ctx(sim, 5)).toMatchObject({ term: 2, log: [entry(2, 20)] });
    sim.runUntil(599);
    // (c): node 1 leads term 3 and entry 1 of term 1 is on a majority (1, 2, 3, 4), uncommitted
    expect(role(sim, 1)).toBe('leader');
    expect(ctx(sim, 1).term).toBe(3);
    for (const id of [1, 2, 3, 4]) expect(ctx(sim, id).log).toEqual([entry(1, 10)]);
    expect(ctx(sim, 1).commitIndex).toBe(0);
    sim.runUntil(1000);
    // (d): node 5 leads term 4 and its entry replaced the never-committed one everywhere
    expect(sim.leader).toBe(5);
    expect(ctx(sim, 5).term).toBe(4);
    for (const id of [2, 3, 4, 5]) expect(ctx(sim, id).log).toEqual([entry(2, 20), entry(4, 30)]);
    expect(ctx(sim, 5).commitIndex).toBe(2);
    // the followers learn the commit index from the next heartbeat (every 5 s here)
    sim.runUntil(6000);
    for (const id of [2, 3, 4]) expect(ctx(sim, id).commitIndex).toBe(2);
    expect(violations(sim)).toEqual([]);
  });

  it('a late, shorter AppendEntries never truncates acknowledged entries', () => {
    // With pre-vote a follower that times out keeps its term and forgets its leader, so a
    // late AppendEntries from that leader is applied in full, not skipped as a heartbeat.
    // Entry 1 reaches node 2 only after 300 ms; entries 1-2 reach it at once and it
    // acknowledges both, so the leader commits entry 2 (nodes 1 and 2 of 3). When the old
    // [entry 1] arrives, truncating after it would lose a committed entry, and node 3
    // (which lacks it) could then win the next election with node 2's vote.
    const sim = directed(
      3,
      [
        ...at(0, timeout(1)),
        ...when(100, setLinkLatency(1, 2, 300)),
        ...at(110, request(5, 1)),
        ...at(130, cutLink(1, 3, true)),
        ...when(150, setLinkLatency(1, 2, 10)),
        ...at(160, request(6, 1)),
        ...at(200, timeout(2)),
        ...at(500, kill(1)),
        ...at(505, healAll()),
        ...at(510, timeout(3)),
        ...at(520, timeout(2)),
      ],
      true,
    );
    sim.runUntil(409);
    expect(ctx(sim, 1).commitIndex).toBe(2);
    expect(ctx(sim, 2).log.map((e) => e.command)).toEqual([5, 6]);
    expect(ctx(sim, 3).log.map((e) => e.command)).toEqual([5]);
    expect(sim.state().nodes.find((n) => n.id === 2)!.state).toBe('precandidate');
    sim.runUntil(411);
    const late = sim.trace().find((r) => r.node === 2 && r.t === 410_000)!;
    expect(late).toMatchObject({ kind: 'deliver', label: 'AppendEntries t1 +1' });
    expect(ctx(sim, 2).log.map((e) => e.command)).toEqual([5, 6]);
    sim.runUntil(1000);
    expect(sim.leader).toBe(2);
    expect(ctx(sim, 3).log.map((e) => e.command)).toEqual([5, 6]);
    expect(violations(sim)).toEqual([]);
  });

  it('applyAppend keeps entries a shorter or empty AppendEntries does not contradict', () => {
    const log: LogEntry[] = [
      { term: 1, command: 1 },
      { term: 1, command: 2 },
      { term: 2, command: 3 },
    ];
    const c = { term: 2, commitIndex: 1, log } as RaftContext;
    const ae = (prevLogIndex: number, entries: LogEntry[], leaderCommit = 1) => ({
      type: 'AppendEntries' as const,
      from: 1,
      term: 2,
      leader: 1,
      prevLogIndex,
      prevLogTerm: prevLogIndex === 0 ? 0 : log[prevLogIndex - 1].term,
      entries,
      leaderCommit,
    });
    expect(applyAppend(c, ae(0, [log[0]])).log).toEqual(log);
    expect(applyAppend(c, ae(1, [])).log).toEqual(log);
    expect(applyAppend(c, ae(1, [log[1]], 3))).toEqual({ log, commitIndex: 2 });
    // a conflicting entry (same index, other term) goes, with everything after it
    expect(applyAppend(c, ae(1, [{ term: 2, command: 9 }])).log).toEqual([
      log[0],
      { term: 2, command: 9 },
    ]);
  });

  it('the log survives a restart, so a restarted voter still refuses a candidate that lacks committed entries', () => {
    // entry 1 is committed on nodes 1 and 2 (node 3 cannot hear node 1); node 2 restarts,
    // node 1 dies, node 3 campaigns: node 2 must remember entry 1 and refuse
    const sim = directed(3, [
      ...at(0, timeout(1)),
      ...at(100, cutLink(1, 3, true)),
      ...at(110, request(7, 1)),
      ...at(200, restart(2)),
      ...at(300, kill(1)),
      ...at(310, healAll()),
      ...at(320, timeout(3)),
    ]);
    sim.runUntil(199);
    expect(ctx(sim, 1).commitIndex).toBe(1);
    const before = ctx(sim, 2).log;
    expect(before).toEqual([{ term: 1, command: 7 }]);
    sim.runUntil(201);
    expect(ctx(sim, 2)).toMatchObject({ log: before, term: 1, commitIndex: 0, leader: null });
    sim.runUntil(600);
    expect(role(sim, 3)).toBe('candidate');
    expect(sim.leader).toBeNull();
    expect(violations(sim)).toEqual([]);
  });

  it('a one-node cluster commits a client request at once', () => {
    const sim = createSimulation({
      v: 1,
      algorithm: 'raft',
      nodes: [{ id: 1 }],
      network: { latency: { min: 10, max: 15 } },
      seed: 1,
      actions: [...at(400, request(3)), ...at(500, request(4))],
    });
    sim.runUntil(450);
    expect(sim.leader).toBe(1);
    expect(ctx(sim, 1)).toMatchObject({ log: [{ term: 1, command: 3 }], commitIndex: 1 });
    sim.runUntil(600);
    expect(ctx(sim, 1).commitIndex).toBe(2);
    expect(violations(sim)).toEqual([]);
  });

  it('check-quorum counts a refused AppendEntries as contact: a new leader whose follower lags keeps its place', () => {
    // node 1 dies after giving entry 1 to node 2 but not to node 3; node 2 wins the next
    // election (once node 3's lease on node 1 has run out) with the longer log, so node 3
    // refuses its first AppendEntries until the missing entry arrives a round trip later:
    // those refusals prove node 3 is there, and node 2 must not step down at its first
    // quorum check for want of acknowledgements
    const sim = createSimulation({
      v: 1,
      algorithm: 'raft',
      params: { electionTimeout: { min: 400, max: 800 }, checkQuorum: true },
      nodes: [1, 2, 3].map((id) => ({ id })),
      network: { latency: { min: 120, max: 120 } },
      seed: 1,
      actions: [
        ...at(0, timeout(1)),
        ...at(440, cutLink(1, 3, true)),
        ...at(450, request(5, 1)),
        ...at(575, kill(1)),
        ...at(580, timeout(2)),
      ],
    });
    sim.runUntil(3000);
    expect(sim.summary().leaders.map((l) => l.node)).toEqual([1, null, 2]);
    expect(ctx(sim, 3).log.map((e) => e.command)).toEqual([5]);
    const refusals = sim
      .trace()
      .filter((r) => r.node === 2 && r.from === 3 && r.label?.startsWith('Ack fail'));
    expect(refusals.length).toBeGreaterThan(0);
    expect(violations(sim)).toEqual([]);
  });
});
