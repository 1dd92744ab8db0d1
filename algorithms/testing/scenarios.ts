/** Small scenario builders shared by tests, benchmarks and experiments. */
import type { Action, ScenarioInput } from '../scenario/schema';

export function raftScenario(
  opts: {
    nodes?: number;
    seed?: number;
    latency?: [number, number];
    electionTimeout?: [number, number];
    heartbeat?: number;
    loss?: number;
    preVote?: boolean;
    checkQuorum?: boolean;
    actions?: Action[];
  } = {},
): ScenarioInput {
  const n = opts.nodes ?? 5;
  const [lmin, lmax] = opts.latency ?? [10, 15];
  const [emin, emax] = opts.electionTimeout ?? [150, 300];
  return {
    v: 1,
    algorithm: 'raft',
    params: {
      electionTimeout: { min: emin, max: emax },
      ...(opts.heartbeat !== undefined ? { heartbeat: opts.heartbeat } : {}),
      preVote: opts.preVote ?? false,
      checkQuorum: opts.checkQuorum ?? false,
    },
    nodes: Array.from({ length: n }, (_, i) => ({ id: i + 1 })),
    network: { latency: { min: lmin, max: lmax }, loss: opts.loss ?? 0, fifo: false },
    seed: opts.seed ?? 1,
    actions: opts.actions ?? [],
  };
}
