/**
 * The lease election's lines in the event log: the store granting and expiring leases,
 * workers campaigning and watching the election keys, the payment service's charges.
 */
import type { TraceRecord } from '../sim/trace';
import { became } from '../core/words';

function leaseDeliver(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'LeaseGrant':
      return `The store grants node ${r.from} a lease`;
    case 'KeepAlive':
      return `The store restarts node ${r.from}'s lease (${label})`;
    case 'Campaign':
      return `The store creates node ${r.from}'s election key, bound to its lease, if it is absent`;
    case 'Watch':
      return `Node ${r.from} starts watching the election keys`;
    case 'LeaseGranted':
      return `${who} has a lease (${label}) and campaigns: it creates its key under /election/`;
    case 'CampaignResult':
      if (became(r, 'worker.leading'))
        return `${who}'s key exists (${label}) and has the lowest create revision: it is the leader, with that revision as its fencing token`;
      return `${who}'s key exists (${label}): that create revision is its fencing token`;
    case 'WatchEvent':
      if (became(r, 'worker.leading'))
        return `${who} sees its key has the lowest create revision: it is the leader`;
      if (r.after === 'worker.granting' && r.before !== r.after)
        return `${who} sees its key is gone: its lease expired, so it takes a new lease and campaigns again`;
      return `${who} sees the election keys change (${label})`;
    case 'KeepAliveAck':
      return label.startsWith('Expired')
        ? `${who} learns its lease expired: it takes a new one and campaigns again`
        : `${who}'s lease is alive`;
    case 'Charge':
      return `The payment service receives ${label} from node ${r.from}`;
    case 'ChargeResult':
      return `${who} hears back: ${label}`;
    default:
      return null;
  }
}

function leaseTimer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  switch (r.type) {
    case 'EXPIRE':
      return `A lease ran out at the store: its keys are deleted and the watchers told`;
    case 'TICK':
      return r.before === 'worker.leading'
        ? `${who}, the leader, charges the customers due this period`
        : null;
    case 'KEEPALIVE':
      return `${who} sends a keep-alive for its lease`;
    case 'RETRY':
      return `${who} got no answer from the store in time and asks again`;
    default:
      return null;
  }
}

export function narrateLease(r: TraceRecord): string | null {
  if (r.kind === 'timer') return leaseTimer(r);
  if (r.kind === 'deliver') return leaseDeliver(r);
  return null;
}
