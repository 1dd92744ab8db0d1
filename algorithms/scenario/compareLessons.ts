/**
 * Lessons for compare mode: one fault story, two algorithms side by side. Each caption's
 * moment looks at both runs at the same simulated time; its claims name the run they
 * are about (or both), and compareLessons.test.ts checks each against that run. Counts
 * quoted in captions are computed from the runs.
 */
import { at, kill, partition } from '../sim/faults';
import type { LessonProbe } from '../core/lesson';
import { listed } from '../core/words';
import type { CompareLesson, SideClaim } from './compare';

const cap = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);
const five = [1, 2, 3, 4, 5].map((id) => ({ id }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };

/** Alive nodes that believe they lead. */
export const leadersOf = (p: LessonProbe): number[] =>
  p.nodes.filter((n) => n.alive && n.role === 'leader').map((n) => n.id);

/** No two alive leaders claim the same term. */
export const oneLeaderPerTerm = (p: LessonProbe): boolean => {
  const terms = p.nodes.filter((n) => n.alive && n.role === 'leader').map((n) => n.term);
  return new Set(terms).size === terms.length;
};

/** The partition's majority side; Raft's first leader (node 3) and Bully's (node 5) are on the other. */
const MAJORITY = [1, 2, 4];
const MINORITY = [3, 5];
const majorityLeader = (p: LessonProbe): number | undefined =>
  leadersOf(p).find((id) => MAJORITY.includes(id));

const splitBrain: SideClaim[] = [
  {
    side: 'left',
    claim: {
      kind: 'fact',
      text: 'two nodes believe they lead',
      holds: (p) => leadersOf(p).length >= 2,
    },
  },
  {
    side: 'left',
    claim: {
      kind: 'fact',
      text: 'a split-brain warning is recorded',
      holds: (p) => p.violations.some((v) => v.invariant === 'split-brain'),
    },
  },
];

const perTerm: SideClaim = {
  side: 'right',
  claim: { kind: 'fact', text: 'no two nodes lead in the same term', holds: oneLeaderPerTerm },
};

const majorityLeads: SideClaim = {
  side: 'right',
  claim: {
    kind: 'fact',
    text: 'the majority side leads in the highest term',
    holds: (p) => {
      const m = majorityLeader(p);
      return (
        m !== undefined &&
        leadersOf(p).every((id) => id === m || (p.node(id).term ?? 0) < (p.node(m).term ?? 0))
      );
    },
  },
};

const bullyVsRaft: CompareLesson = {
  name: 'compare-bully-raft-partition',
  title: 'Bully vs Raft under a partition',
  summary:
    'One partition, two algorithms: Bully ends with two coordinators, Raft with one leader per term.',
  scenario: {
    v: 1,
    algorithm: 'bully',
    params: {},
    nodes: five,
    network: net,
    seed: 1,
    actions: at(1000, partition(MAJORITY, MINORITY)),
  },
  second: { algorithm: 'raft', params: {} },
  until: 3000,
  captions: [
    {
      text: 'The same five nodes, network and seed, and later the same partition. Left: Bully, where the highest id wins. Right: Raft, where a candidate needs a majority of votes in a term.',
    },
    {
      when: (l, r) => l.leader !== null && r.leader !== null,
      text: (l, r) =>
        `Both clusters have a leader: Bully's coordinator is node ${l.leader}, Raft's leader is node ${r.leader} in term ${r.node(r.leader!).term}.`,
      claims: [{ side: 'left', claim: { kind: 'leader', node: 5 } }],
    },
    {
      when: (l, r) => l.timeMs >= 1000 && r.timeMs >= 1000,
      text: 'One partition cuts nodes 3 and 5, both leaders, off from nodes 1, 2 and 4, in both clusters.',
      claims: [
        { side: 'left', claim: { kind: 'role', node: 5, role: 'leader' } },
        { side: 'right', claim: { kind: 'role', node: 3, role: 'leader' } },
      ],
    },
    {
      when: (l, r) => majorityLeader(r) !== undefined && r.timeMs >= 1000,
      text: (l, r) => {
        const m = majorityLeader(r)!;
        const stale = leadersOf(r).filter((id) => id !== m);
        const old = stale.map((id) => `node ${id} (term ${r.node(id).term})`);
        return `Raft: the majority side elects node ${m} in term ${r.node(m).term}.${
          stale.length > 0
            ? ` ${cap(listed(old))} still believes it leads, but in an older term, and without a majority it commits nothing.`
            : ' The minority side cannot win an election without a majority.'
        } One leader per term.`;
      },
      claims: [perTerm, majorityLeads],
    },
    {
      when: (l) => leadersOf(l).length >= 2,
      text: (l) =>
        `Bully: nodes ${listed(leadersOf(l))} both lead, one on each side: a split brain. Bully has no terms and no majorities, so nothing tells the two coordinators apart; Raft's two leaders differ by term, and only the newer one can commit.`,
      claims: [...splitBrain, perTerm, majorityLeads],
    },
  ],
};

const order = [3, 1, 5, 2, 4];
const ELECTION_TRAFFIC = ['ELECTION', 'ELECTED', 'COORDINATOR', 'ACK'];

/** Every id in `ids` follows `leader`, and no election traffic is in flight. */
const settledOn = (ids: readonly number[], leader: number) => (p: LessonProbe) =>
  ids.every((id) => p.node(id).role === 'follower' && p.node(id).leader === leader) &&
  p.node(leader).role === 'leader' &&
  !p.inFlight.some((m) => ELECTION_TRAFFIC.includes(m.type));

/** Messages of every type sent so far. */
export const sentTotal = (p: LessonProbe): number =>
  Object.values(p.sentByType).reduce((a, b) => a + b, 0);

/** ELECTION messages sent, since caption `k`'s moment when given. */
export const elections = (p: LessonProbe, k?: number): number =>
  (p.sentByType.ELECTION ?? 0) - (k === undefined ? 0 : (p.marks[k]?.ELECTION ?? 0));

const CRASH_CAPTION = 2;

const ringVariants: CompareLesson = {
  name: 'compare-ring-variants',
  title: 'Chang-Roberts vs collect-ids',
  summary:
    'The same ring and crash with the two ring variants: the same leaders, different message counts.',
  scenario: {
    v: 1,
    algorithm: 'ring',
    params: { variant: 'chang-roberts' },
    nodes: order.map((id) => ({ id })),
    network: net,
    seed: 1,
    actions: at(1000, kill(5)),
  },
  second: { algorithm: 'ring', params: { variant: 'collect-ids' } },
  until: 1500,
  captions: [
    {
      text: `The ring ${order.join(' → ')} → ${order[0]}, twice. Left: Chang-Roberts, where a node swallows an ELECTION carrying a smaller id than its own. Right: collect-ids, where every ELECTION goes all the way round gathering ids.`,
      claims: order.flatMap((node): SideClaim[] => [
        { side: 'left', claim: { kind: 'role', node, role: 'candidate' } },
        { side: 'right', claim: { kind: 'role', node, role: 'candidate' } },
      ]),
    },
    {
      when: (l, r) => settledOn([3, 1, 2, 4], 5)(l) && settledOn([3, 1, 2, 4], 5)(r),
      text: (l, r) =>
        `Both rings elected node 5. Chang-Roberts needed ${elections(l)} ELECTION messages, collect-ids ${elections(r)}: every id travelled the whole ring.`,
      claims: [
        { side: 'left', claim: { kind: 'leader', node: 5 } },
        { side: 'right', claim: { kind: 'leader', node: 5 } },
        {
          side: 'both',
          text: 'collect-ids sent more ELECTION messages than Chang-Roberts',
          holds: (l, r) => elections(r) > elections(l),
        },
      ],
    },
    {
      when: (l, r) => !l.node(5).alive && !r.node(5).alive,
      text: 'Node 5 crashes on both rings. Its neighbours notice the missing heartbeats and start a new election.',
      claims: [
        { side: 'left', claim: { kind: 'role', node: 5, role: 'dead' } },
        { side: 'right', claim: { kind: 'role', node: 5, role: 'dead' } },
      ],
    },
    {
      when: (l, r) => settledOn([3, 1, 2], 4)(l) && settledOn([3, 1, 2], 4)(r),
      text: (l, r) =>
        `Both rings now follow node 4. This election took ${elections(l, CRASH_CAPTION)} ELECTION messages with Chang-Roberts and ${elections(r, CRASH_CAPTION)} with collect-ids; all messages since boot: ${sentTotal(l)} against ${sentTotal(r)}.`,
      claims: [
        { side: 'left', claim: { kind: 'leader', node: 4 } },
        { side: 'right', claim: { kind: 'leader', node: 4 } },
        {
          side: 'both',
          text: 'the two runs sent different numbers of messages',
          holds: (l, r) => sentTotal(l) !== sentTotal(r),
        },
      ],
    },
  ],
};

export const compareLessons: CompareLesson[] = [bullyVsRaft, ringVariants];

export function findCompareLesson(name: string): CompareLesson | undefined {
  return compareLessons.find((l) => l.name === name);
}
