/**
 * Algorithm name -> its model (machine and view functions), params schema, defaults
 * and a description for pickers and tooltips.
 */
import type { z } from 'zod';
import type { AlgorithmModel } from './sim/types';
import { raftDefaults, raftModel, raftParamsSchema } from './raft/model';

export interface AlgorithmEntry {
  name: string;
  title: string;
  describe(): string;
  model: AlgorithmModel<never>;
  params: z.ZodType;
  defaults: Record<string, unknown>;
}

export const registry: Record<string, AlgorithmEntry> = {
  raft: {
    name: 'raft',
    title: 'Raft',
    describe: () =>
      'Raft (Ongaro and Ousterhout, 2014): every node starts as a follower with a randomised election ' +
      'timeout. When it hears nothing from a leader before the timeout fires, it becomes a candidate ' +
      'for the next term, votes for itself and asks the others for votes; a node grants at most one ' +
      'vote per term, and only to a candidate whose log is at least as up to date as its own. A ' +
      'candidate with votes from a majority becomes leader and sends heartbeats (empty AppendEntries) ' +
      'to keep the others from starting elections. Any node that sees a higher term steps down. ' +
      'Options: pre-vote (ask first whether you could win, so a rejoining node cannot disrupt a ' +
      'healthy cluster) and check-quorum (a leader that cannot reach a majority steps down).',
    model: raftModel as AlgorithmModel<never>,
    params: raftParamsSchema,
    defaults: raftDefaults as unknown as Record<string, unknown>,
  },
};

export function algorithmNames(): string[] {
  return Object.keys(registry);
}
