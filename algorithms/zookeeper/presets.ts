/** The ZooKeeper election's named scenarios (every lesson is a preset too). */
import type { Preset } from '../core/preset';
import { ensembleRaftScenario } from './lessons';

export const zookeeperPresets: Preset[] = [
  {
    name: 'zookeeper-ensemble-raft',
    title: 'ZooKeeper: the ensemble is a Raft group of three',
    description:
      'Nodes 1-3 run the ZooKeeper service as an ensemble on Raft, 4-6 are workers, 7 the payment service. The ensemble leader and the worker leader are cut off from the rest (the payment service still reaches both): the minority cannot serve pings or creates, the worker leader gives its session up when its timeout passes, and the majority elects a new ensemble leader that closes that session and hands the election to another worker.',
    scenario: ensembleRaftScenario,
  },
];
