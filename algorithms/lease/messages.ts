/**
 * Messages of the lease election. Workers talk to the store with a small subset of
 * etcd's API (lease grant / keep-alive / revoke, a put-if-absent transaction on a key
 * bound to a lease, a watch on a prefix); the leader talks to the payment service.
 */
import { messageKit } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import type { KvEntry } from './kv';
import type { ChargeOutcome } from './rules';

/**
 * A key under the election prefix, as the store reports it in watch events. Its create
 * revision is the fencing token of the worker that holds it.
 */
export type ElectionKey = KvEntry;

export type LeaseMessage =
  // worker -> store
  | { type: 'LeaseGrant'; from: NodeId; ttl: number }
  | { type: 'KeepAlive'; from: NodeId; lease: number }
  | { type: 'Campaign'; from: NodeId; key: string; lease: number }
  | { type: 'Watch'; from: NodeId; prefix: string }
  | { type: 'Revoke'; from: NodeId; lease: number }
  // store -> worker
  | { type: 'LeaseGranted'; from: NodeId; lease: number; ttl: number }
  /** `revision`: the store's revision now (etcd puts it in every response's header). */
  | { type: 'KeepAliveAck'; from: NodeId; lease: number; ok: boolean; revision: number }
  | {
      type: 'CampaignResult';
      from: NodeId;
      key: string;
      /** The lease the campaign was made with: a late answer to an older lease is ignored. */
      lease: number;
      ok: boolean;
      createRevision: number;
    }
  | { type: 'WatchEvent'; from: NodeId; revision: number; keys: ElectionKey[] }
  /**
   * A store replica that does not lead its Raft group refuses a request and names the
   * leader it follows (null while it knows none), as etcd's followers forward or redirect.
   */
  | { type: 'NotLeader'; from: NodeId; leader: NodeId | null; request: StoreRequest }
  // leader -> payment service and back
  | { type: 'Charge'; from: NodeId; customer: number; period: number; token: number }
  | {
      type: 'ChargeResult';
      from: NodeId;
      customer: number;
      period: number;
      outcome: ChargeOutcome;
    };

/** What a worker asks the store: the requests a replicated store puts in its log. */
export type StoreRequest = Extract<
  LeaseMessage,
  { type: 'LeaseGrant' | 'KeepAlive' | 'Campaign' | 'Watch' | 'Revoke' }
>;

export const ELECTION_PREFIX = '/election/';

export function label(m: LeaseMessage): string {
  switch (m.type) {
    case 'LeaseGrant':
      return 'LeaseGrant';
    case 'KeepAlive':
      return `KeepAlive L${m.lease}`;
    case 'Campaign':
      return `Campaign L${m.lease}`;
    case 'Watch':
      return 'Watch';
    case 'Revoke':
      return `Revoke L${m.lease}`;
    case 'LeaseGranted':
      return `Lease L${m.lease}`;
    case 'KeepAliveAck':
      return m.ok ? `Alive L${m.lease}` : `Expired L${m.lease}`;
    case 'NotLeader':
      return m.leader === null ? 'Not leader' : `Not leader → ${m.leader}`;
    case 'CampaignResult':
      return `Key rev ${m.createRevision}`;
    case 'WatchEvent':
      return `Watch rev ${m.revision}`;
    case 'Charge':
      return `Charge c${m.customer} p${m.period} tok ${m.token}`;
    case 'ChargeResult':
      return {
        charged: `Charged c${m.customer}`,
        duplicate: `Charged twice c${m.customer}`,
        fenced: `Fenced c${m.customer}`,
        'already-charged': `Already paid c${m.customer}`,
      }[m.outcome];
  }
}

/** The lease machines' engine actions: `send` (and `broadcast`, which they do not use). */
export const kit = messageKit<LeaseMessage>();
