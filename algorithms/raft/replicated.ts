/**
 * A replicated state machine on Raft: the Raft machine of this folder, unchanged in its
 * rules and states, with a pure state machine applied to every committed entry. A
 * coordination service (the lease election's etcd-like store, the ZooKeeper-like service)
 * becomes a Raft group by giving:
 *
 * - the request types it accepts from clients: the leader appends each to its log
 *   (`propose`) and replicates it; nothing is answered before the entry is committed, so
 *   reads that go through the log are linearizable. A replica that does not lead answers
 *   with `NotLeader` and the leader it follows (a hint);
 * - a pure `apply(self, state, command) -> { state, effects }`. Every replica applies the
 *   committed entries in log order (`applied` follows `commitIndex`); only the leader
 *   carries out the effects: `send` a message, `arm` a named timer (a delay and the event it
 *   raises), `cancel` one;
 * - the timers the leader keeps for the applied state (`timers`): a new leader arms them all
 *   afresh from the state it applied, and a leader that steps down cancels them (the next
 *   leader times them again). A timer's event becomes a command through `onTimer` (a lease
 *   or a session that ran out becomes an `Expire` entry, if it still exists): time enters
 *   the state only through the log.
 *
 * It is the Raft machine's own config and implementations, extended, not a copy: three of
 * Raft's named actions are replaced by versions that also apply what became committed
 * (`acceptAppend` on a follower, `recordMatch` on the leader) and arm the timers
 * (`becomeLeader`); their Raft part is the same code over the same rules.
 *
 * Durable (etcd and ZooKeeper keep both on disk): Raft's term, vote and log, and the
 * applied state with its index, so a restarted replica does not apply an entry twice.
 *
 * Also here: the client's half (which replica to ask next) and the check that no two
 * replicas apply different entries at one index, shared by every service built on it.
 *
 * Delays are in microseconds.
 */
import { enqueueActions, setup, type AnyStateMachine } from 'xstate';
import { eventOf, messageKit, type Enqueue, type SendParams } from '../sim/machineKit';
import type { NodeCheck, NodeId } from '../sim/types';
import { reportViolation } from '../sim/world';
import { emptyTrie, trieGet, trieSet, type IntTrie } from '../sim/intTrie';
import { raftMachine, type RaftContext, type RaftEvent, type RaftInput } from './machine';
import * as rules from './rules';
import type { LogEntry } from './messages';

/** A named timer: `event` is raised `delay` µs from now unless it is armed again or cancelled. */
export interface TimerEffect {
  arm: string;
  delay: number;
  event: { type: string; rand: number };
}

/** What applying a command asks of the replica that leads, in order. */
export type ReplicaEffect<M> = { send: SendParams<M> } | TimerEffect | { cancel: string };

export interface Applied<S, M> {
  state: S;
  effects: readonly ReplicaEffect<M>[];
}

/** A client's request: its type and who sent it. */
export interface ClientRequest {
  type: string;
  from: NodeId;
}

/** A replica that does not lead refuses a request and names the leader it follows, if any. */
export interface NotLeader<R> {
  type: 'NotLeader';
  from: NodeId;
  leader: NodeId | null;
  request: R;
}

export interface ReplicatedSpec<S, C, R extends ClientRequest, M> {
  /** The machine's id. */
  id: string;
  /** The context's `role` (the model tells its nodes apart by it). */
  role: string;
  /** The context field that holds the applied state (the views and checks read it by name). */
  stateKey: string;
  /** The client requests it accepts. */
  requests: readonly R['type'][];
  /** The command a request becomes in the log. */
  command: (request: R) => C;
  apply(self: NodeId, state: S, command: C): Applied<S, M>;
  /** The timers a leader keeps for `state` (a new leader arms them all; one that steps down cancels them). */
  timers(state: S): TimerEffect[];
  /** The timer events the leader turns into commands. */
  timerEvents: readonly string[];
  /** The command a timer event proposes, or null when there is nothing left to do. */
  onTimer(state: S, event: { type: string }, self: NodeId): C | null;
}

export interface ReplicatedInput<S, C> extends RaftInput {
  /** The applied state the previous incarnation persisted, or the empty state. */
  state: S;
  /** The log index that state reflects (0 for the empty state). */
  applied: number;
  /** The persisted log (Raft's `persisted.log` holds numbers; this one commands). */
  log: LogEntry<C>[];
}

/** A replica's context: Raft's, with a log of commands, the applied index and (under `stateKey`) the state. */
export interface ReplicatedContext<C> extends Omit<RaftContext, 'log'> {
  role: string;
  log: LogEntry<C>[];
  /** The highest log index applied to the state; it trails `commitIndex` only within an event. */
  applied: number;
}

