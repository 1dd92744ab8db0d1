/**
 * Bully as the engine sees it: params (ms, validated), machine input (µs), and how a
 * node and a message read in views. Nothing survives a crash: a restarted node boots
 * into an election.
 */
import { z } from 'zod';
import type { AnyMachineSnapshot } from 'xstate';
import { ms } from '../sim/time';
import type { AlgorithmModel, MessageBody, NodeInput, NodeSummary, Role } from '../sim/types';
import { bullyMachine, type BullyContext, type BullyInput } from './machine';
import { BULLY_HEARTBEAT_TYPES, label, type BullyMessage } from './messages';

const timeoutMs = z.number().finite().min(1).max(60_000);

export const bullyParamsSchema = z
  .object({
    /** How often the coordinator sends HEARTBEAT. */
    heartbeat: timeoutMs.default(100),
    /** A follower that hears no heartbeat from its coordinator for this long holds an election. */
    failureTimeout: timeoutMs.default(350),
    /** How long a candidate waits for an ANSWER before it declares itself coordinator. */
    answerTimeout: timeoutMs.default(50),
    /** How long a node that was answered waits for COORDINATOR before it starts over. */
    coordinatorTimeout: timeoutMs.default(150),
  })
  .strict();

export type BullyParams = z.infer<typeof bullyParamsSchema>;

export const bullyDefaults: BullyParams = bullyParamsSchema.parse({});

const roles: Record<string, Role> = {
  follower: 'follower',
  candidate: 'candidate',
  waiting: 'waiting',
  leader: 'leader',
};

/** A node is still busy with an election (experiments wait for this to end). */
export function bullyBusy(snapshot: AnyMachineSnapshot): boolean {
  return snapshot.value === 'candidate' || snapshot.value === 'waiting';
}

export const bullyModel: AlgorithmModel<BullyParams> = {
  name: 'bully',
  machine: bullyMachine,
  termSafety: false,
  heartbeatTypes: BULLY_HEARTBEAT_TYPES,
  input({ id, peers, params }: NodeInput<BullyParams>): BullyInput {
    return {
      id,
      peers,
      heartbeat: ms(params.heartbeat),
      failureTimeout: ms(params.failureTimeout),
      answerTimeout: ms(params.answerTimeout),
      coordinatorTimeout: ms(params.coordinatorTimeout),
    };
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as BullyContext;
    return { role: roles[snapshot.value as string], leader: c.leader };
  },
  label: (body: MessageBody) => label(body as unknown as BullyMessage),
};
