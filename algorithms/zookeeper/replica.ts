/**
 * A replica of a ZooKeeper ensemble (`ensemble` 3 or 5): the replicated state machine on
 * Raft of algorithms/raft/replicated.ts, with the service's pure `serve` (zk.ts) applied to
 * every committed entry. (Real ZooKeeper replicates with Zab, not Raft; both are a leader
 * that commits a client's transaction once a majority has logged it, which is what this
 * shows.) What is the service's own:
 *
 * - every request (`Connect`, `Ping`, `Create`, `GetChildren`, `Exists`) is a log entry,
 *   answered by the leader once committed. Reads go through the log, so they are
 *   linearizable, and so do pings: a ping is answered from the committed state, so a
 *   replica that has lost its majority cannot tell a worker its session is alive;
 * - watches and sessions are part of the replicated state; only the leader sends replies
 *   and watch events (followers only apply);
 * - session expiry is the leader's decision: its `session-<id>` timer, restarted by every
 *   applied ping, proposes an `Expire` entry if the session still exists; the session ends,
 *   with its ephemeral znode, when that entry is applied;
 * - a new leader gives every session a full timeout from its election, as a ZooKeeper
 *   ensemble does after a leader change, so a change of leader never costs a live worker
 *   its session.
 *
 * Durable: Raft's term, vote and log, and the applied tree with its index.
 */
import type { AnyStateMachine } from 'xstate';
import type { LogEntry } from '../raft/messages';
import {
  replicatedMachine,
  type ReplicaEffect,
  type ReplicatedContext,
  type ReplicatedInput,
  type TimerEffect,
} from '../raft/replicated';
import type { ZkMessage, ZkRequest } from './messages';
import { serve, sessionIds, type ZkInput, type ZkState } from './zk';

export type ZkEntry = LogEntry<ZkInput>;

export type ZkReplicaInput = ReplicatedInput<ZkState, ZkInput>;

export interface ZkReplicaContext extends ReplicatedContext<ZkInput> {
  role: 'zk';
  /** The tree after applying the log up to `applied` (the single service's field name). */
  zk: ZkState;
}

export const ZK_REQUESTS: ZkRequest['type'][] = [
  'Connect',
  'Ping',
  'Create',
  'GetChildren',
  'Exists',
];

/** A session's expiry timer: it fires `timeout` µs after it is (re)armed unless pinged. */
const expiry = (session: number, timeout: number): TimerEffect => ({
  arm: `session-${session}`,
  delay: timeout,
  event: { type: 'EXPIRE', rand: 0, session } as TimerEffect['event'],
});

export const zkReplicaMachine: AnyStateMachine = replicatedMachine<
  ZkState,
  ZkInput,
  ZkRequest,
  ZkMessage
>({
  id: 'zk-replica',
  role: 'zk',
  stateKey: 'zk',
  requests: ZK_REQUESTS,
  command: (request) => request,
  apply(self, state, command) {
    const out = serve(state, command, self);
    const effects: ReplicaEffect<ZkMessage>[] = [
      ...out.arm.map((a) => expiry(a.session, a.timeout)),
      ...out.disarm.map((s) => ({ cancel: `session-${s}` })),
      ...out.replies.map((send) => ({ send })),
    ];
    return { state: out.state, effects };
  },
  timers: (st) => sessionIds(st).map((s) => expiry(s, st.sessions[s].timeout)),
  timerEvents: ['EXPIRE'],
  onTimer(st, event) {
    const session = (event as unknown as { session: number }).session;
    return st.sessions[session] === undefined ? null : { type: 'Expire', session };
  },
});
