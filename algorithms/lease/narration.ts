/**
 * The lease election's lines in the event log: the store granting and expiring leases,
 * workers campaigning and watching the election keys, the payment service's charges.
 */
import type { TraceRecord } from '../sim/trace';
import { became } from '../core/words';
import { isReplicaState, replicaLine, type ReplicaWords } from '../raft/replicatedWords';

/** How the views and the log name the store's replicas. */
export const STORE_WORDS: ReplicaWords = {
  look: 'STORE',
  replica: 'store replica',
  service: 'the store',
  leader: 'store leader',
  node: 'Store node',
  clients: 'workers',
};

const REQUESTS: Record<string, string> = {
  LeaseGrant: 'lease request',
  KeepAlive: 'keep-alive',
  Campaign: 'campaign',
  Watch: 'watch',
  Revoke: 'revoke',
};

/** A lease timer at a store replica: only the leader ends leases, through its log. */
function replicaTimer(r: TraceRecord): string | null {
  if (r.type !== 'EXPIRE') return null;
  return r.before === 'leader'
    ? `A lease's time to live ran out at the store leader (node ${r.node}): it proposes ending it through its log`
    : `A lease timer fires at store node ${r.node}, which no longer leads: only the leader ends leases`;
}

function leaseDeliver(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'LeaseGrant':
      return `The store (node ${r.node}) grants node ${r.from} a lease`;
    case 'KeepAlive': {
      const lease = label.replace('KeepAlive ', '');
      return r.note === 'expired'
        ? `The store (node ${r.node}) answers node ${r.from}'s keep-alive: lease ${lease} has expired and its keys are gone`
        : `The store (node ${r.node}) renews node ${r.from}'s lease ${lease}: its time to live starts again`;
    }
    case 'Campaign':
      return `The store (node ${r.node}) creates node ${r.from}'s election key, bound to its lease, if it is absent`;
    case 'Watch':
      return `The store (node ${r.node}) starts telling node ${r.from} of every change to the election keys`;
    case 'LeaseGranted':
      return `${who} gets a lease (${label}) from the store (node ${r.from}) and campaigns: it creates its key under /election/`;
    case 'CampaignResult':
      if (became(r, 'worker.leading'))
        return `The store (node ${r.from}) tells ${who.toLowerCase()} its key exists (${label}) and has the lowest create revision: it is the leader, with that revision as its fencing token`;
      return `The store (node ${r.from}) tells ${who.toLowerCase()} its key exists (${label}): that create revision is its fencing token`;
    case 'WatchEvent':
      if (became(r, 'worker.leading'))
        return `${who} hears from the store (node ${r.from}) that its key has the lowest create revision: it is the leader`;
      if (r.after === 'worker.granting' && r.before !== r.after)
        return `${who} hears from the store (node ${r.from}) that its key is gone: its lease expired, so it takes a new lease and campaigns again`;
      return `${who} hears from the store (node ${r.from}) that the election keys changed (${label})`;
    case 'KeepAliveAck': {
      const lease = label.replace(/^(Expired|Alive) /, '');
      if (!label.startsWith('Expired'))
        return `The store (node ${r.from}) tells ${who.toLowerCase()} its lease ${lease} is alive`;
      if (r.before === r.after)
        return `${who} hears from the store (node ${r.from}) that its old lease ${lease} expired: it already knew and is starting over`;
      return `${who} learns from the store (node ${r.from}) that its lease ${lease} expired: it takes a new one and campaigns again`;
    }
    case 'Charge': {
      const m = /c(\d+) p(\d+) tok (\d+)/.exec(label);
      const what = m ? `customer ${m[1]} for period ${m[2]} (token ${m[3]})` : label;
      switch (r.note) {
        case 'charged':
          return `The payment service (node ${r.node}) charges ${what} for node ${r.from}`;
        case 'duplicate':
          return `The payment service (node ${r.node}) charges ${what} again for node ${r.from}: the customer has now paid twice for that period`;
        case 'fenced':
          return `The payment service (node ${r.node}) rejects node ${r.from}'s charge of ${what}: the token is lower than the highest it has seen (fencing)`;
        case 'already-charged':
          return `The payment service (node ${r.node}) refuses node ${r.from}'s charge of ${what}: that period is already paid`;
        default:
          return `The payment service (node ${r.node}) receives ${label} from node ${r.from}`;
      }
    }
    case 'ChargeResult':
      return `${who} hears back from the payment service (node ${r.from}): ${label}`;
    case 'NotLeader':
      return label === 'Not leader'
        ? `${who} hears that store node ${r.from} does not lead and knows no leader: it will ask the next replica`
        : `${who} hears that store node ${r.from} does not lead: it asks ${label.replace('Not leader → ', 'node ')}, the leader it names`;
    default:
      return null;
  }
}

function leaseTimer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  switch (r.type) {
    case 'EXPIRE':
      return `A lease ran out at the store (node ${r.node}): its keys are deleted and the watchers told`;
    case 'TICK':
      return r.before === 'worker.leading'
        ? `${who}, the leader, charges the customers due this period`
        : `${who}'s billing timer fires: it does not lead, so it charges nobody`;
    case 'KEEPALIVE':
      return `${who} sends a keep-alive for its lease`;
    case 'RETRY':
      return `${who} got no answer from the store in time and asks again`;
    case 'LEASE_TIMEOUT':
      return r.before === r.after
        ? `${who}'s local lease deadline passes, but it holds no lease any more`
        : `${who} heard no renewal of its lease for a whole TTL: the store may have ended it, so it stops ${r.before === 'worker.leading' ? 'leading' : 'waiting'} and takes a new lease`;
    default:
      return null;
  }
}

export function narrateLease(r: TraceRecord): string | null {
  if (
    (r.kind === 'timer' || r.kind === 'deliver') &&
    r.after !== undefined &&
    isReplicaState(r.after)
  )
    return replicaLine(STORE_WORDS, r, REQUESTS, replicaTimer);
  if (r.kind === 'timer') return leaseTimer(r);
  if (r.kind === 'deliver') return leaseDeliver(r);
  return null;
}
