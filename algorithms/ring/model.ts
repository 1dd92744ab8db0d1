/**
 * Ring elections as the engine sees them: params (ms, validated), the timing defaults
 * derived from the network, machine input (µs), and how a node and a message read in
 * views. The round counter and the epoch survive a crash (so that a restarted node's
 * messages are never taken for copies or stragglers of its old ones); a restarted node
 * boots into an election.
 */
import { z } from 'zod';
import type { AnyMachineSnapshot } from 'xstate';
import { ms } from '../sim/time';
import type {
  AlgorithmModel,
  MessageBody,
  NetworkTiming,
  NodeInput,
  NodeSummary,
  Role,
} from '../sim/types';
import { ringMachine, type RingContext, type RingInput } from './machine';
import { RING_HEARTBEAT_TYPES, label, type RingMessage } from './messages';

const timeoutMs = z.number().finite().min(1).max(60_000);

export const RING_VARIANTS = ['chang-roberts', 'collect-ids'] as const;

/**
 * The params as a scenario gives them. The three timeouts are optional: left unset, they
 * follow the network (see `ringTiming`), so only what the user chose is kept as given.
 */
export const ringParamsSchema = z
  .object({
    /** Chang-Roberts (forward only higher ids) or collect-ids (gather every id, pick the highest). */
    variant: z.enum(RING_VARIANTS).default('chang-roberts'),
    /** How often the leader sends HEARTBEAT. */
    heartbeat: timeoutMs.default(100),
    /** A follower that hears no heartbeat from its leader for this long runs an election. */
    failureTimeout: timeoutMs.optional(),
    /**
     * The ring's answer timeout: how long a node waits for its successor's ACK before it
     * skips that successor and sends to the next one.
     */
    answerTimeout: timeoutMs.optional(),
    /**
     * How long a node taking part in an election waits for the result before it starts
     * one itself; the node adds `answerTimeout` per node in the ring, since an election
     * goes round the ring up to three times.
     */
    coordinatorTimeout: timeoutMs.optional(),
  })
  .strict();

/** Params as given: the timeouts the user left unset are absent. */
export type RingParamsInput = z.infer<typeof ringParamsSchema>;

/** Params with every timeout filled in, as the machines get them. */
export type RingParams = Required<RingParamsInput>;

/** Timing defaults never go below these (ms): the values for latencies up to 15 ms. */
export const RING_FLOOR = { failureTimeout: 350, answerTimeout: 50, coordinatorTimeout: 150 };

/** The fast network the presets and lessons use: 10-15 ms one way, no loss. */
export const FAST_NETWORK: NetworkTiming = {
  latency: { min: 10, max: 15 },
  loss: 0,
  duplicate: 0,
};

/**
 * The timeouts derived from the network, ms, given the params already chosen (a chosen
 * heartbeat moves the failure timeout). With L the worst one-way latency:
 * - answer (ack) timeout: 3L + 5, a round trip (2L) plus a margin of L + 5 ms, so that a
 *   live successor is never skipped, and so that the wait for a result, coordinator
 *   timeout + n × answer timeout, covers an election's three trips round n nodes (3nL);
 * - coordinator timeout: 2L + 10, the slack on top of that;
 * - failure timeout: three heartbeats plus a round trip, so that a slow heartbeat and two
 *   lost ones in a row are no failure.
 * Each is at least its `RING_FLOOR` value, so networks up to 15 ms keep the classic
 * 350 / 50 / 150 and their traces.
 */
export function ringTiming(network: NetworkTiming, chosen: Partial<RingParams> = {}): RingParams {
  const l = network.latency.max;
  const heartbeat = chosen.heartbeat ?? 100;
  return {
    variant: chosen.variant ?? 'chang-roberts',
    heartbeat,
    failureTimeout:
      chosen.failureTimeout ??
      Math.max(RING_FLOOR.failureTimeout, Math.ceil(3 * heartbeat + 2 * l)),
    answerTimeout: chosen.answerTimeout ?? Math.max(RING_FLOOR.answerTimeout, Math.ceil(3 * l + 5)),
    coordinatorTimeout:
      chosen.coordinatorTimeout ?? Math.max(RING_FLOOR.coordinatorTimeout, Math.ceil(2 * l + 10)),
  };
}

/** The params resolved for the fast network (10-15 ms): Chang-Roberts, 100 / 350 / 50 / 150. */
export const ringDefaults: RingParams = ringTiming(FAST_NETWORK);

/** `params` with every timeout the user left unset filled in from `network`. */
export function resolveRingParams(params: RingParamsInput, network: NetworkTiming): RingParams {
  return ringTiming(network, params);
}

/**
 * One sentence per timeout that breaks the ring's timing assumptions on `network`: a live
 * successor must acknowledge within the answer timeout, the wait for a result must cover
 * three trips round the ring (3L per node against one answer timeout per node), and a
 * follower must hear a heartbeat within its failure timeout.
 */
export function ringTimingWarnings(params: RingParams, network: NetworkTiming): string[] {
  const l = network.latency.max;
  const rt = 2 * l;
  const out: string[] = [];
  if (params.answerTimeout <= rt)
    out.push(
      `answer timeout ${params.answerTimeout} ms ≤ round trip up to ${rt} ms: expect live successors to be skipped (each hop is still passed on once, and the timeout backs off)`,
    );
  else if (params.answerTimeout < 3 * l)
    out.push(
      `answer timeout ${params.answerTimeout} ms < 3 × worst latency (${3 * l} ms): the wait for a result (coordinator timeout + n × answer timeout) may end before the election has been round the ring three times; expect repeated elections`,
    );
  if (params.failureTimeout <= params.heartbeat + l)
    out.push(
      `failure timeout ${params.failureTimeout} ms ≤ heartbeat + worst latency (${params.heartbeat + l} ms): expect false failure detection`,
    );
  return out;
}

/** What a ring node keeps across a crash. */
interface RingPersisted {
  round: number;
  epoch: number;
}

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
  resolveParams: resolveRingParams,
  timingWarnings: ringTimingWarnings,
  input({ id, order, params, persisted }: NodeInput<RingParams>): RingInput {
    return {
      id,
      order,
      variant: params.variant,
      heartbeat: ms(params.heartbeat),
      failureTimeout: ms(params.failureTimeout),
      ackTimeout: ms(params.answerTimeout),
      coordinatorTimeout: ms(params.coordinatorTimeout),
      round: (persisted as RingPersisted | undefined)?.round ?? 0,
      epoch: (persisted as RingPersisted | undefined)?.epoch ?? 0,
    };
  },
  persist(snapshot: AnyMachineSnapshot) {
    const c = snapshot.context as RingContext;
    const kept: RingPersisted = { round: c.round, epoch: c.epoch };
    return kept;
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as RingContext;
    return { role: roles[snapshot.value as string], term: c.epoch, leader: c.leader };
  },
  label: (body: MessageBody) => label(body as unknown as RingMessage),
};
