/**
 * The ZooKeeper election's lines in the event log: sessions opened, pinged and expired,
 * znodes created, children read, watches set and fired, and the payment service's
 * charges (told as the lease election tells them: it is the same service).
 */
import type { TraceRecord } from '../sim/trace';
import { became } from '../core/words';
import { narrateLease } from '../lease/narration';
import { replicaLine, type ReplicaWords } from '../raft/replicatedWords';

/** How the views and the log name an ensemble's replicas. */
export const ZK_WORDS: ReplicaWords = {
  look: 'ZK',
  replica: 'ZooKeeper replica',
  service: 'the ensemble',
  leader: 'ensemble leader',
  node: 'ZooKeeper node',
  clients: 'workers',
};

const REQUESTS: Record<string, string> = {
  Connect: 'session request',
  Ping: 'ping',
  Create: 'create',
  GetChildren: 'read of the children',
  Exists: 'exists watch',
};

/** A session timer at an ensemble replica: only the leader closes sessions, through its log. */
function replicaTimer(r: TraceRecord): string | null {
  if (r.type !== 'EXPIRE') return null;
  return r.before === 'leader'
    ? `A session went silent too long at the ensemble leader (node ${r.node}): it proposes closing it through its log`
    : `A session timer fires at ZooKeeper node ${r.node}, which no longer leads: only the leader closes sessions`;
}

function zkDeliver(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'Connect':
      return `The service (node ${r.node}) opens a session for node ${r.from}`;
    case 'Ping':
      return r.note === 'expired'
        ? `The service (node ${r.node}) answers node ${r.from}'s ping: that session has expired and its znode is gone`
        : `The service (node ${r.node}) hears node ${r.from}'s ping: the session's timeout starts again`;
    case 'Create':
      return `The service (node ${r.node}) creates node ${r.from}'s ephemeral sequential znode under /election (or returns the one that session already has)`;
    case 'GetChildren':
      return label.endsWith('watch')
        ? `The service (node ${r.node}) lists the children of /election for node ${r.from} and leaves a watch on them`
        : `The service (node ${r.node}) lists the children of /election for node ${r.from}`;
    case 'Exists':
      return `The service (node ${r.node}) tells node ${r.from} whether its predecessor still exists, and if so leaves a watch on it`;
    case 'Connected':
      return `${who} has a session with the service (node ${r.from}) and creates its znode`;
    case 'Created':
      return `${who} hears from the service (node ${r.from}) that its znode exists (${label}): that zxid is its fencing token`;
    case 'Children':
      if (became(r, 'worker.leading'))
        return `${who} reads the children from the service (node ${r.from}): its znode has the lowest sequence number, so it is the leader`;
      if (r.after === 'worker.connecting' && r.before !== r.after)
        return `${who} reads the children from the service (node ${r.from}): its znode is gone, so its session expired and it starts over`;
      if (r.after === 'worker.arming' && r.before !== r.after)
        return `${who} reads the children from the service (node ${r.from}): a lower znode exists, so it watches the one just below its own`;
      if (r.after === 'worker.watching' && r.before !== r.after)
        return `${who} reads the children from the service (node ${r.from}): a lower znode exists, so it waits for the children to change`;
      return `${who} reads the children of /election from the service (node ${r.from})`;
    case 'Stat':
      return r.after === 'worker.watching' && r.before !== r.after
        ? `${who}'s watch on its predecessor is set at the service (node ${r.from}): it waits`
        : `${who} hears from the service (node ${r.from}): ${label}`;
    case 'WatchEvent':
      if (r.before !== r.after)
        return `${who}'s watch fires (${label}), sent by the service (node ${r.from}): it wakes up and reads the children again`;
      return `${who} hears from the service (node ${r.from}): ${label}`;
    case 'Pong':
      if (r.after === 'worker.connecting' && r.before !== r.after)
        return `${who} learns from the service (node ${r.from}) that its session expired: it opens a new one`;
      if (r.after === 'worker.checking' && r.before !== r.after)
        return `${who} learns from the service (node ${r.from}) that its watch is no longer set (its event was lost): it reads the children again`;
      return `${who} hears from the service (node ${r.from}): ${label}`;
    case 'NotLeader':
      return label === 'Not leader'
        ? `${who} hears that ZooKeeper node ${r.from} does not lead and knows no leader: it will ask the next replica`
        : `${who} hears that ZooKeeper node ${r.from} does not lead: it asks ${label.replace('Not leader → ', 'node ')}, the leader it names`;
    case 'Charge':
    case 'ChargeResult':
      return narrateLease(r);
    default:
      return null;
  }
}

function zkTimer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  switch (r.type) {
    case 'EXPIRE':
      return `A session went silent too long at the service (node ${r.node}): it is closed, its ephemeral znode deleted and the watches on it fire`;
    case 'TICK':
      return narrateLease(r);
    case 'PING':
      return `${who} pings its session`;
    case 'RETRY':
      return `${who} got no answer from the service in time and asks again`;
    case 'SESSION_TIMEOUT':
      return r.before === r.after
        ? `${who}'s local session deadline passes, but it holds no session any more`
        : `${who} heard nothing of its session from the ensemble for a whole timeout: the ensemble may have closed it, so it stops ${r.before === 'worker.leading' ? 'leading' : 'waiting'} and opens a new session`;
    default:
      return null;
  }
}

export function narrateZookeeper(r: TraceRecord): string | null {
  const replica = replicaLine(ZK_WORDS, r, REQUESTS, replicaTimer);
  if (replica !== null) return replica;
  if (r.kind === 'timer') return zkTimer(r);
  if (r.kind === 'deliver') return zkDeliver(r);
  return null;
}
