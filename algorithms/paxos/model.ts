/**
 * Paxos as the engine sees it: params (ms, validated), the timing defaults derived from
 * the network, machine input (µs), what survives a crash (the acceptor's promise and
 * accepted values, the proposer's round), and how a node and a message read in views.
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
import { paxosMachine, type PaxosContext, type PaxosInput } from './machine';
import { label, type PaxosMessage } from './messages';
import { checkPaxos } from './invariants';
import { electionTimingWarnings, raftTiming, type ElectionTimingWords } from '../raft/model';

const timeoutMs = z.number().finite().min(1).max(60_000);

/**
 * What a user may set. `electionTimeout` and `heartbeat` are optional: left unset, they
 * follow the network (paxosTiming), so the defaults change with the latency.
 */
export const paxosParamsSchema = z
  .object({
    /** Unset: derived from the network's worst round trip (paxosTiming). */
    electionTimeout: z
      .object({ min: timeoutMs, max: timeoutMs })
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
      .optional(),
    /** Unset: half the minimum election timeout. */
    heartbeat: timeoutMs.optional(),
    /** Leader lease, ms: acceptors refuse other proposers this long after a heartbeat (0: off). */
    leaseMs: z.number().finite().min(0).max(60_000).default(0),
  })
  .strict();

/** Params as validated: timing may still be unset. */
export type PaxosParamsInput = z.infer<typeof paxosParamsSchema>;

/** Params as the machines run them (ms): the election timeout filled in. */
export interface PaxosParams {
  electionTimeout: { min: number; max: number };
  heartbeat?: number;
  leaseMs: number;
}

/** The election timeout range on a fast network, the same as Raft's paper values. */
export const BASE_ELECTION_TIMEOUT = { min: 150, max: 300 } as const;

type TimingParams = Pick<PaxosParamsInput, 'electionTimeout' | 'heartbeat'> & {
  leaseMs?: number;
};

export interface PaxosTiming {
  electionTimeout: { min: number; max: number };
  heartbeat: number;
}

/**
 * The timing Paxos uses on `network` when the user leaves it unset: Raft's rule, for
 * Raft's reason (an election is the same exchange: Prepare and Promise, then the new
 * leader's first Heartbeat a round trip after the acceptor promised). 150-300 ms while
 * the worst round trip is at most 120 ms, else a minimum of 5/4 of the worst round trip
 * and a maximum of twice that; the heartbeat is half the minimum.
 */
export function paxosTiming(network: Pick<NetworkTiming, 'latency'>): PaxosTiming {
  return raftTiming(network);
}

/** Fills an unset election timeout from the network; explicit values are kept. */
export function resolvePaxosParams<P extends TimingParams>(
  params: P,
  network: Pick<NetworkTiming, 'latency'>,
): P & Pick<PaxosParams, 'electionTimeout'> {
  if (params.electionTimeout) return params as P & Pick<PaxosParams, 'electionTimeout'>;
  return { ...params, electionTimeout: paxosTiming(network).electionTimeout };
}

/** The heartbeat interval, ms: explicit, or half the minimum election timeout. */
export function heartbeatMs(p: Pick<PaxosParams, 'electionTimeout' | 'heartbeat'>): number {
  return p.heartbeat ?? p.electionTimeout.min / 2;
}

/** The defaults on a network fast enough for the base timing. */
export const paxosDefaults: PaxosParams = resolvePaxosParams(paxosParamsSchema.parse({}), {
  latency: { min: 0, max: 0 },
});

/**
 * One sentence per timing value that breaks the timing on this network: an election
 * timeout too close to the round trip, without spread, a heartbeat that cannot arrive
 * before the election timeout, and a lease that lapses between heartbeats or outlasts the
 * election timeout.
 */
export function paxosTimingWarnings(
  params: TimingParams,
  network: Pick<NetworkTiming, 'latency'>,
): string[] {
  const p = resolvePaxosParams(params, network);
  const heartbeat = heartbeatMs(p);
  const out = electionTimingWarnings(
    { electionTimeout: p.electionTimeout, heartbeat },
    paxosTiming(network).electionTimeout,
    network,
    PAXOS_WORDS,
  );
  const { min } = p.electionTimeout;
  const jitter = network.latency.max - network.latency.min;
  const lease = params.leaseMs ?? 0;
  if (lease > 0 && lease < heartbeat + jitter)
    out.push(
      `lease ${lease} ms is shorter than the heartbeat ${heartbeat} ms plus up to ${jitter} ms of jitter: it lapses between heartbeats and protects the leader only part of the time`,
    );
  if (lease > 0 && lease >= min)
    out.push(
      `lease ${lease} ms is not below the minimum election timeout of ${min} ms: a proposer that timed out is refused until the lease runs out, so every election after a crash waits for it`,
    );
  return out;
}

/** Raft's timing rules in Paxos's words: acceptors, and proposers that duel. */
const PAXOS_WORDS: ElectionTimingWords = {
  voters: 'acceptors',
  repeated: 'duelling proposers',
  close: 'duelling proposers',
  rivals: 'proposers that duel',
  together: 'proposers often start together and duel',
};

const roles: Record<string, Role> = {
  follower: 'follower',
  candidate: 'candidate',
  leader: 'leader',
};

const NO_LATENCY = { latency: { min: 0, max: 0 } };

export const paxosModel: AlgorithmModel<PaxosParamsInput | PaxosParams> = {
  name: 'paxos',
  machine: paxosMachine,
  // a ballot has one proposer: two leaders with one ballot number is a safety violation
  termSafety: true,
  heartbeatTypes: ['Heartbeat'],
  resolveParams: resolvePaxosParams,
  timingWarnings: paxosTimingWarnings,
  input({ id, peers, params, persisted, rand }: NodeInput<PaxosParamsInput | PaxosParams>) {
    // parseScenario resolves params against the network; the fallback only serves callers
    // that build a simulation from unresolved params
    const p = resolvePaxosParams(params, NO_LATENCY);
    const input: PaxosInput = {
      id,
      peers,
      electionMin: ms(p.electionTimeout.min),
      electionMax: ms(p.electionTimeout.max),
      heartbeat: ms(heartbeatMs(p)),
      lease: ms(p.leaseMs ?? 0),
      persisted: persisted as PaxosInput['persisted'],
      rand,
    };
    return input;
  },
  persist(snapshot: AnyMachineSnapshot) {
    const c = snapshot.context as PaxosContext;
    return { round: c.round, promised: c.promised, accepted: c.accepted };
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as PaxosContext;
    const state = snapshot.value as string;
    return {
      role: roles[state],
      // the ballot it campaigns or leads in; a follower's promise
      term: state === 'follower' ? c.promised : c.ballot,
      leader: c.leader,
    };
  },
  label: (body: MessageBody) => label(body as unknown as PaxosMessage),
  checkNode: checkPaxos,
};
