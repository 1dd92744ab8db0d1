/**
 * Bully as the engine sees it: params (ms, validated), the timing defaults derived from the
 * network, machine input (µs), and how a node and a message read in views. Only the
 * election counter survives a crash (so that a restarted node's messages are never taken
 * for copies of its old ones); a restarted node boots into an election.
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
import { bullyMachine, type BullyContext, type BullyInput } from './machine';
import { BULLY_HEARTBEAT_TYPES, label, type BullyMessage } from './messages';

const timeoutMs = z.number().finite().min(1).max(60_000);

/**
 * The params as a scenario gives them. The three timeouts are optional: left unset, they
 * follow the network (see `bullyTiming`), so only what the user chose is kept as given.
 */
export const bullyParamsSchema = z
  .object({
    /** How often the coordinator sends HEARTBEAT. */
    heartbeat: timeoutMs.default(100),
    /** A follower that hears no heartbeat from its coordinator for this long holds an election. */
    failureTimeout: timeoutMs.optional(),
    /** How long a candidate waits for an ANSWER before it declares itself coordinator. */
    answerTimeout: timeoutMs.optional(),
    /** How long a node that was answered waits for COORDINATOR before it starts over. */
    coordinatorTimeout: timeoutMs.optional(),
  })
  .strict();

/** Params as given: the timeouts the user left unset are absent. */
export type BullyParamsInput = z.infer<typeof bullyParamsSchema>;

/** Params with every timeout filled in, as the machines get them. */
export type BullyParams = Required<BullyParamsInput>;

/** Timing defaults never go below these (ms): the values for latencies up to about 20 ms. */
export const BULLY_FLOOR = { failureTimeout: 350, answerTimeout: 50, coordinatorTimeout: 150 };

/** The fast network the presets and lessons use: 10-15 ms one way, no loss. */
export const FAST_NETWORK: NetworkTiming = {
  latency: { min: 10, max: 15 },
  loss: 0,
  duplicate: 0,
};

/**
 * The timeouts derived from the network, ms, given the params already chosen (a chosen
 * heartbeat or answer timeout moves the ones that depend on it). With L the worst one-way
 * latency, a round trip takes up to 2L:
 * - answer timeout: a round trip plus 10 ms, so that a candidate never gives up on an
 *   ANSWER that is merely slow;
 * - coordinator timeout: the answer timeout plus a round trip plus 10 ms: the highest node
 *   hears an ELECTION within L, waits its own answer timeout, and its COORDINATOR takes up
 *   to L more;
 * - failure timeout: three heartbeats plus a round trip, so that a slow heartbeat and two
 *   lost ones in a row are no failure.
 * Each is at least its `BULLY_FLOOR` value, so networks up to 20 ms keep the classic
 * 350 / 50 / 150 and their traces.
 */
export function bullyTiming(
  network: NetworkTiming,
  chosen: Partial<BullyParams> = {},
): BullyParams {
  const l = network.latency.max;
  const heartbeat = chosen.heartbeat ?? 100;
  const answerTimeout =
    chosen.answerTimeout ?? Math.max(BULLY_FLOOR.answerTimeout, Math.ceil(2 * l + 10));
  return {
    heartbeat,
    failureTimeout:
      chosen.failureTimeout ??
      Math.max(BULLY_FLOOR.failureTimeout, Math.ceil(3 * heartbeat + 2 * l)),
    answerTimeout,
    coordinatorTimeout:
      chosen.coordinatorTimeout ??
      Math.max(BULLY_FLOOR.coordinatorTimeout, Math.ceil(answerTimeout + 2 * l + 10)),
  };
}

/** The params resolved for the fast network (10-15 ms): 100 / 350 / 50 / 150. */
export const bullyDefaults: BullyParams = bullyTiming(FAST_NETWORK);

/** `params` with every timeout the user left unset filled in from `network`. */
export function resolveBullyParams(params: BullyParamsInput, network: NetworkTiming): BullyParams {
  return bullyTiming(network, params);
}

/**
 * One sentence per timeout that breaks Bully's timing assumptions on `network`: a candidate
 * must hear every ANSWER within its answer timeout, a node that was answered must hear the
 * COORDINATOR within its coordinator timeout, and a follower must hear a heartbeat within
 * its failure timeout.
 */
export function bullyTimingWarnings(params: BullyParams, network: NetworkTiming): string[] {
  const l = network.latency.max;
  const rt = 2 * l;
  const out: string[] = [];
  if (params.answerTimeout <= rt)
    out.push(
      `answer timeout ${params.answerTimeout} ms ≤ round trip up to ${rt} ms: expect false coordinators (split brain) while answers are in flight`,
    );
  if (params.coordinatorTimeout <= params.answerTimeout + rt)
    out.push(
      `coordinator timeout ${params.coordinatorTimeout} ms ≤ answer timeout + round trip (${params.answerTimeout + rt} ms): expect repeated elections while the winner's COORDINATOR is on its way`,
    );
  if (params.failureTimeout <= params.heartbeat + l)
    out.push(
      `failure timeout ${params.failureTimeout} ms ≤ heartbeat + worst latency (${params.heartbeat + l} ms): expect false failure detection`,
    );
  return out;
}

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
  resolveParams: resolveBullyParams,
  timingWarnings: bullyTimingWarnings,
  input({ id, peers, params, persisted }: NodeInput<BullyParams>): BullyInput {
    return {
      id,
      peers,
      heartbeat: ms(params.heartbeat),
      failureTimeout: ms(params.failureTimeout),
      answerTimeout: ms(params.answerTimeout),
      coordinatorTimeout: ms(params.coordinatorTimeout),
      round: (persisted as { round: number } | undefined)?.round ?? 0,
    };
  },
  persist(snapshot: AnyMachineSnapshot) {
    return { round: (snapshot.context as BullyContext).round };
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as BullyContext;
    return { role: roles[snapshot.value as string], leader: c.leader };
  },
  label: (body: MessageBody) => label(body as unknown as BullyMessage),
};
