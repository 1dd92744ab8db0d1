/**
 * The ring's lines in the event log: election messages passed to the successor,
 * acknowledgements, skipped successors and the announcement going round.
 */
import type { TraceRecord } from '../sim/trace';
import { became, plural } from '../core/words';

function timer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const sent = r.sent ?? 0;
  switch (r.type) {
    case 'FAILURE':
      return `${who} hears no heartbeat from the leader in time: it starts an election round the ring`;
    case 'TIMEOUT':
      return `${who} was forced to suspect the leader: it starts an election`;
    case 'COORDINATOR_TIMEOUT':
      return `${who} waited too long for the election's result: it starts the election again`;
    case 'ACK_TIMEOUT':
      if (became(r, 'leader'))
        return `${who}'s successor did not acknowledge in time and no node is left to try: it leads alone`;
      return `${who}'s successor did not acknowledge in time: it skips it and sends to the next node on the ring`;
    case 'TICK':
      return `${who}, the leader, sends heartbeats to ${plural(sent, 'node')}`;
    default:
      return null;
  }
}

/** The ids in a collect-ids label ("Election [2 4 3]"), or null for Chang-Roberts. */
function idsOf(label: string): number[] | null {
  const m = /\[([\d ]*)\]/.exec(label);
  return m ? m[1].split(' ').filter(Boolean).map(Number) : null;
}

function delivered(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const from = `node ${r.from}`;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'ELECTION': {
      const ids = idsOf(label);
      const own = ids !== null ? ids[0] === r.node : label === `Election ${r.node}`;
      if (became(r, 'leader'))
        return `${who} gets ${label} from ${from}: its own ${ids ? 'list' : 'id'} made it all the way round, and it is the highest, so it is the leader`;
      if (own && r.leader != null && r.leader !== r.node)
        return `${who}'s own ${ids ? 'list' : 'message'} is back from ${from} (${label}): the highest id in it is ${r.leader}, so it follows node ${r.leader} and sends the result round the ring`;
      if (own)
        return `${who}'s own election message is back from ${from} (${label}): it acknowledges it`;
      return r.sent
        ? `${who} gets ${label} from ${from}, acknowledges it and passes an election message on`
        : `${who} gets ${label} from ${from} and acknowledges it (nothing to pass on)`;
    }
    case 'COORDINATOR':
    case 'ELECTED': {
      const leader = r.leader ?? r.from;
      if (leader === r.node) {
        if (r.before !== 'leader' || r.after !== 'leader')
          return `${who} learns that it is the leader`;
        // Chang-Roberts: only the winner sends ELECTED, so this one went all the way round;
        // collect-ids: every initiator sends a COORDINATOR, and this one names node itself
        return r.type === 'ELECTED'
          ? `${who}'s ELECTED is back from ${from}: every node has heard that it leads`
          : `${who} gets a COORDINATOR naming itself from ${from}: it already leads, and passes nothing on`;
      }
      return `${who} learns from ${from} that node ${leader} is the leader${r.before === 'leader' ? ' and steps down' : ''}`;
    }
    case 'HEARTBEAT':
      if (r.before !== r.after && r.after === 'follower')
        return `${who} hears a heartbeat from ${from}, a leader it must follow, and steps down`;
      if (r.leader === r.from)
        return `${who} hears the heartbeat of ${from}, its leader, and resets its failure timer`;
      return `${who} hears a heartbeat from ${from} and ignores it`;
    case 'ACK':
      return `${who} gets ${from}'s acknowledgement: the hop worked`;
    default:
      return null;
  }
}

export function narrateRing(r: TraceRecord): string | null {
  if (r.kind === 'timer') return timer(r);
  if (r.kind === 'deliver') return delivered(r);
  return null;
}
