/**
 * Raft as the engine sees it: params (ms, validated), machine input (µs), what
 * survives a crash, and how a node and a message read in views.
 */
import { z } from 'zod';
import type { AnyMachineSnapshot } from 'xstate';
import { ms } from '../sim/time';
import type { AlgorithmModel, MessageBody, NodeInput, NodeSummary, Role } from '../sim/types';
import { raftMachine, type RaftContext, type RaftInput } from './machine';
import { label, type RaftMessage } from './messages';
import { checkRaftLogs } from '../invariants/raftLog';

const timeoutMs = z.number().finite().min(1).max(60_000);

export const raftParamsSchema = z
  .object({
    electionTimeout: z
      .object({ min: timeoutMs, max: timeoutMs })
      .refine((r) => r.min <= r.max, { message: 'min must not exceed max' })
      .default({ min: 150, max: 300 }),
    /** Defaults to half the minimum election timeout. */
    heartbeat: timeoutMs.optional(),
    preVote: z.boolean().default(false),
    checkQuorum: z.boolean().default(false),
  })
  .strict();

export type RaftParams = z.infer<typeof raftParamsSchema>;

export const raftDefaults: RaftParams = raftParamsSchema.parse({});

export function heartbeatMs(p: RaftParams): number {
  return p.heartbeat ?? p.electionTimeout.min / 2;
}

const roles: Record<string, Role> = {
  follower: 'follower',
  precandidate: 'candidate',
  candidate: 'candidate',
  leader: 'leader',
};

export const raftModel: AlgorithmModel<RaftParams> = {
  name: 'raft',
  machine: raftMachine,
  termSafety: true,
  heartbeatTypes: ['AppendEntries', 'AppendEntriesResponse'],
  input({ id, peers, params, persisted, rand }: NodeInput<RaftParams>): RaftInput {
    return {
      id,
      peers,
      electionMin: ms(params.electionTimeout.min),
      electionMax: ms(params.electionTimeout.max),
      heartbeat: ms(heartbeatMs(params)),
      preVote: params.preVote,
      checkQuorum: params.checkQuorum,
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
