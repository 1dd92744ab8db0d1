/** Paxos's named scenarios: each tells a small fault story with the builders from sim/faults.ts. */
import { at, healAll, kill, partition, restart, timeout } from '../sim/faults';
import type { Preset } from '../core/preset';

const five = [1, 2, 3, 4, 5].map((id) => ({ id }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };

export const paxosPresets: Preset[] = [
  {
    name: 'paxos-basic',
    title: 'Paxos: a normal election',
    description:
      'Five nodes start as followers; the first timer to fire proposes ballot 1.id, gets a majority of promises and leads.',
    scenario: {
      v: 1,
      algorithm: 'paxos',
      params: {},
      nodes: five,
      network: net,
      seed: 1,
      actions: [],
    },
  },
  {
    name: 'paxos-duelling',
    title: 'Paxos: duelling proposers',
    description:
      'Nodes 2 and 5 time out together and both propose round 1: ballot 1.5 beats 1.2, and the acceptors refuse node 2 with Nacks.',
    scenario: {
      v: 1,
      algorithm: 'paxos',
      params: { electionTimeout: { min: 400, max: 800 } },
      nodes: five,
      network: net,
      seed: 1,
      actions: at(50, timeout(2), timeout(5)),
    },
  },
  {
    name: 'paxos-leader-crash',
    title: 'Paxos: the leader crashes after choosing values',
    description:
      'The leader chooses two client commands and crashes; the next leader recovers them in phase 1 and keeps them.',
    scenario: {
      v: 1,
      algorithm: 'paxos',
      params: {},
      nodes: five,
      network: net,
      seed: 1,
      actions: [
        { at: 600, type: 'request', command: 7 },
        { at: 700, type: 'request', command: 8 },
        ...at(1000, kill(4)),
        ...at(3000, restart(4)),
      ],
    },
  },
  {
    name: 'paxos-partition',
    title: 'Paxos: the leader is cut off by a partition',
    description:
      'The leader and one follower are cut off from the other three, which elect a leader with a higher ballot; after the heal the old leader sees it and follows.',
    scenario: {
      v: 1,
      algorithm: 'paxos',
      params: {},
      nodes: five,
      network: net,
      seed: 1,
      actions: [...at(1000, partition([3, 4], [1, 2, 5])), ...at(4000, healAll())],
    },
  },
];
