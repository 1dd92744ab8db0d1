/**
 * Messages of the ZooKeeper election. Workers talk to the service with a small subset of
 * ZooKeeper's API (open a session, ping it, create an ephemeral sequential znode, read
 * the children of /election with or without a watch, `exists` with a watch); the service
 * answers and delivers watch events; the leader talks to the payment service with the
 * lease election's `Charge` / `ChargeResult`, so that service is reused as it is.
 */
import { messageKit } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import type { NotLeader } from '../raft/replicated';
import { label as leaseLabel, type LeaseMessage } from '../lease/messages';

/** A child of /election as the service reports it. */
export interface Znode {
  /** `n_0000000007`: the prefix and the sequence number, ten digits. */
  name: string;
  /** The sequence number the parent handed out (it never repeats). */
  seq: number;
  /** The zxid of the transaction that created it: the leader's fencing token. */
  czxid: number;
  /** The session that owns it (ephemeral: it goes when the session expires). */
  session: number;
  /** The worker that created it. */
  owner: NodeId;
}

export type ChargeMessage = Extract<LeaseMessage, { type: 'Charge' | 'ChargeResult' }>;

export type ZkRequest =
  | { type: 'Connect'; from: NodeId; timeout: number }
  | { type: 'Ping'; from: NodeId; session: number }
  /** Create an ephemeral sequential znode under /election/ (at most one per session). */
  | { type: 'Create'; from: NodeId; session: number }
  /** Read the children of /election; `watch` leaves a one-shot watch on them. */
  | { type: 'GetChildren'; from: NodeId; session: number; req: number; watch: boolean }
  /** Whether `path` exists; if it does, leave a one-shot watch on it (fires when it goes). */
  | { type: 'Exists'; from: NodeId; session: number; req: number; path: string };

export type ZkReply =
  | { type: 'Connected'; from: NodeId; session: number; timeout: number }
  /**
   * `ok`: the session is alive. `watching`: it still has a watch that has not fired.
   * `leader`: the owner of the lowest znode (a convenience for the views; the recipe's
   * decisions never read it). `zxid`: the service's last zxid.
   */
  | {
      type: 'Pong';
      from: NodeId;
      session: number;
      ok: boolean;
      watching: boolean;
      leader: NodeId | null;
      zxid: number;
    }
  | { type: 'Created'; from: NodeId; session: number; ok: boolean; znode: Znode | null }
  | { type: 'Children'; from: NodeId; req: number; zxid: number; children: Znode[] }
  | { type: 'Stat'; from: NodeId; req: number; path: string; exists: boolean }
  /** A watch fired (once): the children of /election changed, or `path` was deleted. */
  | {
      type: 'WatchEvent';
      from: NodeId;
      session: number;
      event: 'children' | 'deleted';
      path: string;
      zxid: number;
    }
  /** An ensemble replica that does not lead refuses a request and names the leader it follows. */
  | NotLeader<ZkRequest>;

export type ZkMessage = ZkRequest | ZkReply | ChargeMessage;

export const ELECTION = '/election';

/** The full path of a child of /election. */
export const pathOf = (name: string) => `${ELECTION}/${name}`;

/** `n_` and the sequence number in ten digits, as ZooKeeper names sequential znodes. */
export const znodeName = (seq: number) => `n_${String(seq).padStart(10, '0')}`;

export function label(m: ZkMessage): string {
  switch (m.type) {
    case 'Connect':
      return 'Connect';
    case 'Ping':
      return `Ping s${m.session}`;
    case 'Create':
      return `Create s${m.session}`;
    case 'GetChildren':
      return m.watch ? 'GetChildren+watch' : 'GetChildren';
    case 'Exists':
      return `Exists+watch ${m.path.slice(ELECTION.length + 1)}`;
    case 'Connected':
      return `Session s${m.session}`;
    case 'Pong':
      return m.ok ? `Pong s${m.session}` : `Expired s${m.session}`;
    case 'Created':
      return m.ok && m.znode ? `${m.znode.name} zxid ${m.znode.czxid}` : 'Create refused';
    case 'Children':
      return `Children (${m.children.length}) zxid ${m.zxid}`;
    case 'Stat':
      return m.exists ? 'Exists: watch set' : 'No such node';
    case 'WatchEvent':
      return m.event === 'children'
        ? 'Watch: children changed'
        : `Watch: ${m.path.slice(ELECTION.length + 1)} deleted`;
    case 'NotLeader':
      return m.leader === null ? 'Not leader' : `Not leader → ${m.leader}`;
    case 'Charge':
    case 'ChargeResult':
      return leaseLabel(m);
  }
}

/** The ZooKeeper machines' engine actions. */
export const kit = messageKit<ZkMessage>();
