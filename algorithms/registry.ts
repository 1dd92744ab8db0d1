/**
 * Algorithm name -> its model (machine and view functions), params schema, defaults
 * and a description for pickers and tooltips.
 */
import type { z } from 'zod';
import type { AlgorithmModel } from './sim/types';
import { raftDefaults, raftModel, raftParamsSchema } from './raft/model';
import { bullyDefaults, bullyModel, bullyParamsSchema } from './bully/model';
import { ringDefaults, ringModel, ringParamsSchema } from './ring/model';
import { leaseDefaults, leaseModel, leaseParamsSchema } from './lease/model';

export interface AlgorithmEntry {
  name: string;
  title: string;
  describe(): string;
  model: AlgorithmModel<never>;
  params: z.ZodType;
  defaults: Record<string, unknown>;
  /** Fewest nodes the algorithm can run on (lease: a store, a payment service, a worker). */
  minNodes?: number;
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
  bully: {
    name: 'bully',
    title: 'Bully',
    describe: () =>
      'Bully (Garcia-Molina, 1982): the highest id that is alive leads. A node that notices the ' +
      'coordinator is gone (its heartbeats stopped) or that has just booted holds an election: it ' +
      'sends ELECTION to every higher id. Any higher node that is alive replies ANSWER (OK) and ' +
      'holds its own election, so the lower node steps back and waits for a COORDINATOR message; ' +
      'if nobody answers within the answer timeout, the node declares itself coordinator and tells ' +
      'every lower id. A node that was answered but hears no COORDINATOR in time starts over. A ' +
      'restarted higher node therefore bullies its way back to the top. Under a partition each ' +
      'side elects its own coordinator (split brain) until the higher one is heard again.',
    model: bullyModel as AlgorithmModel<never>,
    params: bullyParamsSchema,
    defaults: bullyDefaults as unknown as Record<string, unknown>,
  },
  ring: {
    name: 'ring',
    title: 'Ring',
    describe: () =>
      'Ring election: the nodes form a logical ring in their listed order, and election messages ' +
      'only ever go to the next node, which acknowledges them; a node whose successor does not ' +
      'acknowledge in time skips it and sends to the one after. A node that notices the leader is ' +
      'gone (its heartbeats stopped) or that has just booted starts an election. In the ' +
      'Chang-Roberts variant the ELECTION message carries one id: a node passes on only ids ' +
      'higher than its own and puts its own id in place of a lower one, so the highest id is the ' +
      'only one to come all the way back; its owner then sends ELECTED round the ring. In the ' +
      'collect-ids variant the message gathers the id of every node it passes; back at its ' +
      'initiator, the highest id in the list is the leader and a COORDINATOR message goes round ' +
      'once. A single lost message stalls the election until a timeout.',
    model: ringModel as AlgorithmModel<never>,
    params: ringParamsSchema,
    defaults: ringDefaults as unknown as Record<string, unknown>,
  },
  lease: {
    name: 'lease',
    title: 'Lease (etcd)',
    describe: () =>
      'Lease election on an etcd-like store, as most production systems do it: the first node is ' +
      'a strongly consistent store, the last a payment service, the others workers. Each worker ' +
      'takes a lease with a time to live (5 s), creates its own key under /election/ bound to it ' +
      'and watches the prefix; the key with the lowest create revision leads, and that revision is ' +
      'its fencing token. The leader keeps its lease alive and charges every customer once per ' +
      'billing period. A leader paused longer than its TTL loses its lease and wakes up still ' +
      'believing it leads: without fencing it charges customers twice; with fencing the payment ' +
      'service rejects its lower token.',
    model: leaseModel as AlgorithmModel<never>,
    params: leaseParamsSchema,
    defaults: leaseDefaults as unknown as Record<string, unknown>,
    minNodes: 3,
  },
};

export function algorithmNames(): string[] {
  return Object.keys(registry);
}
