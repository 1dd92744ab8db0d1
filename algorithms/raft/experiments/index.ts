/**
 * Raft's experiments: Figure 16 of its paper (a tab of the experiments panel) and the
 * `election-time` command of `npm run sim -- experiment`.
 */
import type { AlgorithmExperiments, ExperimentCommand } from '../../experiments/types';
import { raftFigure16 } from './figure16';
import { runElectionTimeExperiment } from './electionTime';

function inRange(name: string, v: number, min: number, max: number) {
  if (v < min || v > max)
    throw new RangeError(`--${name} must be between ${min} and ${max}, got ${v}`);
}

function need<T>(flags: Record<string, unknown>, name: string): T {
  if (flags[name] === undefined) throw new RangeError(`missing --${name}`);
  return flags[name] as T;
}

const electionTime: ExperimentCommand = {
  name: 'election-time',
  flags: {
    nodes: 'int',
    'election-timeout': 'range',
    latency: 'range',
    heartbeat: 'number',
    trials: 'int',
    seed: 'int',
    'pre-vote': 'bool',
    'check-quorum': 'bool',
  },
  usage:
    '--nodes N --election-timeout A-B --latency A-B [--heartbeat ms] [--pre-vote] [--check-quorum] --trials T --seed S',
  run(flags) {
    const nodes = need<number>(flags, 'nodes');
    const et = need<{ min: number; max: number }>(flags, 'election-timeout');
    const latency = need<{ min: number; max: number }>(flags, 'latency');
    const trials = need<number>(flags, 'trials');
    const seed = need<number>(flags, 'seed');
    inRange('nodes', nodes, 2, 64);
    inRange('election-timeout', et.min, 1, 60_000);
    inRange('election-timeout', et.max, 1, 60_000);
    inRange('latency', latency.max, 0, 60_000);
    inRange('trials', trials, 1, 1_000_000);
    inRange('seed', seed, 0, 0xffffffff);
    const heartbeat = flags.heartbeat as number | undefined;
    if (heartbeat !== undefined) inRange('heartbeat', heartbeat, 1, 60_000);
    const r = runElectionTimeExperiment({
      nodes,
      electionTimeout: et,
      latency,
      heartbeat,
      trials,
      seed,
      preVote: flags['pre-vote'] === true,
      checkQuorum: flags['check-quorum'] === true,
    });
    return {
      json: r,
      lines: [
        `${r.trials} trials: downtime after a leader crash (ms)`,
        `  p50 ${r.p50}  p90 ${r.p90}  p99 ${r.p99}  max ${r.max}  mean ${r.mean}`,
        `  split votes: ${r.splitVotes}${r.unresolved ? `, unresolved: ${r.unresolved}` : ''}`,
      ],
    };
  },
};

export const raftExperiments: AlgorithmExperiments = {
  downtimeCdf: raftFigure16,
  downtimeNote:
    'Raft keeps the default timing for the network (election timeout 150–300 ms, heartbeat half its minimum): a follower notices the crash when its election timer fires, and loss delays the votes as well.',
  commands: [electionTime],
};
