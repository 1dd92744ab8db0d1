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
      return `${who}'s successor did not acknowledge in time: it skips it and sends to the next node on the ring`;
    case 'TICK':
      return `${who}, the leader, sends heartbeats to ${plural(sent, 'node')}`;
    default:
      return null;
  }
}

function delivered(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const from = `node ${r.from}`;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'ELECTION':
      if (became(r, 'leader'))
        return `${who} gets ${label}: its own id made it all the way round, so it is the leader`;
      return r.sent
        ? `${who} gets ${label} from ${from}, acknowledges it and passes an election message on`
        : `${who} gets ${label} from ${from} and acknowledges it (nothing to pass on)`;
    case 'COORDINATOR':
    case 'ELECTED':
      return `${who} learns that node ${r.leader ?? r.from} is the leader${r.before === 'leader' ? ' and steps down' : ''}`;
    case 'HEARTBEAT':
      return r.before !== r.after && r.after === 'follower'
        ? `${who} hears a heartbeat from ${from}, a leader it must follow, and steps down`
        : `${who} hears the leader's heartbeat and resets its failure timer`;
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
