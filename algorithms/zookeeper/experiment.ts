/**
 * Messages per leader change, as the number of workers grows: the herd effect in numbers.
 *
 * A trial boots a cluster (the service, `workers` workers, the payment service) on a
 * loss-free network with FIFO links and a fixed latency, lets it settle (one leader,
 * every other worker waiting on its watch, nothing of the election in flight), kills the
 * leader and counts the election's messages until the next leader has taken over and the
 * cluster is settled again. Pings and their answers are background traffic, the charges
 * are the leader's work: neither is counted.
 *
 * What the model gives, exactly, with w workers before the crash: the leader's session
 * expires and its znode is deleted.
 * - predecessor: one watch fires (the next worker's); it reads the children (a request and
 *   its answer) and leads: 3 messages, whatever w.
 * - herd: the children watch of every one of the w − 1 live workers fires; each reads the
 *   children again (and sets its watch again): 3(w − 1) messages, and w − 1 workers woke.
 *
 * Deterministic: the network has no randomness left that could change a count.
 */
import type {
  AlgorithmExperiments,
  ExperimentCommand,
  MessageCostExperiment,
} from '../experiments/types';
import { internals, Simulation } from '../sim/simulation';
import { ms } from '../sim/time';
import type { NodeId } from '../sim/types';
import { zkModel, zkTiming } from './model';
import type { Recipe, WorkerContext } from './worker';

/** The message types of the election (neither pings nor charges). */
export const ELECTION_TYPES = [
  'Connect',
  'Connected',
  'Create',
  'Created',
  'GetChildren',
  'Children',
  'Exists',
  'Stat',
  'WatchEvent',
] as const;

export const RECIPES: readonly Recipe[] = ['predecessor', 'herd'];

/** The model's exact count of one leader change with `workers` workers before the crash. */
export function leaderChangeTheory(recipe: Recipe, workers: number): number {
  return recipe === 'herd' ? 3 * (workers - 1) : 3;
}

/** Workers woken by one leader change (theory). */
export function wakeupsTheory(recipe: Recipe, workers: number): number {
  return recipe === 'herd' ? workers - 1 : 1;
}

export const THEORY_TEXT: Record<Recipe, string> = {
  predecessor: '3 (one watch event, one read and its answer)',
  herd: '3(w − 1) (w − 1 watch events, reads and answers)',
};

export interface LeaderChange {
  recipe: Recipe;
  workers: number;
  crashed: NodeId;
  leader: NodeId;
  /** Election messages from the crash until the cluster settled again. */
  total: number;
  byType: Record<string, number>;
  /** Workers that were woken by a watch event. */
  woken: number;
}

const HORIZON_MS = 120_000;

function workersOf(sim: Simulation) {
  return internals(sim).world.nodes.filter(
    (n) => (n.snapshot.context as { role: string }).role === 'worker',
  );
}

const stateOf = (n: { snapshot: { value: unknown } }) =>
  (n.snapshot.value as { worker?: string }).worker;

/**
 * Settled: one alive worker leads, every other alive worker waits on its watch, and no
 * election message is in flight.
 */
export function settledElection(sim: Simulation): boolean {
  const w = internals(sim).world;
  const alive = workersOf(sim).filter((n) => n.alive);
  if (alive.filter((n) => stateOf(n) === 'leading').length !== 1) return false;
  if (!alive.every((n) => stateOf(n) === 'leading' || stateOf(n) === 'watching')) return false;
  const types: readonly string[] = ELECTION_TYPES;
  return !w.queue.some((e) => e.kind === 'deliver' && types.includes(e.msg.body.type));
}

/** The scenario of a trial: node 1 the service, 2..w + 1 the workers, w + 2 the payment service. */
export function leaderChangeSimulation(recipe: Recipe, workers: number, latency = 10): Simulation {
  const network = { latency: { min: latency, max: latency }, loss: 0, fifo: true };
  const params = zkTiming({ ...network, duplicate: 0 }, { recipe, customers: 1 });
  return new Simulation(
    {
      v: 1,
      algorithm: zkModel.name,
      params,
      nodes: Array.from({ length: workers + 2 }, (_, i) => ({ id: i + 1 })),
      network,
      seed: 1,
      actions: [],
    },
    zkModel,
    params,
    { keepTrace: false },
  );
}