/** What a replica keeps across a crash, with its applied state under the spec's `stateKey`. */
export interface ReplicatedPersisted<C> {
  term: number;
  votedFor: NodeId | null;
  log: LogEntry<C>[];
  applied: number;
}

export type ReplicatedEvent<R> =
  RaftEvent | (R & { rand: number }) | { type: string; rand: number };

/** The Raft messages replicas exchange among themselves (never with clients). */
export const RAFT_TYPES = [
  'RequestVote',
  'RequestVoteResponse',
  'AppendEntries',
  'AppendEntriesResponse',
];

/** A replica's Raft states (its snapshot's value). */
export const REPLICA_STATES = ['follower', 'precandidate', 'candidate', 'leader'];

/** Raft's rules read a RaftContext; ours differs only in what a log entry's command holds. */
const asRaft = (c: object) => c as unknown as RaftContext;

type Enq = {
  (action: never): void;
  raise: (event: unknown, opts: unknown) => void;
  cancel: (id: string) => void;
  assign: (v: object) => void;
};

const base = raftMachine.config as unknown as {
  context: (args: { input: RaftInput }) => RaftContext;
  on: Record<string, unknown>;
  states: Record<string, { on?: Record<string, unknown>; exit?: unknown }>;
};
const impl = raftMachine.implementations;

/** The machine of a replica of the service `spec` describes. */
export function replicatedMachine<S, C, R extends ClientRequest, M>(
  spec: ReplicatedSpec<S, C, R, M>,
): AnyStateMachine {
  const kit = messageKit<M | NotLeader<R>>();
  type Ctx = ReplicatedContext<C> & Record<string, unknown>;
  const stateOf = (c: Ctx) => c[spec.stateKey] as S;

  function perform(enqueue: Enqueue, effects: readonly ReplicaEffect<M>[]): void {
    const q = enqueue as unknown as Enq;
    for (const e of effects) {
      if ('send' in e) kit.enqueueSend(enqueue, e.send.to, e.send.message);
      else if ('arm' in e) q.raise(e.event, { id: e.arm, delay: e.delay });
      else q.cancel(e.cancel);
    }
  }

  /**
   * Applies the entries committed since `applied`, in order. The leader also carries out
   * their effects; a follower only updates its state.
   */
  function applyCommitted(c: Ctx, enqueue: Enqueue | null): Record<string, unknown> {
    let state = stateOf(c);
    for (let i = c.applied + 1; i <= c.commitIndex; i++) {
      const r = spec.apply(c.id, state, c.log[i - 1].command);
      state = r.state;
      if (enqueue) perform(enqueue, r.effects);
    }
    return { [spec.stateKey]: state, applied: Math.max(c.applied, c.commitIndex) };
  }

  function appendEntry(c: Ctx, command: C, enqueue: Enqueue): void {
    const log = [...c.log, { term: c.term, command }];
    const commitIndex = rules.advanceCommit(asRaft({ ...c, log }), c.matchIndex);
    const next = { ...c, log, commitIndex };
    (enqueue as unknown as Enq).assign({
      log,
      commitIndex,
      ...applyCommitted(next, enqueue),
    });
  }

  const refuse = { actions: 'refuseNotLeader' };
  const propose = { actions: ['propose', 'replicate'] };
  const onTimer = { actions: ['proposeTimer', 'replicate'] };
  const each = <T>(types: readonly string[], v: T) =>
    Object.fromEntries(types.map((t) => [t, v])) as Record<string, T>;

  return setup({
    types: {
      context: {} as Ctx,
      events: {} as ReplicatedEvent<R>,
      input: {} as ReplicatedInput<S, C>,
    },
    actions: {
      ...(impl.actions as Record<string, never>),
      ...kit.actions,
      /** A follower accepts the leader's entries (as Raft does) and applies what is now committed. */
      acceptAppend: enqueueActions(({ context, event, enqueue }) => {
        const e = eventOf(event as RaftEvent, 'AppendEntries');
        const ctx = e.term > context.term ? { ...context, term: e.term, votedFor: null } : context;
        const appended = rules.logMatches(asRaft(ctx), e) ? rules.applyAppend(asRaft(ctx), e) : {};
        const next = {
          term: ctx.term,
          votedFor: ctx.votedFor,
          leader: e.leader,
          ...(appended as Partial<Pick<Ctx, 'log' | 'commitIndex'>>),
        };
        enqueue.assign({
          ...next,
          ...applyCommitted({ ...context, ...next }, null),
        });
      }),
      /** The leader records a follower's progress (as Raft does), applies and answers what is now committed. */
      recordMatch: enqueueActions(({ context, event, enqueue }) => {
        const e = eventOf(event as RaftEvent, 'AppendEntriesResponse');
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
      /** Raft's new leader, which also arms every timer the applied state needs, afresh. */
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
        perform(enqueue, spec.timers(stateOf(context)));
      }),
      /** A leader that steps down stops its timers: the next leader times the state afresh. */
      stopTimers: enqueueActions(({ context, enqueue }) => {
        for (const t of spec.timers(stateOf(context))) enqueue.cancel(t.arm);
      }),
      /** The leader appends a client's request to its log; it is answered once committed. */
      propose: enqueueActions(({ context, event, enqueue }) => {
        const { rand: _rand, ...request } = eventOf(event as R & { rand: number }, spec.requests);
        appendEntry(context, spec.command(request as unknown as R), enqueue);
      }),
      /** A timer of the leader ran out: it proposes what that means (an expiry) through its log. */
      proposeTimer: enqueueActions(({ context, event, enqueue }) => {
        const command = spec.onTimer(stateOf(context), event, context.id);
        if (command !== null) appendEntry(context, command, enqueue);
      }),
      refuseNotLeader: enqueueActions(({ context, event, enqueue }) => {
        const { rand: _rand, ...request } = eventOf(event as R & { rand: number }, spec.requests);
        kit.enqueueSend(enqueue, request.from, {
          type: 'NotLeader',
          from: context.id,
          leader: context.leader === context.id ? null : context.leader,
          request: request as unknown as R,
        });
      }),
    },
    guards: impl.guards as Record<string, never>,
    delays: impl.delays as Record<string, never>,
  }).createMachine({
    ...(raftMachine.config as object),
    id: spec.id,
    context: ({ input }: { input: ReplicatedInput<S, C> }) => ({
      ...base.context({ input }),
      role: spec.role,
      log: input.log,
      [spec.stateKey]: input.state,
      applied: input.applied,
      // entries up to `applied` were committed before the crash, and committed stays committed
      commitIndex: input.applied,
    }),
    on: { ...base.on, ...each(spec.requests, refuse) },
    states: {
      ...base.states,
      leader: {
        ...base.states.leader,
        exit: [...(base.states.leader.exit as unknown[]), 'stopTimers'],
        on: {
          ...base.states.leader.on,
          ...each(spec.requests, propose),
          ...each(spec.timerEvents, onTimer),
        },
      },
    },
  } as never) as unknown as AnyStateMachine;
}

