/**
 * The default scenario and the built-in presets. They are plain scenario v1 objects, so
 * a preset loads exactly like a file or a shared URL will. Presets that name a node (e.g. "node 3 isolated") rely on the
 * default seed, with which node 3 wins the first Raft election.
 */
import { algorithms, registry, type ScenarioInput } from '../../algorithms/index';

/** With this seed and the default network, 5-node Raft elects node 3 in term 1 at ~250 ms. */
export const DEFAULT_SEED = 2;
/** Slow enough that a message (30-60 ms of simulated time) takes about a second on screen. */
export const DEFAULT_SPEED = 0.05;
export const DEFAULT_LATENCY = { min: 30, max: 60 } as const;

export function nodeIds(n: number): { id: number }[] {
  return Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
}

/** The scenario a fresh page runs: the first algorithm of the registry on five nodes. */
export function baseScenario(algorithm = algorithms[0].name, n = 5): ScenarioInput {
  return {
    v: 1,
    algorithm: algorithm as ScenarioInput['algorithm'],
    params: {},
    nodes: nodeIds(n),
    network: { latency: { ...DEFAULT_LATENCY }, loss: 0, fifo: false },
    seed: DEFAULT_SEED,
    actions: [],
  };
}

export interface Preset {
  id: string;
  title: string;
  description: string;
  build(algorithm: string): ScenarioInput;
}

export const presets: Preset[] = [
  {
    id: 'five',
    title: 'Five nodes',
    description: 'A healthy five-node cluster: watch the first election.',
    build: (a) => baseScenario(a, 5),
  },
  {
    id: 'three',
    title: 'Three nodes',
    description: 'The smallest cluster that survives one failure.',
    build: (a) => baseScenario(a, 3),
  },
  {
    id: 'seven',
    title: 'Seven nodes',
    description: 'Seven nodes: a majority is four.',
    build: (a) => baseScenario(a, 7),
  },
  {
    id: 'isolated',
    title: 'Node 3 isolated at 1 s, healed at 3 s',
    description:
      'Node 3 (the first leader with the default seed) is cut off from everyone, then the network heals.',
    build: (a) => ({
      ...baseScenario(a, 5),
      actions: [
        { at: 1000, type: 'partition', groups: [[3]] },
        { at: 3000, type: 'healAll' },
      ],
    }),
  },
  {
    id: 'minority',
    title: 'Minority partition {1, 2} at 1 s',
    description: 'Nodes 1 and 2 are split from the other three; the majority side keeps a leader.',
    build: (a) => ({
      ...baseScenario(a, 5),
      actions: [
        { at: 1000, type: 'partition', groups: [[1, 2]] },
        { at: 3000, type: 'healAll' },
      ],
    }),
  },
  {
    id: 'paused',
    title: 'Node 3 paused from 1 s to 2.5 s',
    description: 'A slow node (a long GC pause): it wakes up with stale beliefs.',
    build: (a) => ({
      ...baseScenario(a, 5),
      actions: [
        { at: 1000, type: 'pause', node: 3 },
        { at: 2500, type: 'resume', node: 3 },
      ],
    }),
  },
  {
    id: 'lossy',
    title: 'Lossy network (20% loss)',
    description: 'One message in five is lost in flight.',
    build: (a) => ({
      ...baseScenario(a, 5),
      network: { latency: { ...DEFAULT_LATENCY }, loss: 0.2, fifo: false },
    }),
  },
];

/** The prefix of a preset id that names one of the algorithm's own presets. */
export const ALGORITHM_PRESET = 'preset:';

/** The algorithm's own presets (its definition's), as picker entries. */
export function algorithmPresets(algorithm: string): Preset[] {
  return (registry[algorithm]?.presets ?? []).map((p) => ({
    id: ALGORITHM_PRESET + p.name,
    title: p.title,
    description: p.description,
    build: () => p.scenario,
  }));
}

/** The pickers' algorithms (test-only ones only when the page runs under automation or asks). */
export function availableAlgorithms(
  withTestOnly = false,
): { name: string; title: string; describe: string }[] {
  return algorithms
    .filter((e) => withTestOnly || !e.testOnly)
    .map((e) => ({ name: e.name, title: e.title, describe: e.description }));
}
