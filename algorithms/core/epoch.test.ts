import { describe, expect, it } from 'vitest';
import { registry } from '../registry';
import { nodeEpoch, termWords } from './definition';

/** What the inspector calls the number a node's summary carries as its term. */
describe('nodeEpoch', () => {
  it('is a term in Raft and a ballot, written as round.proposer, in Paxos', () => {
    expect(nodeEpoch(registry.raft, 'follower', 3)).toEqual({ name: 'term', value: '3' });
    const ballot = nodeEpoch(registry.paxos, 'leader', 1005);
    expect(ballot.name).toBe('ballot');
    // the bare value is what the sentence form says after its word
    expect(termWords(registry.paxos, 1005)).toBe(`ballot ${ballot.value}`);
    expect(ballot.value).not.toBe('1005');
  });

  it('names each kind of lease and ZooKeeper node by what its number is', () => {
    const name = (alg: 'lease' | 'zookeeper', state: string) =>
      nodeEpoch(registry[alg], state, 7).name;
    expect(name('lease', 'store')).toBe('revision');
    expect(name('lease', 'payment')).toBe('highest token seen');
    expect(name('lease', 'worker.leading')).toBe('fencing token');
    expect(name('lease', 'worker.watching')).toBe('fencing token');
    expect(name('zookeeper', 'service')).toBe('zxid');
    expect(name('zookeeper', 'payment')).toBe('highest token seen');
    expect(name('zookeeper', 'worker.leading')).toBe('fencing token');
  });

  it("names a store replica's number like the service's, whatever the replica's Raft role", () => {
    for (const state of ['follower', 'precandidate', 'candidate', 'leader']) {
      expect(nodeEpoch(registry.lease, state, 1).name).toBe('revision');
      expect(nodeEpoch(registry.zookeeper, state, 1).name).toBe('zxid');
    }
  });
});
