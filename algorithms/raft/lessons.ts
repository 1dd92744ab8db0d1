/**
 * Raft lessons. Each caption is tied to a moment of its run (a predicate over the state
 * after an event), and its claims are checked by the tests at that exact moment; node
 * numbers are those of the fixed seeds below.
 */
import { at, healAll, partition, timeout } from '../sim/faults';
import { actionAt, allAre, becomes, roles, type Lesson, type LessonProbe } from '../core/lesson';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };

/** How many messages of type `type` are still in flight. */
const inFlight = (p: LessonProbe, type?: string) =>
  p.inFlight.filter((m) => type === undefined || m.type === type).length;

/** Whether node `voter` voted for `candidate` in its current term. */
const votedFor = (p: LessonProbe, voter: number, candidate: number) =>
  p.node(voter).votedFor === candidate;

/** Milliseconds, as a caption quotes them. */
const msText = (t: number) => `${Math.round(t)} ms`;

/**
 * Pre-vote lesson: node 1's term at the heal when the same run has pre-vote off (checked
 * by the lessons test, which runs that variant; the "try it" step asks the user to do so).
 */
export const PREVOTE_OFF_TERM_AT_HEAL = 9;

export const raftLessons: Lesson[] = [
  {
    name: 'lesson-raft-election',
    title: 'Raft: a normal election',
    algorithm: 'raft',
    summary: 'Five followers, random timeouts, one winner.',
    scenario: {
      v: 1,
      algorithm: 'raft',
      params: {},
      nodes: nodes(5),
      network: net,
      seed: 1,
      actions: [],
    },
    until: 400,
    captions: [
      {
        text: 'Five nodes start as followers. Each has an election timer set to a random time between 150 and 300 ms: the ring around a node shows it running down.',
        claims: [...roles([1, 2, 3, 4, 5], 'follower'), { kind: 'leader', node: null }],
      },
      {
        when: becomes(3, 'candidate'),
        text: (p) =>
          `Node 3's timer fires first (${msText(p.timeMs)}). It becomes a candidate for term 1, votes for itself and sends RequestVote to the other four.`,
        claims: [
          { kind: 'role', node: 3, role: 'candidate' },
          { kind: 'term', node: 3, term: 1 },
          { kind: 'votes', node: 3, count: 1 },
          ...roles([1, 2, 4, 5], 'follower'),
        ],
      },
      {
        when: becomes(4, 'candidate'),
        text: (p) =>
          `Node 4's timer fires at ${msText(p.timeMs)}, before node 3's request reaches it: now there are two candidates in term 1. Each node grants at most one vote per term.`,
        claims: [
          ...roles([3, 4], 'candidate'),
          { kind: 'term', node: 4, term: 1 },
          {
            kind: 'fact',
            text: 'node 4 has not received node 3’s request',
            holds: (p) => p.node(4).votedFor === 4,
          },
        ],
      },
      {
        when: (p) => p.leader === 3,
        text: 'Nodes 1, 2 and 5 had not voted yet and voted for node 3. With node 1’s vote node 3 holds 3 of 5: a majority. It is the leader of term 1 and sends heartbeats.',
        claims: [
          { kind: 'leader', node: 3 },
          { kind: 'role', node: 3, role: 'leader' },
          {
            kind: 'fact',
            text: 'node 3 counted 3 votes, its own included',
            holds: (p) => (p.node(3).context as { votes: number[] }).votes.length === 3,
          },
          {
            kind: 'fact',
            text: 'nodes 1, 2 and 5 voted for node 3',
            holds: (p) => [1, 2, 5].every((v) => votedFor(p, v, 3)),
          },
          { kind: 'role', node: 4, role: 'candidate' },
        ],
      },
      {
        when: (p) => p.record?.node === 4 && p.node(4).role === 'follower',
        text: 'Node 4 hears node 3’s heartbeat for term 1 and steps down to follower. Heartbeats now reset every follower’s timer, so no one else starts an election.',
        claims: [{ kind: 'leader', node: 3 }, ...roles([1, 2, 4, 5], 'follower')],
      },
    ],
  },
  {
    name: 'lesson-raft-split-vote',
    title: 'Raft: a split vote, and how random timeouts resolve it',
    algorithm: 'raft',
    summary: 'Two candidates at once split four votes 2-2; a random timeout breaks the tie.',
    scenario: {
      v: 1,
      algorithm: 'raft',
      params: {},
      nodes: nodes(4),
      network: net,
      seed: 2,
      actions: at(50, timeout(1), timeout(3)),
    },
    until: 300,
    captions: [
      {
        text: 'Four nodes: a leader needs 3 votes. At 50 ms we force nodes 1 and 3 to time out at the same moment.',
        claims: roles([1, 2, 3, 4], 'follower'),
      },
      {
        when: allAre([1, 3], 'candidate'),
        text: 'Nodes 1 and 3 are both candidates for term 1 and each votes for itself. Nodes 2 and 4 will vote for whichever request reaches them first.',
        claims: [
          ...roles([1, 3], 'candidate'),
          { kind: 'votes', node: 1, count: 1 },
          { kind: 'votes', node: 3, count: 1 },
          ...roles([2, 4], 'follower'),
        ],
      },
      {
        when: (p) => votedFor(p, 4, 1) && votedFor(p, 2, 3),
        text: 'Node 4 voted for node 1, node 2 for node 3. The answers are still on their way: each candidate will count two votes, and neither can get a third.',
        claims: [
          {
            kind: 'fact',
            text: 'node 4 voted for node 1 and node 2 for node 3',
            holds: (p) => votedFor(p, 4, 1) && votedFor(p, 2, 3),
          },
          {
            kind: 'fact',
            text: 'vote answers are still in flight',
            holds: (p) => inFlight(p, 'RequestVoteResponse') > 0,
          },
        ],
      },
      {
        when: (p) =>
          p.record?.type === 'RequestVoteResponse' &&
          inFlight(p, 'RequestVoteResponse') === 0 &&
          inFlight(p, 'RequestVote') === 0,
        text: 'All answers are in: nodes 1 and 3 hold two votes each. Neither has a majority, so term 1 has no leader: a split vote. Each candidate now waits for its election timer, set to a new random time between 150 and 300 ms.',
        claims: [
          { kind: 'votes', node: 1, count: 2 },
          { kind: 'votes', node: 3, count: 2 },
          ...roles([1, 3], 'candidate'),
          { kind: 'leader', node: null },
        ],
      },
      {
        when: (p) => p.record?.kind === 'timer' && p.node(p.record.node).term === 2,
        text: (p) =>
          `Node ${p.record?.node}'s random timeout ends first (${msText(p.timeMs)}). It starts term 2 and asks for votes before anyone else's timer fires.`,
        claims: [
          { kind: 'role', node: 1, role: 'candidate' },
          { kind: 'term', node: 1, term: 2 },
          { kind: 'term', node: 3, term: 1 },
        ],
      },
      {
        when: (p) => p.leader !== null,
        text: 'Nodes 2, 3 and 4 had not started term 2 and all vote for node 1: it leads term 2. Random timeouts make such ties rare and short.',
        claims: [
          { kind: 'leader', node: 1 },
          { kind: 'term', node: 1, term: 2 },
          {
            kind: 'fact',
            text: 'nodes 2, 3 and 4 voted for node 1 in term 2',
            holds: (p) => [2, 3, 4].every((v) => votedFor(p, v, 1) && p.node(v).term === 2),
          },
        ],
      },
    ],
  },
  {
    name: 'lesson-raft-partition',
    title: 'Raft: the leader is cut off by a partition',
    algorithm: 'raft',
    summary:
      'A stale leader keeps believing in term 1; the majority elects a new leader; the heal settles it.',
    scenario: {
      v: 1,
      algorithm: 'raft',
      params: {},
      nodes: nodes(5),
      network: net,
      seed: 1,
      actions: [...at(1000, partition([3, 4], [1, 2, 5])), ...at(4000, healAll())],
    },
    until: 4200,
    captions: [
      {
        text: 'Five nodes are about to elect their first leader (see the first lesson). Press Next to skip to the partition.',
        claims: roles([1, 2, 3, 4, 5], 'follower'),
      },
      {
        when: actionAt(1000),
        text: 'Node 3 leads term 1. A partition splits the network: node 3 (the leader) and node 4 on one side, nodes 1, 2 and 5 on the other. Messages across it are dropped.',
        claims: [
          { kind: 'leader', node: 3 },
          { kind: 'term', node: 3, term: 1 },
        ],
      },
      {
        when: (p) => p.record?.kind === 'timer' && p.node(p.record.node).role === 'candidate',
        text: (p) =>
          `Nodes 1, 2 and 5 stop hearing heartbeats. Node ${p.record?.node}'s timer fires: it becomes a candidate for term 2.`,
        claims: [
          { kind: 'role', node: 2, role: 'candidate' },
          { kind: 'term', node: 2, term: 2 },
          { kind: 'role', node: 3, role: 'leader' },
        ],
      },
      {
        when: (p) => p.node(2).role === 'leader',
        text: 'Node 2 gets the votes of nodes 1 and 5: 3 of 5 is a majority, so it leads term 2. Node 3 still believes it leads term 1, but it can never reach a majority: a stale leader cannot commit anything.',
        claims: [
          { kind: 'role', node: 2, role: 'leader' },
          { kind: 'term', node: 2, term: 2 },
          { kind: 'role', node: 3, role: 'leader' },
          { kind: 'term', node: 3, term: 1 },
          { kind: 'leader', node: 2 },
        ],
      },
      {
        when: actionAt(4000),
        text: 'The partition heals. Node 3 still shows term 1 and still believes it leads.',
        claims: [
          { kind: 'term', node: 3, term: 1 },
          { kind: 'role', node: 3, role: 'leader' },
        ],
      },
      {
        when: (p) => p.record?.node === 3 && p.node(3).role === 'follower',
        text: 'Node 3 receives node 2’s heartbeat with the higher term 2 and steps down to follower. One leader again.',
        claims: [
          { kind: 'role', node: 3, role: 'follower' },
          { kind: 'term', node: 3, term: 2 },
          { kind: 'leader', node: 2 },
          {
            kind: 'fact',
            text: 'node 2 is the only node that believes it leads',
            holds: (p) => p.nodes.filter((n) => n.alive && n.role === 'leader').length === 1,
          },
        ],
      },
    ],
  },
  {
    name: 'lesson-raft-prevote',
    title: 'Raft: pre-vote stops a returning node from disrupting the cluster',
    algorithm: 'raft',
    summary:
      'An isolated follower asks first whether it could win, so it does not inflate the term.',
    scenario: {
      v: 1,
      algorithm: 'raft',
      params: { preVote: true },
      nodes: nodes(5),
      network: net,
      seed: 11,
      actions: [...at(1000, partition([1])), ...at(3000, healAll())],
    },
    until: 3200,
    captions: [
      {
        text: 'Pre-vote is on: a node whose timer fires first asks the others whether they would vote for it, and only then starts a real election.',
        claims: roles([1, 2, 3, 4, 5], 'follower'),
      },
      {
        when: (p) => p.leader !== null,
        text: 'Node 3 asked first (pre-vote), got a majority of yes, then won the real election: it leads term 1.',
        claims: [
          { kind: 'leader', node: 3 },
          { kind: 'term', node: 3, term: 1 },
        ],
      },
      {
        when: actionAt(1000),
        text: 'Node 1 is cut off from everyone. It will stop hearing heartbeats.',
        claims: [{ kind: 'role', node: 1, role: 'follower' }],
      },
      {
        when: (p) => p.record?.node === 1 && p.node(1).state === 'precandidate',
        text: 'Node 1 times out. With pre-vote it first asks “would you vote for me in term 2?” without changing its own term. Nobody can answer, so it keeps asking, and its term stays 1.',
        claims: [
          { kind: 'term', node: 1, term: 1 },
          { kind: 'leader', node: 3 },
        ],
      },
      {
        when: actionAt(3000),
        text: () =>
          `The partition heals. Node 1 is still in term 1. Without pre-vote it would by now be a candidate in term ${PREVOTE_OFF_TERM_AT_HEAL} and force the whole cluster into a new election: try it (Parameters, pre-vote off, Apply: this lesson's faults stay).`,
        claims: [
          { kind: 'term', node: 1, term: 1 },
          { kind: 'leader', node: 3 },
        ],
      },
      {
        when: (p) =>
          p.record?.node === 1 && p.node(1).role === 'follower' && p.node(1).leader === 3,
        text: 'Node 1 hears node 3’s heartbeat for term 1 and settles as a follower. The leader was never disturbed.',
        claims: [
          { kind: 'role', node: 1, role: 'follower' },
          { kind: 'leader', node: 3 },
          { kind: 'term', node: 3, term: 1 },
        ],
      },
    ],
  },
];
