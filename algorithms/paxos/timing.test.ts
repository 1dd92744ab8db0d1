/**
 * Paxos's timing warnings: Raft's rules in Paxos's words, plus the two lease checks; and
 * never a warning for the defaults the network gives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paxosTimingWarnings, resolvePaxosParams } from './model';

const net = (min: number, max: number) => ({ latency: { min, max } });

describe('paxos timing warnings', () => {
  it('say what breaks in Paxos terms, and say nothing for the network defaults', () => {
    const paper = { electionTimeout: { min: 150, max: 300 } };
    expect(paxosTimingWarnings(paper, net(10, 15))).toEqual([]);
    const slow = paxosTimingWarnings(paper, net(80, 150));
    expect(slow).toEqual([
      "election timeout 150-300 ms is not above the round trip of up to 300 ms: acceptors time out before the new leader's first heartbeat arrives, expect duelling proposers (the default for this network is 375-750 ms)",
    ]);
    expect(paxosTimingWarnings({ electionTimeout: { min: 150, max: 150 } }, net(1, 2))).toEqual([
      'election timeout 150-150 ms has no spread: proposers that duel time out together again and again',
    ]);
    expect(paxosTimingWarnings({ electionTimeout: { min: 150, max: 160 } }, net(30, 60))).toEqual([
      'election timeout spread 10 ms is below the one-way latency of up to 60 ms: proposers often start together and duel',
    ]);
    // a lease shorter than a heartbeat plus jitter lapses; one as long as the timeout stalls elections
    expect(paxosTimingWarnings({ ...paper, leaseMs: 76 }, net(10, 15))).toEqual([
      'lease 76 ms is shorter than the heartbeat 75 ms plus up to 5 ms of jitter: it lapses between heartbeats and protects the leader only part of the time',
    ]);
    expect(paxosTimingWarnings({ ...paper, leaseMs: 150 }, net(10, 15))).toEqual([
      'lease 150 ms is not below the minimum election timeout of 150 ms: a proposer that timed out is refused until the lease runs out, so every election after a crash waits for it',
    ]);
    expect(paxosTimingWarnings({ ...paper, leaseMs: 100 }, net(10, 15))).toEqual([]);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 10_000 })
          .chain((max) => fc.integer({ min: 0, max }).map((min) => net(min, max))),
        (n) => {
          expect(paxosTimingWarnings(resolvePaxosParams({}, n), n)).toEqual([]);
        },
      ),
    );
  });
});
