/**
 * Raft's lines in the event log: what a timer or a message did to a node, in the words
 * of the paper (terms, votes, heartbeats), from the trace record alone.
 */
import type { TraceRecord } from '../sim/trace';
import { plural } from '../core/words';

function raftTimer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const term = r.term ?? 0;
  if (r.type === 'ELECTION_TIMEOUT' || r.type === 'TIMEOUT') {
    const why = r.type === 'TIMEOUT' ? 'was forced to time out' : "'s election timer fired";
    const head = r.type === 'TIMEOUT' ? `${who} ${why}` : `${who}${why}`;
    if (r.after === 'candidate' && r.before === 'candidate')
      return `${head}: still no leader, so it starts a new election for term ${term} and asks ${plural(r.sent ?? 0, 'peer')} for votes`;
    if (r.after === 'candidate')
      return `${head}: it becomes a candidate for term ${term} and asks ${plural(r.sent ?? 0, 'peer')} for votes`;
    if (r.after === 'precandidate')
      return `${head}: it asks ${plural(r.sent ?? 0, 'peer')} whether they would vote for it in term ${term + 1} (pre-vote)`;
    if (r.after === 'leader')
      return `${head}: alone, it is its own majority and leads term ${term}`;
  }
  if (r.type === 'HEARTBEAT')
    return `${who} sends a heartbeat to ${plural(r.sent ?? 0, 'follower')} (term ${term})`;
  if (r.type === 'QUORUM_CHECK')
    return r.after === 'leader'
      ? `${who} checks that a majority answered recently: it did, it stays leader`
      : `${who} has not heard from a majority: it steps down (check-quorum)`;
  return null;
}

function raftDeliver(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const from = `node ${r.from}`;
  const term = r.term ?? 0;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'RequestVote':
      if (label.startsWith('PreVote'))
        return `${who} answers ${from}'s pre-vote request (${label})`;
      if (r.votedFor === r.from)
        return `${who} votes for ${from} in term ${term} (its log is at least as up to date)`;
      if (r.before === 'leader' && r.after === 'leader')
        return `${who}, the leader, ignores ${from}'s vote request (check-quorum lease)`;
      return `${who} refuses to vote for ${from} in term ${term}${r.votedFor != null ? ` (it already voted for node ${r.votedFor})` : ''}`;
    case 'RequestVoteResponse':
      if (r.before !== 'leader' && r.after === 'leader')
        return `${who} receives a vote from ${from}: with a majority it becomes the leader of term ${term}`;
      if (r.before === 'precandidate' && r.after === 'candidate')
        return `${who} gets a pre-vote from ${from}: with a majority of pre-votes it starts a real election for term ${term}`;
      if (r.after === 'follower' && r.before !== 'follower')
        return `${who} sees term ${term} in ${from}'s answer and steps down to follower`;
      if (r.note?.startsWith('votes ')) {
        const [held, needed] = r.note.slice(6).split('/');
        const pre = label.startsWith('PreVote');
        return `${who} receives ${pre ? 'a pre-vote' : 'a vote'} from ${from}: it holds ${held} of the ${needed} it needs`;
      }
      if (label.includes(' no '))
        return `${who} hears that ${from} refuses ${label.startsWith('PreVote') ? 'its pre-vote' : 'to vote for it'} (term ${term})`;
      return `${who} receives ${from}'s answer (${label}), which changes nothing: ${r.after === 'leader' ? 'it already leads' : 'the campaign it was for is over'}`;
    case 'AppendEntries':
      if (r.before !== 'follower' && r.after === 'follower')
        return `${who} hears from ${from}, the leader of term ${term}, and steps down to follower`;
      return `${who} accepts a heartbeat from ${from}, the leader of term ${term}, and resets its election timer`;
    case 'AppendEntriesResponse':
      if (r.after === 'follower' && r.before === 'leader')
        return `${who} sees a higher term (${term}) in ${from}'s answer and steps down`;
      return `${who} hears back from ${from} (${label})`;
    default:
      return null;
  }
}

export function narrateRaft(r: TraceRecord): string | null {
  if (r.kind === 'timer') return raftTimer(r);
  if (r.kind === 'deliver') return raftDeliver(r);
  return null;
}
