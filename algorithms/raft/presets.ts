/** Raft's named scenarios: each tells a small fault story with the builders from sim/faults.ts. */
import { at, cutLink, healAll, kill, partition, restart } from '../sim/faults';
import type { Preset } from '../core/preset';

const five = [1, 2, 3, 4, 5].map((id) => ({ id }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };

export const raftPresets: Preset[] = [
  {
    name: 'raft-basic',
    title: 'Raft: a normal election',
    description:
      'Five nodes start as followers; the first timer to fire starts an election and wins.',
    scenario: {
      v: 1,
      algorithm: 'raft',
      params: {},
      nodes: five,
      network: net,
      seed: 1,
      actions: [],
    },
  },
  {
    name: 'raft-leader-crash',
    title: 'Raft: the leader crashes and comes back',
    description:
      'The leader of term 1 (node 3 with seed 1) crashes; the others elect a new one; it restarts as a follower.',
    scenario: {
      v: 1,
      algorithm: 'raft',
      params: {},
      nodes: five,
      network: net,
      seed: 1,
      actions: [...at(1000, kill(3)), ...at(3000, restart(3))],
    },
  },
  {
    name: 'raft-partition',
    title: 'Raft: the leader is cut off by a partition',
    description:
      'The leader (node 3 with seed 1) and node 4 are cut off from 1, 2 and 5: the majority side elects a leader in a higher term while node 3 still believes it leads term 1; after the heal it sees the higher term and steps down.',
    scenario: {
      v: 1,
      algorithm: 'raft',
      params: {},
      nodes: five,
      network: net,
      seed: 1,
      actions: [...at(1000, partition([3, 4], [1, 2, 5])), ...at(4000, healAll())],
    },
  },
  {
    name: 'raft-one-way-cut',
    title: 'Raft: a one-way link failure',
    description: 'Node 1 can send to node 2 but not hear from it.',
    scenario: {
      v: 1,
      algorithm: 'raft',
      params: {},
      nodes: five,
      network: net,
      seed: 3,
      actions: [...at(800, cutLink(2, 1, true)), ...at(4000, healAll())],
    },
  },
];
