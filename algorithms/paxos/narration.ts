/**
 * Paxos's lines in the event log: what a timer or a message did to a node, in the words of
 * the papers (ballots, promises, accepted values, chosen values), from the trace record
 * alone. The record's term is the node's ballot (a follower's: the ballot it promised).
 */
import type { TraceRecord } from '../sim/trace';
import { plural } from '../core/words';
import { ballotText } from './messages';

const ballot = (r: TraceRecord) => `ballot ${ballotText(r.term ?? 0)}`;

function paxosTimer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  if (r.type === 'ELECTION_TIMEOUT' || r.type === 'TIMEOUT') {
    const head =
      r.type === 'TIMEOUT' ? `${who} was forced to time out` : `${who}'s election timer fired`;
    if (r.after === 'candidate' && r.before === 'candidate')
      return `${head}: still no majority of promises, so it tries again with the higher ${ballot(r)} and sends Prepare to ${plural(r.sent ?? 0, 'peer')}`;
    if (r.after === 'candidate')
      return `${head}: no heartbeat from a leader, so it proposes ${ballot(r)} and sends Prepare to ${plural(r.sent ?? 0, 'peer')}`;
    if (r.after === 'leader')
      return `${head}: alone, it is its own majority and leads ${ballot(r)}`;
    return `${head} (${r.after ?? 'no change'})`;
  }
  if (r.type === 'HEARTBEAT')
    return `${who} sends a heartbeat to ${plural(r.sent ?? 0, 'peer')} as leader of ${ballot(r)}`;
  if (r.type === 'LEASE_EXPIRED')
    return `${who}'s lease on its leader ran out: it may promise other proposers again`;
  if (r.type === 'ClientRequest')
    return r.after === 'leader'
      ? `${who}, the leader, proposes the client's command in the next free slot`
      : `${who} is not the leader and drops the client's command`;
  return null;
}

function paxosDeliver(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const from = `node ${r.from}`;
  const label = r.label ?? r.type;
  const b = label.split(' ')[1] ?? '';
  const stepsDown = r.before !== 'follower' && r.after === 'follower';
  switch (r.type) {
    case 'Prepare':
      if (r.note === 'promised')
        return `${who} promises ${from}'s ${b.replace('b', 'ballot ')}${stepsDown ? ' and gives up its own, which was lower' : ''}, reporting the values it has accepted`;
      return `${who} refuses ${from}'s Prepare ${b}: it promised ${ballot(r)}`;
    case 'Promise':
      if (r.before !== 'leader' && r.after === 'leader')
        return `${who} receives a promise from ${from}: with a majority it leads ${ballot(r)} and re-proposes the highest-ballot value it learned for each slot`;
      if (r.note?.startsWith('promises ')) {
        const [held, needed] = r.note.slice(9).split('/');
        return `${who} receives a promise from ${from}: it holds ${held} of the ${needed} it needs`;
      }
      return `${who} receives ${from}'s late promise (${label}), which changes nothing`;
    case 'Nack':
      if (stepsDown)
        return `${who} hears from ${from} that a higher ballot was promised (${label}): it gives up ${r.before === 'leader' ? 'leading' : 'its campaign'}`;
      return `${who} receives ${from}'s refusal (${label}) of a ballot it no longer uses`;
    case 'Accept':
      if (r.note === 'accepted')
        return `${who} accepts ${from}'s proposal (${label})${stepsDown ? ' and follows the higher ballot' : ''}`;
      return `${who} refuses ${from}'s proposal (${label}): it promised ${ballot(r)}`;
    case 'Accepted':
      if (r.note?.startsWith('chosen '))
        return `${who} counts ${from}'s acceptance: a majority accepted in one ballot, so ${r.note.slice(7)} ${r.note.includes(',') ? 'are' : 'is'} chosen`;
      return `${who} counts ${from}'s acceptance (${label})`;
    case 'Decide':
      return `${who} learns from ${from} that ${label.replace(/^Decide s(\d+)=/, 'slot $1 = ')} is chosen`;
    case 'Heartbeat':
      if (r.note === 'refused')
        return `${who} refuses ${from}'s heartbeat (${label}): it promised the higher ${ballot(r)}`;
      if (stepsDown) return `${who} hears from ${from}, the leader of ${ballot(r)}, and follows it`;
      return `${who} hears ${from}'s heartbeat as leader of ${ballot(r)} and resets its election timer`;
    default:
      return null;
  }
}

export function narratePaxos(r: TraceRecord): string | null {
  if (r.kind === 'timer') return paxosTimer(r);
  if (r.kind === 'deliver') return paxosDeliver(r);
  return null;
}
