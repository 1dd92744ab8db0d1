/**
 * The pieces every node machine shares, typed once: the engine-interpreted `send` and
 * `broadcast` actions (nodes.ts delivers them), the timers the engine keeps (a delayed
 * `raise` with an id; the last schedule per id wins), and checked event narrowing.
 *
 * A machine makes its kit with `const kit = messageKit<Message>()`, registers the no-op
 * implementations with `...kit.actions` in `setup({ actions })` and then uses
 * `kit.sendTo` / `kit.broadcast` (fixed params), `kit.sendWith` / `kit.broadcastWith`
 * (params computed from the context and the event) or, inside `enqueueActions`,
 * `kit.enqueueSend` / `kit.enqueueBroadcast`. Narrowing goes through XState's
 * `assertEvent` (`eventOf`) or `senderOf`: both throw on an event of the wrong shape, and
 * every driver path runs guards and actions, so a mistake surfaces as an error, not as a
 * silently wrong field.
 */
import {
  assertEvent,
  raise,
  type ActionFunction,
  type EventDescriptor,
  type EventObject,
  type ExtractEvent,
  type MachineContext,
  type ParameterizedObject,
} from 'xstate';
import type { NodeId } from './types';

/** Params of the engine's `send` action: one message to one node. */
export type SendParams<M> = { to: NodeId; message: M };
/** Params of the engine's `broadcast` action: one message to every peer. */
export type BroadcastParams<M> = { message: M };

export type SendAction<M> = { type: 'send'; params: SendParams<M> };
export type BroadcastAction<M> = { type: 'broadcast'; params: BroadcastParams<M> };

/**
 * `enqueue` of an `enqueueActions` block, as far as the kit needs it: something that
 * queues an action. Every `enqueue` is assignable to it.
 */
export type Enqueue = (action: never) => void;

/**
 * The engine's actions for a machine whose messages are `M`. Binding `M` once lets the
 * message literals below keep their literal types without annotations.
 */
export interface MessageKit<M> {
  /**
   * The named `send` and `broadcast` actions for `setup({ actions })`. They do nothing
   * when XState runs them: the engine reads the action and its params and delivers.
   */
  readonly actions: {
    send: (_: unknown, params: SendParams<M>) => void;
    broadcast: (_: unknown, params: BroadcastParams<M>) => void;
  };
  /** A `send` action object with fixed params. */
  sendTo(to: NodeId, message: M): SendAction<M>;
  /** A `broadcast` action object with fixed params. */
  broadcast(message: M): BroadcastAction<M>;
  /** A `send` action object whose params are computed when it runs, from `{ context, event }`. */
  sendWith<A>(params: (args: A) => SendParams<M>): {
    readonly type: 'send';
    readonly params: (args: A) => SendParams<M>;
  };
  /** A `broadcast` action object whose params are computed when it runs. */
  broadcastWith<A>(params: (args: A) => BroadcastParams<M>): {
    readonly type: 'broadcast';
    readonly params: (args: A) => BroadcastParams<M>;
  };
  /** Queues a `send` from inside an `enqueueActions` block. */
  enqueueSend(enqueue: Enqueue, to: NodeId, message: M): void;
  /** Queues a `broadcast` from inside an `enqueueActions` block. */
  enqueueBroadcast(enqueue: Enqueue, message: M): void;
}

function queue<M>(enqueue: Enqueue, action: SendAction<M> | BroadcastAction<M>): void {
  // The one cast of the kit: an enqueueActions block declared inside setup() cannot see
  // the named `send` / `broadcast` actions in its types, though XState resolves them by
  // name when it runs (and the compiled driver does the same).
  (enqueue as (a: SendAction<M> | BroadcastAction<M>) => void)(action);
}

const noop = () => {};

export function messageKit<M>(): MessageKit<M> {
  const sendTo = (to: NodeId, message: M): SendAction<M> => ({
    type: 'send',
    params: { to, message },
  });
  const broadcast = (message: M): BroadcastAction<M> => ({
    type: 'broadcast',
    params: { message },
  });
  return {
    actions: { send: noop, broadcast: noop },
    sendTo,
    broadcast,
    sendWith: (params) => ({ type: 'send', params }),
    broadcastWith: (params) => ({ type: 'broadcast', params }),
    enqueueSend: (enqueue, to, message) => queue(enqueue, sendTo(to, message)),
    enqueueBroadcast: (enqueue, message) => queue(enqueue, broadcast(message)),
  };
}

/**
 * (Re)starts the timer `id`: a delayed raise of `event` (the engine stamps `rand` when the
 * timer fires). `delay` names one of the machine's delays or is a number of microseconds.
 */
export function startTimer<
  TContext extends MachineContext,
  TExpressionEvent extends EventObject,
  TEvent extends EventObject,
  TParams extends ParameterizedObject['params'] | undefined,
  TDelay extends string = never,
>(
  event: NoInfer<TEvent>,
  id: string,
  delay: NoInfer<TDelay> | number,
): ActionFunction<TContext, TExpressionEvent, TEvent, TParams, never, never, never, TDelay, never> {
  return raise<TContext, TExpressionEvent, TEvent, TParams, TDelay, TDelay>(event, { id, delay });
}

/** Narrows an event to the type(s) its transition is declared for; throws on any other. */
export function eventOf<E extends EventObject, T extends EventDescriptor<E>>(
  event: E,
  type: T | readonly T[],
): ExtractEvent<E, T> {
  // the common case, an exact type, without XState's check (which allocates per call)
  if (typeof type === 'string') {
    if (event.type === type) return event as ExtractEvent<E, T>;
  } else
    for (let k = 0; k < type.length; k++)
      if (type[k] === event.type) return event as ExtractEvent<E, T>;
  assertEvent(event, type);
  return event as ExtractEvent<E, T>;
}

/** The sender of a delivered message; throws on an event that carries no `from`. */
export function senderOf(event: EventObject): NodeId {
  if ('from' in event && typeof event.from === 'number') return event.from;
  throw new Error(`expected event ${JSON.stringify(event)} to carry its sender (from)`);
}