/** The replica after `id` in `replicas`, round the list (the next one a client tries). */
export const nextReplica = (replicas: readonly NodeId[], id: NodeId): NodeId =>
  replicas[(replicas.indexOf(id) + 1) % replicas.length];

/**
 * Whom a client asks after a replica refused its request: the leader it names, at once
 * (`resend`), or, if it names none and is the replica the client was asking, the next
 * replica when the request is due again.
 */
export function afterNotLeader(
  replicas: readonly NodeId[],
  asked: NodeId,
  m: { from: NodeId; leader: NodeId | null },
): { target: NodeId; resend: boolean } {
  if (m.leader !== null) return { target: m.leader, resend: true };
  return { target: m.from === asked ? nextReplica(replicas, asked) : asked, resend: false };
}

/**
 * State-machine safety, for a replicated service: no two replicas ever apply different
 * entries at the same log index. Its memory (the first entry applied at each index, as
 * "term:command") lives in world.invariantState under `key`, replaced, never mutated.
 */
export function checkReplicatedLog(
  { world, idx, prev, eventIndex }: NodeCheck,
  o: { invariant: string; key: string; noun: string },
): void {
  const node = world.nodes[idx];
  const c = node.snapshot.context as ReplicatedContext<unknown>;
  const before = (prev?.context as ReplicatedContext<unknown> | undefined)?.applied ?? 0;
  if (c.applied <= before) return;
  // (a persistent trie by index: the list grows with the run, and a copy per applied
  // entry made a long run quadratic)
  let known = (world.invariantState[o.key] as IntTrie<string> | undefined) ?? emptyTrie<string>();
  for (let i = before + 1; i <= c.applied; i++) {
    const e = c.log[i - 1];
    const entry = `${e.term}:${JSON.stringify(e.command)}`;
    const first = trieGet(known, i - 1);
    if (first === undefined) known = trieSet(known, i - 1, entry);
    else if (first !== entry)
      reportViolation(world, {
        invariant: o.invariant,
        severity: 'error',
        nodes: [node.id],
        detail: `${o.noun} ${node.id} applied ${entry} at index ${i}, where another replica applied ${first}: the replicas' states diverge`,
        eventIndex,
      });
  }
  world.invariantState = { ...world.invariantState, [o.key]: known };
}
