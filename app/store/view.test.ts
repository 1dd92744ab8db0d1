/**
 * The quorum the views show comes from the algorithm: every node's majority for Raft, the
 * replicas' majority when the lease store or the ZooKeeper service runs on a Raft group,
 * the one store node otherwise; a side of a partition holds a majority by those nodes only.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, registry } from '../../algorithms/index';
import { buildView, holdsMajority, quorumText } from './view';

const preset = (name: string) =>
  Object.values(registry)
    .flatMap((d) => d.presets)
    .find((p) => p.name === name)!.scenario;
const viewOf = (name: string) => buildView(createSimulation(preset(name)), new Map());

describe('the quorum a view shows', () => {
  it('is a majority of every node for Raft', () => {
    const v = viewOf('raft-basic');
    expect(v.quorum).toBe(3);
    expect(quorumText(v)).toBe('3 of 5 nodes');
    expect(holdsMajority(v, [1, 2, 3])).toBe(true);
    expect(holdsMajority(v, [4, 5])).toBe(false);
  });

  it('is a majority of the store replicas when the lease store runs on Raft', () => {
    const v = viewOf('lease-store-raft');
    expect(v.nodes.length).toBeGreaterThan(5);
    expect(v.quorumMembers).toEqual([1, 2, 3]);
    expect(quorumText(v)).toBe('2 of 3 store replicas (nodes 1, 2, 3)');
    // four of seven nodes, but one replica: that side cannot renew a lease
    expect(holdsMajority(v, [3, 4, 5, 6])).toBe(false);
    expect(holdsMajority(v, [1, 2])).toBe(true);
  });

  it('is the ensemble replicas for ZooKeeper on Raft, and the one service node without', () => {
    const v = viewOf('zookeeper-ensemble-raft');
    expect(quorumText(v)).toBe('2 of 3 ensemble replicas (nodes 1, 2, 3)');
    const single = buildView(
      createSimulation({
        v: 1,
        algorithm: 'zookeeper',
        params: {},
        nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
        network: { latency: { min: 10, max: 15 } },
        seed: 1,
      }),
      new Map(),
    );
    expect(quorumText(single)).toBe('the ZooKeeper service (node 1)');
    expect(holdsMajority(single, [1])).toBe(true);
    expect(holdsMajority(single, [2, 3, 4])).toBe(false);
  });
});
