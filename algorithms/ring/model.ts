/**
 * Ring elections as the engine sees them: params (ms, validated), machine input (µs), and
 * how a node and a message read in views. Nothing survives a crash: a restarted node
 * boots into an election.
 */
import { z } from 'zod';
import type { AnyMachineSnapshot } from 'xstate';
import { ms } from '../sim/time';
import type { AlgorithmModel, MessageBody, NodeInput, NodeSummary, Role } from '../sim/types';
import { ringMachine, type RingContext, type RingInput } from './machine';
import { RING_HEARTBEAT_TYPES, label, type RingMessage } from './messages';

const timeoutMs = z.number().finite().min(1).max(60_000);

export const RING_VARIANTS = ['chang-roberts', 'collect-ids'] as const;

export const ringParamsSchema = z
  .object({
    /** Chang-Roberts (forward only higher ids) or collect-ids (gather every id, pick the highest). */
    variant: z.enum(RING_VARIANTS).default('chang-roberts'),
    /** How often the leader sends HEARTBEAT. */
    heartbeat: timeoutMs.default(100),
    /** A follower that hears no heartbeat from its leader for this long runs an election. */
    failureTimeout: timeoutMs.default(350),
    /**
     * The ring's answer timeout: how long a node waits for its successor's ACK before it
     * skips that successor and sends to the next one.
     */
    answerTimeout: timeoutMs.default(50),
    /**
     * How long a node taking part in an election waits for the result before it starts
     * one itself; the node adds `answerTimeout` per node in the ring, since an election
     * goes round the ring up to three times.
     */
    coordinatorTimeout: timeoutMs.default(150),
  })
  .strict();

export type RingParams = z.infer<typeof ringParamsSchema>;

export const ringDefaults: RingParams = ringParamsSchema.parse({});

const roles: Record<string, Role> = {
  follower: 'follower',
  candidate: 'candidate',
  waiting: 'waiting',
  leader: 'leader',
};

/** The wait for an election's result, µs: the param plus one answer timeout per ring node. */
export function coordinatorWait(params: RingParams, ringSize: number): number {
  return ms(params.coordinatorTimeout) + ringSize * ms(params.answerTimeout);
}

/** A node is still busy with an election: taking part, or waiting for an ACK. */
export function ringBusy(snapshot: AnyMachineSnapshot): boolean {
  const c = snapshot.context as RingContext;
  return snapshot.value === 'candidate' || snapshot.value === 'waiting' || c.pending.length > 0;
}

export const ringModel: AlgorithmModel<RingParams> = {
  name: 'ring',
  machine: ringMachine,
  termSafety: false,
  heartbeatTypes: RING_HEARTBEAT_TYPES,
  input({ id, order, params }: NodeInput<RingParams>): RingInput {
    return {
      id,
      order,
      variant: params.variant,
      heartbeat: ms(params.heartbeat),
      failureTimeout: ms(params.failureTimeout),
      ackTimeout: ms(params.answerTimeout),
      coordinatorTimeout: coordinatorWait(params, order.length),
    };
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as RingContext;
    return { role: roles[snapshot.value as string], term: c.epoch, leader: c.leader };
  },
  label: (body: MessageBody) => label(body as unknown as RingMessage),
};
