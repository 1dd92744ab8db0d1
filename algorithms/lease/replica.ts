/**
 * A store replica: the Raft machine of algorithms/raft, unchanged in its rules and states,
 * with the store's state machine (apply.ts) applied to every committed entry. It is the
 * Raft machine's own config and implementations, extended, not a copy:
 *
 * - a replica that does not lead answers every store request with `NotLeader` and the
 *   leader it follows (a hint);
 * - the leader appends each request to its log (`propose`) and replicates it; nothing is
 *   answered before the entry is committed. Reads (`Watch`) go through the log too, so they
 *   are linearizable;
 * - every replica applies committed entries in log order (`applied` follows `commitIndex`);
 *   only the leader carries out what an entry asks (answers, watch events, lease timers);
 * - lease expiry is the leader's decision: its `lease-<id>` timer proposes an `Expire`
 *   entry, and the lease ends when that entry is applied. A new leader restarts the time to
 *   live of every lease it knows, as etcd does when leadership changes, so a change of store
 *   leader never costs a worker its lease.
 *
 * Three Raft actions are replaced by versions that also apply what became committed
 * (`acceptAppend` on a follower, `recordMatch` on the leader) and arm the lease timers
 * (`becomeLeader`); their Raft part is the same code over the same rules.
 *
 * Durable (etcd keeps both on disk): Raft's term, vote and log, and the applied store
 * state with its index, so a restarted replica does not apply an entry twice.
 *
 * Delays are in microseconds.
 */
import { enqueueActions, setup, type AnyStateMachine } from 'xstate';
import { eventOf, type Enqueue } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import { raftMachine, type RaftContext, type RaftEvent, type RaftInput } from '../raft/machine';
import * as rules from '../raft/rules';
import type { LogEntry } from '../raft/messages';
import { applyCommand, type StoreCommand, type StoreEffect } from './apply';
import { leaseIds, type KvState } from './kv';
import { kit, type StoreRequest } from './messages';

export type StoreEntry = LogEntry<StoreCommand>;

export interface ReplicaInput extends RaftInput {
  /** The applied store state the previous incarnation persisted, or an empty store. */
  kv: KvState;
  /** The log index that state reflects (0 for an empty store). */
  applied: number;
  /** The persisted log (Raft's `persisted.log` holds numbers; this one store requests). */
  log: StoreEntry[];
}

export interface ReplicaContext extends Omit<RaftContext, 'log'> {
  role: 'store';
  log: StoreEntry[];
  /** The store state after applying the log up to `applied` (named so for the views). */
  store$: KvState;
  /** The highest log index applied to `store$`; it trails `commitIndex` only within an event. */
  applied: number;
}

export type ReplicaEvent =
  RaftEvent | (StoreRequest & { rand: number }) | { type: 'EXPIRE'; rand: number; lease: number };

const STORE_REQUESTS: StoreRequest['type'][] = [
  'LeaseGrant',
  'KeepAlive',
  'Campaign',
  'Watch',
  'Revoke',
];

/** Raft's rules read a RaftContext; ours differs only in what a log entry's command holds. */
const asRaft = (c: Omit<ReplicaContext, 'log'> & { log: StoreEntry[] }) =>
  c as unknown as RaftContext;

/**
 * Applies the entries committed since `applied`, in order. The leader also carries out
 * their effects; a follower only updates its state.
 */
function applyCommitted(
  c: ReplicaContext,
  enqueue: Enqueue | null,
): Pick<ReplicaContext, 'store$' | 'applied'> {
  let store$ = c.store$;
  for (let i = c.applied + 1; i <= c.commitIndex; i++) {
    const r = applyCommand(c.id, store$, c.log[i - 1].command);
    store$ = r.state;
    if (enqueue) perform(enqueue, r.effects);
  }
  return { store$, applied: Math.max(c.applied, c.commitIndex) };
}

const expiry = (lease: number, ttl: number) =>
  [
    { type: 'EXPIRE' as const, rand: 0, lease },
    { id: `lease-${lease}`, delay: ttl },
  ] as const;

type Enq = {
  (action: never): void;
  raise: (event: unknown, opts: unknown) => void;
  cancel: (id: string) => void;
};

function perform(enqueue: Enqueue, effects: readonly StoreEffect[]): void {
  const q = enqueue as unknown as Enq;
  for (const e of effects) {
    if ('send' in e) kit.enqueueSend(enqueue, e.send.to, e.send.message);
    else if ('arm' in e) q.raise(...expiry(e.arm, e.ttl));
    else q.cancel(`lease-${e.cancel}`);
  }
}

const base = raftMachine.config as unknown as {
  context: (args: { input: RaftInput }) => RaftContext;
  on: Record<string, unknown>;
  states: Record<string, { on?: Record<string, unknown>; exit?: unknown }>;
};
const impl = raftMachine.implementations;

const refuse = { actions: 'refuseNotLeader' };
const propose = { actions: ['propose', 'replicate'] };

