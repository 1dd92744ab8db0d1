/**
 * Raft as the engine sees it: params (ms, validated), the timing defaults derived from
 * the network, machine input (µs), what survives a crash, and how a node and a message
 * read in views.
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
import { raftMachine, type RaftContext, type RaftInput } from './machine';
import { label, type RaftMessage } from './messages';
import { checkRaftLogs } from './invariants';

const timeoutMs = z.number().finite().min(1).max(60_000);

/**
 * What a user may set. `electionTimeout` and `heartbeat` are optional: left unset, they
 * follow the network (see raftTiming), so "unset" stays visible in a scenario and the
 * defaults change with the latency the scenario runs on.
 */
export const raftParamsSchema = z
  .object({
    /** Unset: derived from the network's worst round trip (raftTiming). */
    electionTimeout: z
      .object({ min: timeoutMs, max: timeoutMs })
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
      .optional(),
    /** Unset: half the minimum election timeout. */
    heartbeat: timeoutMs.optional(),
    preVote: z.boolean().default(false),
    checkQuorum: z.boolean().default(false),
  })
  .strict();

/** Params as validated: timing may still be unset. */
export type RaftParamsInput = z.infer<typeof raftParamsSchema>;

/**
 * Params as the machines run them (ms): the election timeout filled in; the heartbeat,
 * when unset, is half its minimum (heartbeatMs).
 */
export interface RaftParams {
  electionTimeout: { min: number; max: number };
  heartbeat?: number;
  preVote: boolean;
  checkQuorum: boolean;
}

/** The paper's election timeout range (§9.3), kept wherever the network allows it. */
export const PAPER_ELECTION_TIMEOUT = { min: 150, max: 300 } as const;

/**
 * The minimum election timeout as a multiple of the worst round trip (2 x the highest
 * one-way latency), as the fraction NUM / DEN. Raft needs broadcast time << election
 * timeout: a voter restarts its timer when it grants a vote, and the new leader's first
 * heartbeat reaches it one round trip later, so a minimum below the round trip makes
 * voters start the next election before they hear their leader.
 *
 * 5/4 was chosen by measurement (5 and 7 nodes, 40-50 seeds per point, 30 s each): at
 * latency 80-150 ms and 150-300 ms, 1 x the round trip still let 4% of runs change leader
 * without any fault; 5/4 gave no leader change at all and the fastest first election at
 * 150-300 ms (mean 1.5 s, against 1.7 s at 1x and 1.65-2.5 s at 3/2-3x); larger factors
 * only make every election slower. 5/4 is also the largest factor that keeps the paper's
 * 150-300 ms on the app's default network (latency 30-60 ms: round trip 120 ms), so every
 * preset and lesson keeps its exact trace.
 */
const ROUND_TRIPS_NUM = 5;
const ROUND_TRIPS_DEN = 4;
/** Keeps the derived maximum (2 x min) within what the schema accepts. */
const DERIVED_MIN_CAP = 30_000;

/** The timing part of the params, set or not. */
type TimingParams = Pick<RaftParamsInput, 'electionTimeout' | 'heartbeat'>;

export interface RaftTiming {
  electionTimeout: { min: number; max: number };
  heartbeat: number;
}

/**
 * The timing Raft uses on `network` when the user leaves it unset: the paper's 150-300 ms
 * while the worst round trip is at most 120 ms, else a minimum of 5/4 of the worst round
 * trip (rounded up to a whole ms) and a maximum of twice that, so that the spread of the
 * timeouts stays as wide as the minimum; the heartbeat is half the minimum.
 */
export function raftTiming(network: Pick<NetworkTiming, 'latency'>): RaftTiming {
  const roundTrip = 2 * network.latency.max;
  const scaled = Math.ceil((roundTrip * ROUND_TRIPS_NUM) / ROUND_TRIPS_DEN);
  const min = Math.min(DERIVED_MIN_CAP, Math.max(PAPER_ELECTION_TIMEOUT.min, scaled));
  return { electionTimeout: { min, max: 2 * min }, heartbeat: min / 2 };
}

/**
 * Fills the election timeout the user left unset from the network; explicit values are
 * kept. An unset heartbeat stays unset: it follows the (resolved) election timeout.
 */
export function resolveRaftParams<P extends TimingParams>(
  params: P,
  network: Pick<NetworkTiming, 'latency'>,
): P & Pick<RaftParams, 'electionTimeout'> {
  if (params.electionTimeout) return params as P & Pick<RaftParams, 'electionTimeout'>;
  return { ...params, electionTimeout: raftTiming(network).electionTimeout };
}

/** The heartbeat interval, ms: explicit, or half the minimum election timeout. */
export function heartbeatMs(p: Pick<RaftParams, 'electionTimeout' | 'heartbeat'>): number {
  return p.heartbeat ?? p.electionTimeout.min / 2;
}

/** The defaults on a network fast enough for the paper's timing. */
export const raftDefaults: RaftParams = resolveRaftParams(raftParamsSchema.parse({}), {
  latency: { min: 0, max: 0 },
});

