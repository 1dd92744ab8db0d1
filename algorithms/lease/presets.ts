/** The lease election's named scenarios (every lesson is a preset too). */
import type { Preset } from '../core/preset';
import { storeRaftScenario } from './lessons';

export const leasePresets: Preset[] = [
  {
    name: 'lease-store-raft',
    title: 'Lease: the store is a Raft group of three',
    description:
      'Nodes 1-3 run the store as a Raft group, 4-6 are workers, 7 the payment service. The store leader and the worker leader are cut off from the rest (the payment service still reaches both): renewals fail on the minority side, the worker steps down when its lease runs out, and the majority elects a new store leader that hands the election to another worker.',
    scenario: storeRaftScenario,
  },
];