export const replicaMachine: AnyStateMachine = setup({
  types: {
    context: {} as ReplicaContext,
    events: {} as ReplicaEvent,
    input: {} as ReplicaInput,
  },
  actions: {
    ...(impl.actions as Record<string, never>),
    ...kit.actions,
    /** A follower accepts the leader's entries (as Raft does) and applies what is now committed. */
    acceptAppend: enqueueActions(({ context, event, enqueue }) => {
      const e = eventOf(event, 'AppendEntries');
      const ctx = e.term > context.term ? { ...context, term: e.term, votedFor: null } : context;
      const appended = rules.logMatches(asRaft(ctx), e) ? rules.applyAppend(asRaft(ctx), e) : {};
      const next = {
        term: ctx.term,
        votedFor: ctx.votedFor,
        leader: e.leader,
        ...(appended as Partial<Pick<ReplicaContext, 'log' | 'commitIndex'>>),
      };
      enqueue.assign({
        ...next,
        ...applyCommitted({ ...context, ...next }, null),
      });
    }),
    /** The leader records a follower's progress (as Raft does), applies and answers what is now committed. */
    recordMatch: enqueueActions(({ context, event, enqueue }) => {
      const e = eventOf(event, 'AppendEntriesResponse');
      const matchIndex = { ...context.matchIndex, [e.from]: e.matchIndex };
      const next = {
        matchIndex,
        nextIndex: { ...context.nextIndex, [e.from]: e.matchIndex + 1 },
        commitIndex: rules.advanceCommit(asRaft(context), matchIndex),
        acks:
          context.checkQuorum && !context.acks.includes(e.from)
            ? [...context.acks, e.from]
            : context.acks,
      };
      const applied = applyCommitted({ ...context, ...next }, enqueue);
      enqueue.assign({ ...next, ...applied });
    }),
    /** Raft's new leader, which also restarts the time to live of every lease it knows. */
    becomeLeader: enqueueActions(({ context, enqueue }) => {
      const nextIndex: Record<NodeId, number> = {};
      const matchIndex: Record<NodeId, number> = {};
      for (const p of context.peers) {
        nextIndex[p] = context.log.length + 1;
        matchIndex[p] = 0;
      }
      enqueue.assign({
        leader: context.id,
        acks: [],
        nextIndex,
        matchIndex,
      });
      const q = enqueue as unknown as Enq;
      for (const lease of leaseIds(context.store$))
        q.raise(...expiry(lease, context.store$.leases[lease].ttl));
    }),
    /** A leader that steps down stops timing leases: the next leader times them afresh. */
    stopLeaseTimers: enqueueActions(({ context, enqueue }) => {
      const q = enqueue as unknown as Enq;
      for (const lease of leaseIds(context.store$)) q.cancel(`lease-${lease}`);
    }),
    /** The leader appends a worker's request to its log; it is answered once committed. */
    propose: enqueueActions(({ context, event, enqueue }) => {
      const { rand: _rand, ...request } = eventOf(event, STORE_REQUESTS);
      appendEntry(context, request, enqueue);
    }),
    /** A lease's time to live ran out at the leader: it proposes ending it. */
    proposeExpiry: enqueueActions(({ context, event, enqueue }) => {
      const lease = eventOf(event, 'EXPIRE').lease;
      if (context.store$.leases[lease] === undefined) return;
      appendEntry(context, { type: 'Expire', from: context.id, lease }, enqueue);
    }),
    refuseNotLeader: enqueueActions(({ context, event, enqueue }) => {
      const { rand: _rand, ...request } = eventOf(event, STORE_REQUESTS);
      kit.enqueueSend(enqueue, request.from, {
        type: 'NotLeader',
        from: context.id,
        leader: context.leader === context.id ? null : context.leader,
        request,
      });
    }),
  },
  guards: impl.guards as Record<string, never>,
  delays: impl.delays as Record<string, never>,
}).createMachine({
  ...(raftMachine.config as object),
  id: 'lease-store-replica',
  context: ({ input }: { input: ReplicaInput }) => ({
    ...base.context({ input }),
    role: 'store' as const,
    log: input.log,
    store$: input.kv,
    applied: input.applied,
    // entries up to `applied` were committed before the crash, and committed stays committed
    commitIndex: input.applied,
  }),
  on: {
    ...base.on,
    LeaseGrant: refuse,
    KeepAlive: refuse,
    Campaign: refuse,
    Watch: refuse,
    Revoke: refuse,
  },
  states: {
    ...base.states,
    leader: {
      ...base.states.leader,
      exit: [...(base.states.leader.exit as unknown[]), 'stopLeaseTimers'],
      on: {
        ...base.states.leader.on,
        LeaseGrant: propose,
        KeepAlive: propose,
        Campaign: propose,
        Watch: propose,
        Revoke: propose,
        EXPIRE: { actions: ['proposeExpiry', 'replicate'] },
      },
    },
  },
} as never) as unknown as AnyStateMachine;

function appendEntry(c: ReplicaContext, command: StoreCommand, enqueue: Enqueue): void {
  const log = [...c.log, { term: c.term, command }];
  const commitIndex = rules.advanceCommit(asRaft({ ...c, log }), c.matchIndex);
  const next = { ...c, log, commitIndex };
  (enqueue as unknown as { assign: (v: Partial<ReplicaContext>) => void }).assign({
    log,
    commitIndex,
    ...applyCommitted(next, enqueue),
  });
}