/**
 * The words that tell an election-timing problem in one algorithm's terms: Raft's voters
 * and split votes, or Paxos's acceptors and duelling proposers. The rules are the same,
 * since an election is the same exchange (ask a majority, wait for a heartbeat).
 */
export interface ElectionTimingWords {
  /** Who times out waiting for the new leader's first heartbeat. */
  voters: string;
  /** What a timeout below the round trip leads to. */
  repeated: string;
  /** What a timeout close to the round trip leads to. */
  close: string;
  /** The rivals that time out together when there is no spread. */
  rivals: string;
  /** What a spread below the latency leads to. */
  together: string;
}

const RAFT_WORDS: ElectionTimingWords = {
  voters: 'voters',
  repeated: 'repeated elections',
  close: 'split votes and repeated elections',
  rivals: 'candidates that split a vote',
  together: 'candidates often start together and split the vote',
};

/**
 * One sentence per election-timing value that breaks the timing on this network: an
 * election timeout too close to the round trip or without spread, a heartbeat that cannot
 * arrive before the election timeout. `defaults` is this network's default timeout.
 */
export function electionTimingWarnings(
  timing: { electionTimeout: { min: number; max: number }; heartbeat: number },
  defaults: { min: number; max: number },
  network: Pick<NetworkTiming, 'latency'>,
  words: ElectionTimingWords,
): string[] {
  const { min, max } = timing.electionTimeout;
  const { min: lmin, max: lmax } = network.latency;
  const roundTrip = 2 * lmax;
  const suggestion = `(the default for this network is ${defaults.min}-${defaults.max} ms)`;
  const out: string[] = [];
  if (min * ROUND_TRIPS_DEN < roundTrip * ROUND_TRIPS_NUM) {
    out.push(
      min <= roundTrip
        ? `election timeout ${min}-${max} ms is not above the round trip of up to ${roundTrip} ms: ${words.voters} time out before the new leader's first heartbeat arrives, expect ${words.repeated} ${suggestion}`
        : `election timeout ${min}-${max} ms is close to the round trip of up to ${roundTrip} ms: expect ${words.close} ${suggestion}`,
    );
  }
  if (max === min)
    out.push(
      `election timeout ${min}-${max} ms has no spread: ${words.rivals} time out together again and again`,
    );
  else if (max - min < lmax)
    out.push(
      `election timeout spread ${max - min} ms is below the one-way latency of up to ${lmax} ms: ${words.together}`,
    );
  const { heartbeat } = timing;
  if (heartbeat + (lmax - lmin) >= min)
    out.push(
      `heartbeat ${heartbeat} ms plus up to ${lmax - lmin} ms of latency jitter reaches the minimum election timeout of ${min} ms: followers start elections under a live leader`,
    );
  return out;
}

/** Raft's timing warnings on this network (see `electionTimingWarnings`). */
export function raftTimingWarnings(
  params: TimingParams,
  network: Pick<NetworkTiming, 'latency'>,
): string[] {
  const p = resolveRaftParams(params, network);
  return electionTimingWarnings(
    { electionTimeout: p.electionTimeout, heartbeat: heartbeatMs(p) },
    raftTiming(network).electionTimeout,
    network,
    RAFT_WORDS,
  );
}

const roles: Record<string, Role> = {
  follower: 'follower',
  precandidate: 'candidate',
  candidate: 'candidate',
  leader: 'leader',
};

const NO_LATENCY = { latency: { min: 0, max: 0 } };

export const raftModel: AlgorithmModel<RaftParamsInput | RaftParams> = {
  name: 'raft',
  machine: raftMachine,
  termSafety: true,
  heartbeatTypes: ['AppendEntries', 'AppendEntriesResponse'],
  resolveParams: resolveRaftParams,
  timingWarnings: raftTimingWarnings,
  input({
    id,
    peers,
    params,
    persisted,
    rand,
  }: NodeInput<RaftParamsInput | RaftParams>): RaftInput {
    // parseScenario resolves params against the network; the fallback only serves callers
    // that build a simulation from unresolved params
    const p = resolveRaftParams(params, NO_LATENCY);
    return {
      id,
      peers,
      electionMin: ms(p.electionTimeout.min),
      electionMax: ms(p.electionTimeout.max),
      heartbeat: ms(heartbeatMs(p)),
      preVote: p.preVote,
      checkQuorum: p.checkQuorum,
      persisted: persisted as RaftInput['persisted'],
      rand,
    };
  },
  persist(snapshot: AnyMachineSnapshot) {
    const c = snapshot.context as RaftContext;
    return { term: c.term, votedFor: c.votedFor, log: c.log };
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as RaftContext;
    return {
      role: roles[snapshot.value as string],
      term: c.term,
      votedFor: c.votedFor,
      leader: c.leader,
    };
  },
  label: (body: MessageBody) => label(body as unknown as RaftMessage),
  checkNode: checkRaftLogs,
};
