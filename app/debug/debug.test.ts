/**
 * The debugger's pure parts: the run index (message -> sending event, role changes,
 * markers, survival of a rewritten future), the statechart read from the machines, and
 * breakpoints (they stop where a fresh run says the event is).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, faults, registry, type Simulation } from '../../algorithms/index';
import { RunIndex } from './runIndex';
import { chartOf, takenTransitions } from './statechart';
import { compile } from './breakpoints';

const scenario = (algorithm = 'raft', n = 5) => ({
  v: 1,
  algorithm,
  params: {},
  nodes: Array.from({ length: n }, (_, i) => ({ id: i + 1 })),
  network: { latency: { min: 30, max: 60 }, loss: 0, fifo: false },
  seed: 2,
  actions: [],
});

function run(sim: Simulation, events: number) {
  for (let i = 0; i < events && sim.step(); i++);
}

describe('RunIndex', () => {
  it('maps every delivered message to the event that sent it', () => {
    const sim = createSimulation(scenario(), { history: true });
    run(sim, 3000);
    const idx = new RunIndex();
    idx.update(sim);
    const trace = sim.trace();
    let checked = 0;
    for (const r of trace) {
      if (r.kind !== 'deliver' || r.msg === undefined) continue;
      const s = idx.sendOf(r.msg, r.i);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(trace[s].node).toBe(r.from);
      expect(trace[s].t).toBeLessThanOrEqual(r.t);
      const [lo, hi] = idx.sentBy(s);
      expect(r.msg).toBeGreaterThan(lo);
      expect(r.msg).toBeLessThanOrEqual(hi);
      checked++;
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('marks leader elections and faults, and follows a rewritten future', () => {
    const sim = createSimulation(scenario(), { history: true });
    sim.runWhileNot(() => sim.leader !== null, 5_000_000);
    const elected = sim.index - 1;
    run(sim, 200);
    const idx = new RunIndex();
    idx.update(sim);
    expect(idx.markers.find((m) => m.kind === 'leader')?.i).toBe(elected);
    const leaderRoles = idx.roles.get(sim.leader!)!;
    expect(leaderRoles[leaderRoles.length - 1].role).toBe('leader');

    // back in time, a kill rewrites what follows
    sim.seek(elected + 5);
    sim.apply(faults.kill(sim.leader ?? 1));
    run(sim, 50);
    idx.update(sim);
    expect(idx.scanned).toBe(sim.history!.maxIndex);
    const fault = idx.markers.find((m) => m.kind === 'fault');
    expect(fault?.i).toBe(elected + 5);
    expect(fault?.text).toMatch(/^kill \d/);
  });
});

describe('statechart from the machine definition', () => {
  it('reads Raft states, guards, targets and timers', () => {
    const chart = chartOf(registry.raft.machine);
    expect(chart.states.map((s) => s.path)).toEqual([
      'follower',
      'precandidate',
      'candidate',
      'leader',
    ]);
    const follower = chart.states[0];
    expect(follower.initial).toBe(true);
    expect(follower.timers.map((t) => [t.id, t.event])).toEqual([['election', 'ELECTION_TIMEOUT']]);
    expect(follower.transitions).toContainEqual(
      expect.objectContaining({
        event: 'ELECTION_TIMEOUT',
        guard: 'preVoteOn',
        target: 'precandidate',
      }),
    );
    expect(chart.shared).toContainEqual(
      expect.objectContaining({ event: 'RequestVote', guard: 'grantsVote', target: 'follower' }),
    );
    // a candidate whose timer fires stays a candidate and campaigns again: the chart says how
    const candidate = chart.states.find((s) => s.path === 'candidate')!;
    expect(candidate.transitions.find((t) => t.event === 'ELECTION_TIMEOUT')).toMatchObject({
      target: null,
      actions: ['startElection', 'broadcast', 'resetElectionTimer'],
    });
    // a combined guard is spelled out from its parts
    expect(candidate.transitions).toContainEqual(
      expect.objectContaining({
        event: 'RequestVoteResponse',
        guard: 'countsVote and winsWithVote',
        target: 'leader',
      }),
    );
  });

  it('finds the transition just taken', () => {
    const chart = chartOf(registry.raft.machine);
    const taken = takenTransitions(chart, 'candidate', 'leader', 'RequestVoteResponse');
    expect(taken).toHaveLength(1);
    const t = chart.states.find((s) => s.path === 'candidate')!.transitions[taken[0].k];
    expect(t).toMatchObject({ event: 'RequestVoteResponse', target: 'leader' });
    // a candidate refusing a vote falls through to the root's handlers
    expect(takenTransitions(chart, 'candidate', 'candidate', 'RequestVote')[0].state).toBe('');
  });

  it('reads every registered machine, nested states included', () => {
    for (const name of Object.keys(registry)) {
      const chart = chartOf(registry[name].machine);
      expect(chart.states.length).toBeGreaterThan(1);
    }
    const lease = chartOf(registry.lease.machine);
    expect(lease.states.map((s) => s.path)).toContain('worker.leading');
  });
});

describe('breakpoints', () => {
  it('"leader elected" and "term changes" hit at the events a plain run finds', () => {
    const ref = createSimulation(scenario());
    let termAt = -1;
    while (ref.leader === null) {
      const r = ref.step()!;
      if (termAt < 0 && r.term === 1) termAt = r.i;
    }
    const sim = createSimulation(scenario());
    const check = compile([
      { id: 1, kind: 'leader', enabled: true },
      { id: 2, kind: 'term', enabled: true },
    ])!;
    const hits: [number, string][] = [];
    for (let i = 0; i < ref.index; i++) {
      const before = sim.leader;
      const r = sim.step()!;
      const hit = check(sim, r, before);
      if (hit) hits.push([r.i, hit]);
    }
    expect(hits[0]).toEqual([termAt, expect.stringMatching(/^term 1 begins/)]);
    expect(hits[hits.length - 1]).toEqual([
      ref.index - 1,
      expect.stringMatching(new RegExp(`^node ${ref.leader} was elected leader of term 1`)),
    ]);
  });

  it('"node X enters state Y" and "message of type T delivered"', () => {
    const sim = createSimulation(scenario());
    const check = compile([
      { id: 1, kind: 'state', node: 3, state: 'candidate', enabled: true },
      { id: 2, kind: 'message', type: 'AppendEntries', enabled: false },
    ])!;
    let hit: string | null = null;
    for (let i = 0; i < 5000 && !hit; i++) {
      const before = sim.leader;
      const r = sim.step()!;
      hit = check(sim, r, before);
      if (hit) expect(r).toMatchObject({ node: 3, after: 'candidate' });
    }
    expect(hit).toBe('node 3 enters candidate');
    expect(compile([{ id: 1, kind: 'leader', enabled: false }])).toBeNull();
  });
});
