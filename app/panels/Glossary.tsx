/**
 * Words a student meets on screen, each with a tooltip that explains it. The tooltip
 * shows on hover and on keyboard focus and is linked with aria-describedby.
 */
import { useId, type ReactNode } from 'react';

export const GLOSSARY = {
  term: 'A term is an election round, numbered 1, 2, 3… Each term has at most one leader. A node that sees a higher term adopts it at once and steps down to follower, so an old leader cut off in a partition keeps its old, lower term.',
  vote: 'In each term a node votes for at most one candidate: the first one that asks whose log is at least as up to date as its own. The vote survives a restart.',
  heartbeat:
    'The leader sends heartbeats (empty AppendEntries messages) at a fixed interval. Each one resets the followers’ election timers; followers that stop hearing them start an election.',
  quorum:
    'A majority of the nodes that decide: ⌊n/2⌋ + 1 of all nodes in Raft and Paxos (3 of 5); of the replicas when a lease store or a ZooKeeper ensemble runs on Raft (2 of 3). A candidate needs votes from a quorum, and two majorities always share a node, so two leaders can never win the same term.',
  timeout:
    'Election timeout: a follower waits a random time (for example 150–300 ms) without hearing from a leader, then becomes a candidate. The ring around each node counts its next timer down.',
  partition:
    'A network partition splits the nodes into groups that cannot reach each other. Only a group with a majority can elect a leader.',
  candidate:
    'A node campaigning for leadership: it has started a new term, voted for itself and asked the others for their votes.',
  leader:
    'The node that won a majority of votes in its term. It sends heartbeats so that nobody else starts an election.',
  follower:
    'A node that answers the leader and candidates but starts nothing until its timer runs out.',
} as const;

export type GlossaryKey = keyof typeof GLOSSARY;

export function Term({ k, children }: { k: GlossaryKey; children: ReactNode }) {
  const id = useId();
  return (
    <span className="term-tip" tabIndex={0} aria-describedby={id} data-glossary={k}>
      {children}
      <span className="tip" role="tooltip" id={id}>
        {GLOSSARY[k]}
      </span>
    </span>
  );
}