/** One leader change: settle, kill the leader, count until settled again. */
export function measureLeaderChange(recipe: Recipe, workers: number, latency = 10): LeaderChange {
  const sim = leaderChangeSimulation(recipe, workers, latency);
  const settle = (what: string) => {
    if (!sim.runWhileNot(() => settledElection(sim), sim.now + ms(HORIZON_MS)))
      throw new Error(`zookeeper (${recipe}, ${workers} workers): did not settle ${what}`);
  };
  settle('at boot');
  const leaderNode = workersOf(sim).find((n) => stateOf(n) === 'leading')!;
  const before = { ...sim.counters().sentByType };
  const wokeBefore = new Map(
    workersOf(sim).map((n) => [n.id, (n.snapshot.context as WorkerContext).wakeups]),
  );
  sim.apply({ type: 'kill', node: leaderNode.id });
  sim.runUntilTime(sim.now);
  settle('after the crash');
  const byType: Record<string, number> = {};
  let total = 0;
  const after = sim.counters().sentByType;
  for (const t of ELECTION_TYPES) {
    const d = (after[t] ?? 0) - (before[t] ?? 0);
    if (d > 0) {
      byType[t] = d;
      total += d;
    }
  }
  const woken = workersOf(sim).filter(
    (n) => n.alive && (n.snapshot.context as WorkerContext).wakeups > (wokeBefore.get(n.id) ?? 0),
  ).length;
  const leader = workersOf(sim).find((n) => n.alive && stateOf(n) === 'leading')!.id;
  return { recipe, workers, crashed: leaderNode.id, leader, total, byType, woken };
}

/** Both recipes for 2..maxWorkers workers. */
export function leaderChangeSeries(maxWorkers: number, latency = 10): LeaderChange[] {
  const out: LeaderChange[] = [];
  for (const recipe of RECIPES)
    for (let w = 2; w <= maxWorkers; w++) out.push(measureLeaderChange(recipe, w, latency));
  return out;
}

const leaderChange: ExperimentCommand = {
  name: 'zk-leader-change',
  flags: { workers: 'int', latency: 'number' },
  usage: '--workers W [--latency ms]',
  run(flags) {
    const workers = flags.workers as number | undefined;
    if (workers === undefined) throw new RangeError('missing --workers');
    if (!Number.isInteger(workers) || workers < 2 || workers > 40)
      throw new RangeError(`--workers must be between 2 and 40, got ${workers}`);
    const latency = (flags.latency as number | undefined) ?? 10;
    if (!(latency >= 1 && latency <= 1000))
      throw new RangeError(`--latency must be between 1 and 1000, got ${latency}`);
    const rows = leaderChangeSeries(workers, latency);
    return {
      json: rows.map((r) => ({ ...r, theory: leaderChangeTheory(r.recipe, r.workers) })),
      lines: [
        'messages per leader change (pings and charges not counted), w = workers before the crash',
        ...RECIPES.map((r) => `${r}: theory ${THEORY_TEXT[r]}`),
        ...rows.map(
          (r) =>
            `${r.recipe.padEnd(11)} w=${String(r.workers).padStart(2)}: ${r.total} messages (theory ${leaderChangeTheory(r.recipe, r.workers)}), ${r.woken} woken`,
        ),
      ],
    };
  },
};

/** The alive worker that leads (the owner of the lowest znode, once settled). */
export function leadingWorker(sim: Simulation): NodeId {
  const n = workersOf(sim).find((x) => x.alive && stateOf(x) === 'leading');
  if (!n) throw new Error('zookeeper: no worker leads');
  return n.id;
}

const RECIPE_LABEL: Record<Recipe, string> = {
  predecessor: 'predecessor watch',
  herd: 'herd of children watches',
};

/**
 * The same leader change in the experiments panel: n is the number of workers (the
 * service and the payment service come on top), the leading worker is crashed, its
 * session expires by itself (nobody is told), and only the election's message types
 * count; the `election` metric counts the watch events, the workers woken.
 */
export const zookeeperMessageCost: MessageCostExperiment = {
  params: (l, variant) =>
    zkTiming(
      { latency: { min: l, max: l }, loss: 0, duplicate: 0 },
      { recipe: (variant ?? 'predecessor') as Recipe, customers: 1 },
    ),
  variants: RECIPES.map((r) => ({ id: r, label: RECIPE_LABEL[r] })),
  electionType: 'WatchEvent',
  nodeIds: (n) => Array.from({ length: n + 2 }, (_, i) => i + 1),
  leaderOf: leadingWorker,
  settled: settledElection,
  countedTypes: ELECTION_TYPES,
  selfDetecting: true,
  series: RECIPES.map((recipe) => ({
    id: `zk-${recipe}`,
    // n counts the workers only: the service and the payment service come on top
    label: `ZooKeeper, ${RECIPE_LABEL[recipe]} (n = workers)`,
    variant: recipe,
    // nobody is told of the crash: the session expires
    initiators: 'lowest' as const,
    optional: true,
    theory: {
      kind: 'exact' as const,
      text:
        recipe === 'herd'
          ? { all: '3(n − 1)', election: 'n − 1 watch events' }
          : { all: '3', election: '1 watch event' },
      value: (n: number, metric: 'all' | 'election') =>
        metric === 'all' ? leaderChangeTheory(recipe, n) : wakeupsTheory(recipe, n),
    },
  })),
  notes: [
    'ZooKeeper: n counts the workers (the service and the payment service come on top); the leading worker crashes, its session expires and its znode goes; only the election’s messages count (not pings, not charges), and “election messages” are the watch events, one per worker woken.',
  ],
};

export const zookeeperExperiments: AlgorithmExperiments = {
  messageCost: zookeeperMessageCost,
  commands: [leaderChange],
};
