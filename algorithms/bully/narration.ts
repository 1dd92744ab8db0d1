/**
 * Bully's lines in the event log: elections to higher ids, OK answers, the coordinator's
 * announcement and heartbeats, from the trace record alone.
 */
import type { TraceRecord } from '../sim/trace';
import { became, plural } from '../core/words';

function timer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const sent = r.sent ?? 0;
  switch (r.type) {
    case 'FAILURE':
      return `${who} hears no heartbeat from the coordinator in time: it holds an election and sends ELECTION to ${plural(sent, 'higher node')}`;
    case 'TIMEOUT':
      return `${who} was forced to suspect the coordinator: it holds an election`;
    case 'ANSWER_TIMEOUT':
      return r.after === 'leader'
        ? `No higher node answered ${who.toLowerCase()}'s ELECTION in time: it declares itself coordinator and tells ${plural(sent, 'node')}`
        : null;
    case 'COORDINATOR_TIMEOUT':
      return `${who} waited too long for a COORDINATOR message: it starts the election again`;
    case 'TICK':
      return `${who}, the coordinator, sends heartbeats to ${plural(sent, 'node')}`;
    default:
      return null;
  }
}

function delivered(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const from = `node ${r.from}`;
  switch (r.type) {
    case 'ELECTION':
      return `${who} gets ELECTION from lower ${from}: it answers OK${became(r, 'candidate') ? ' and holds its own election' : ''}`;
    case 'ANSWER':
      return `${who} gets OK from higher ${from}: a higher node is alive, so it steps back and waits for COORDINATOR`;
    case 'COORDINATOR':
      if (r.leader === r.from)
        return `${who} learns from ${from} that it is the coordinator${r.before === 'leader' ? ', and steps down' : ''}`;
      return `${who} gets COORDINATOR from lower ${from} and ignores it: ${r.after === 'candidate' ? 'it outranks it and holds an election' : 'it outranks it'}`;
    case 'HEARTBEAT':
      if (r.before !== r.after && r.after === 'follower')
        return `${who} hears a heartbeat from ${from}, a coordinator it must follow, and steps down`;
      if (r.leader === r.from)
        return `${who} hears the heartbeat of ${from}, its coordinator, and resets its failure timer`;
      return `${who} hears a heartbeat from ${from} and ignores it`;
    default:
      return null;
  }
}

export function narrateBully(r: TraceRecord): string | null {
  if (r.kind === 'timer') return timer(r);
  if (r.kind === 'deliver') return delivered(r);
  return null;
}
