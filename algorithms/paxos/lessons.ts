/**
 * Paxos lessons. Each caption is tied to a moment of its run (a predicate over the state
 * after an event), and its claims are checked by the tests at that exact moment; node
 * numbers are those of the fixed seed below.
 */
import { at, timeout } from '../sim/faults';
import { becomes, roles, type Lesson, type LessonProbe } from '../core/lesson';
import type { PaxosContext } from './machine';
import { ballotOf } from './messages';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };

const context = (p: LessonProbe, id: number) => p.node(id).context as PaxosContext;
/** The ballot node `id`'s acceptor has promised. */
const promised = (p: LessonProbe, id: number) => context(p, id).promised;
/** The event just processed was node `id` refusing `from`'s Prepare. */
const refusedPrepare = (id: number, from: number) => (p: LessonProbe) =>
  p.record?.kind === 'deliver' &&
  p.record.type === 'Prepare' &&
  p.record.node === id &&
  p.record.from === from &&
  promised(p, id) !== ballotOf(1, from);

export const paxosLessons: Lesson[] = [
  {
    name: 'lesson-paxos-duelling',
    title: 'Paxos: duelling proposers and how ballots resolve them',
    algorithm: 'paxos',
    summary:
      'Two proposers start in the same round: the higher id wins; then a higher round beats any id.',
    scenario: {
      v: 1,
      algorithm: 'paxos',
      params: { electionTimeout: { min: 400, max: 800 } },
      nodes: nodes(5),
      network: net,
      seed: 1,
      actions: [...at(50, timeout(2), timeout(5)), ...at(600, timeout(1))],
    },
    until: 800,
    captions: [
      {
        text: 'Five nodes, each a proposer and an acceptor, start as followers. A ballot is a pair (round, id), compared round first: it is what Raft calls a term, but no two proposers ever share one.',
        claims: [...roles([1, 2, 3, 4, 5], 'follower'), { kind: 'leader', node: null }],
      },
      {
        when: (p) => p.node(2).role === 'candidate' && p.node(5).role === 'candidate',
        text: 'At 50 ms nodes 2 and 5 time out together. Both pick round 1, the lowest above what they have seen: ballots 1.2 and 1.5. Each promises its own ballot and sends Prepare to the others.',
        claims: [
          ...roles([2, 5], 'candidate'),
          { kind: 'term', node: 2, term: ballotOf(1, 2) },
          { kind: 'term', node: 5, term: ballotOf(1, 5) },
        ],
      },
      {
        when: becomes(2, 'follower'),
        text: 'Node 5’s Prepare reaches node 2. Same round, so the ids decide: 1.5 is higher than 1.2. An acceptor promises any ballot at least as high as its promise, so node 2 promises 1.5 and gives up its own campaign.',
        claims: [
          { kind: 'role', node: 2, role: 'follower' },
          { kind: 'term', node: 2, term: ballotOf(1, 5) },
          { kind: 'role', node: 5, role: 'candidate' },
        ],
      },
      {
        when: refusedPrepare(3, 2),
        text: 'Node 2’s Prepare 1.2 arrives at node 3 after node 5’s: node 3 has promised 1.5 and answers with a Nack that names it. A promise is a promise never to accept a lower ballot.',
        claims: [
          {
            kind: 'fact',
            text: 'node 3 promised ballot 1.5',
            holds: (p) => promised(p, 3) === ballotOf(1, 5),
          },
          {
            kind: 'fact',
            text: 'node 1 received 1.2 first and promised it',
            holds: (p) => promised(p, 1) === ballotOf(1, 2),
          },
        ],
      },
      {
        when: (p) => p.leader === 5,
        text: (p) =>
          `Node 5 counts promises from a majority (${context(p, 5).promises.length} of 5, its own included) and leads ballot 1.5. Had an acceptor reported a value accepted in an earlier ballot, node 5 would now propose it again: that phase-1 recovery is Paxos’s answer to Raft’s up-to-date rule.`,
        claims: [
          { kind: 'leader', node: 5 },
          { kind: 'term', node: 5, term: ballotOf(1, 5) },
          {
            kind: 'fact',
            text: 'node 5 holds 3 promises',
            holds: (p) => context(p, 5).promises.length === 3,
          },
          { kind: 'role', node: 2, role: 'follower' },
        ],
      },
      {
        when: becomes(1, 'candidate'),
        text: 'At 600 ms we force node 1 to time out, though node 5 leads. It bumps its round above every ballot it has seen: ballot 2.1. A higher round beats any id.',
        claims: [
          { kind: 'role', node: 1, role: 'candidate' },
          { kind: 'term', node: 1, term: ballotOf(2, 1) },
          { kind: 'role', node: 5, role: 'leader' },
        ],
      },
      {
        when: becomes(5, 'follower'),
        text: 'Node 1’s Prepare 2.1 reaches node 5: it is higher than 1.5, so node 5’s acceptor promises it and node 5 stops leading. Without leases any node can depose a live leader this way; with leases on, acceptors refuse while the leader’s heartbeats keep coming.',
        claims: [
          { kind: 'role', node: 5, role: 'follower' },
          { kind: 'term', node: 5, term: ballotOf(2, 1) },
        ],
      },
      {
        when: (p) => p.leader === 1,
        text: 'Node 1 holds a majority of promises for ballot 2.1 and leads. Each duel ends because acceptors keep only the highest ballot; random election timeouts make it rare that two proposers keep outbidding each other.',
        claims: [
          { kind: 'leader', node: 1 },
          { kind: 'term', node: 1, term: ballotOf(2, 1) },
          ...roles([2, 3, 4, 5], 'follower'),
        ],
      },
    ],
  },
];
