/**
 * Echo: the smallest algorithm the plug-in contract can describe, kept for the tests. The
 * lowest id leads from boot and sends PING to everyone every `interval`; every other node
 * answers each PING with an ECHO and takes the sender as its leader. Nothing is ever
 * elected again: it exists to show that an algorithm defined in one folder reaches the
 * engine, the CLI, the narration, the inspector and the app through its definition alone.
 */
import { assign, setup } from 'xstate';
import { messageKit, senderOf, startTimer } from '../../sim/machineKit';
import type { NodeId } from '../../sim/types';

export type EchoMessage = { type: 'PING'; from: NodeId } | { type: 'ECHO'; from: NodeId };

export interface EchoContext {
  id: NodeId;
  peers: NodeId[];
  /** µs between two PINGs. */
  interval: number;
  leader: NodeId | null;
  /** ECHOes the leader has heard (a follower: PINGs it answered). */
  heard: number;
}

export interface EchoInput {
  id: NodeId;
  peers: NodeId[];
  interval: number;
}

type EchoEvent =
  | { type: 'PING'; from: NodeId; rand: number }
  | { type: 'ECHO'; from: NodeId; rand: number }
  | { type: 'TICK'; rand: number };

const kit = messageKit<EchoMessage>();

/** A PING to every peer. */
const ping = kit.broadcastWith(({ context }: { context: EchoContext }) => ({
  message: { type: 'PING', from: context.id },
}));

/** An ECHO back to the sender of the PING. */
const answer = kit.sendWith(({ context, event }: { context: EchoContext; event: EchoEvent }) => ({
  to: senderOf(event),
  message: { type: 'ECHO', from: context.id },
}));

export const echoMachine = setup({
  types: { context: {} as EchoContext, events: {} as EchoEvent, input: {} as EchoInput },
  actions: {
    ...kit.actions,
    scheduleTick: startTimer({ type: 'TICK', rand: 0 }, 'tick', 'interval'),
    follow: assign(({ context, event }) => ({
      leader: senderOf(event),
      heard: context.heard + 1,
    })),
    count: assign(({ context }) => ({ heard: context.heard + 1 })),
    lead: assign(({ context }) => ({ leader: context.id })),
  },
  delays: { interval: ({ context }) => context.interval },
  guards: {
    lowest: ({ context }) => context.peers.every((p) => p > context.id),
  },
}).createMachine({
  id: 'echo',
  context: ({ input }) => ({ ...input, leader: null, heard: 0 }),
  initial: 'booting',
  states: {
    booting: {
      always: [{ guard: 'lowest', target: 'leading' }, { target: 'listening' }],
    },
    leading: {
      entry: ['lead', ping, 'scheduleTick'],
      on: {
        TICK: { actions: [ping, 'scheduleTick'] },
        ECHO: { actions: 'count' },
      },
    },
    listening: {
      on: { PING: { actions: ['follow', answer] } },
    },
  },
});
