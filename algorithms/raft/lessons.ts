/** Raft lessons. Times and node numbers are those of the fixed seeds below. */
import { at, healAll, partition, timeout } from '../sim/faults';
import type { Lesson } from '../core/lesson';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };

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
        at: 0,
        text: 'Five nodes start as followers. Each has an election timer set to a random time between 150 and 300 ms: the ring around a node shows it running down.',
      },
      {
        at: 157.18,
        text: "Node 3's timer fires first (157 ms). It becomes a candidate for term 1, votes for itself and sends RequestVote to the other four.",
      },
      {
        at: 165.051,
        text: "Node 4's timer fires 8 ms later, before node 3's request reaches it: now there are two candidates in term 1. Each node grants at most one vote per term.",
      },
      {
        at: 183.794,
        text: "Nodes 1, 2 and 5 had not voted yet and voted for node 3. With node 1's vote node 3 holds 3 of 5: a majority. It is the leader of term 1 and sends heartbeats.",
      },
      {
        at: 194.534,
        text: "Node 4 hears node 3's heartbeat for term 1 and steps down to follower. Heartbeats now reset every follower's timer, so no one else starts an election.",
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
        at: 0,
        text: 'Four nodes: a leader needs 3 votes. At 50 ms we force nodes 1 and 3 to time out at the same moment.',
      },
      {
        at: 50,
        text: 'Nodes 1 and 3 are both candidates for term 1 and each votes for itself. Nodes 2 and 4 will vote for whichever request reaches them first.',
      },
      {
        at: 64.121,
        text: 'Node 4 voted for node 1, node 2 for node 3: two votes each, and neither can get a third. This is a split vote: term 1 will have no leader.',
      },
      {
        at: 77.253,
        text: 'All answers are in and nobody won. Each candidate now waits for its election timer, set to a new random time between 150 and 300 ms.',
      },
      {
        at: 224.283,
        text: "Node 1's random timeout ends first (224 ms). It starts term 2 and asks for votes before anyone else's timer fires.",
      },
      {
        at: 247.59,
        text: 'Nodes 2, 3 and 4 had not started term 2 and all vote for node 1: it leads term 2. Random timeouts make such ties rare and short.',
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
      { at: 0, text: 'Five nodes elect node 3 as the leader of term 1 (see the first lesson).' },
      {
        at: 1000,
        text: 'A partition splits the network: node 3 (the leader) and node 4 on one side, nodes 1, 2 and 5 on the other. Messages across it are dropped.',
      },
      {
        at: 1124.015,
        text: "Nodes 1, 2 and 5 stop hearing heartbeats. Node 2's timer fires: it becomes a candidate for term 2.",
      },
      {
        at: 1152.012,
        text: 'Node 2 gets the votes of nodes 1 and 5: 3 of 5 is a majority, so it leads term 2. Node 3 still believes it leads term 1, but it can never reach a majority: a stale leader cannot do harm.',
      },
      {
        at: 4000,
        text: 'The partition heals. Node 3 still shows term 1.',
      },
      {
        at: 4014.886,
        text: "Node 3 receives node 2's heartbeat with the higher term 2 and steps down to follower. One leader again.",
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
      { at: 0, text: 'Pre-vote is on. Node 3 becomes the leader of term 1.' },
      {
        at: 1000,
        text: 'Node 1 is cut off from everyone. It will stop hearing heartbeats.',
      },
      {
        at: 1237.076,
        text: 'Node 1 times out. With pre-vote it first asks "would you vote for me in term 2?" without changing its own term. Nobody can answer, so it keeps asking, and its term stays 1.',
      },
      {
        at: 3000,
        text: 'The partition heals. Without pre-vote node 1 would by now be a candidate in term 10 and force the whole cluster into a new election (turn pre-vote off in the params to see it).',
      },
      {
        at: 3072.631,
        text: "Node 1 hears node 3's heartbeat for term 1 and settles as a follower. The leader was never disturbed.",
      },
    ],
  },
];
