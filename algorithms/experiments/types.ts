/**
 * What an algorithm's folder declares (in its AlgorithmDefinition's `experiments`) to take
 * part in the experiments. Nothing outside the folder names the algorithm: the CLI, the
 * trial workers and the experiments panel read these declarations from the registry.
 *
 * - `messageCost`: "crash the leader, have chosen nodes detect it, count the messages
 *   until the election is over" (algorithms/experiments/messages.ts runs it from the
 *   definition's `busy`, the model's `heartbeatTypes` and this declaration).
 * - `downtimeCdf`: an algorithm's own downtime experiment drawn as CDFs, one line per
 *   timeout range (Raft: Figure 16 of its paper); the folder runs the trials itself.
 * - The downtime-vs-network experiment needs no declaration beyond `heartbeatMs`.
 */
import type { Simulation } from '../sim/simulation';
import type { NodeId } from '../sim/types';

/** Who detects the crash: the lowest alive id, the highest, one at random, or every alive node. */
export type Initiators = 'lowest' | 'highest' | 'random' | 'all';
export const INITIATORS: readonly Initiators[] = ['lowest', 'highest', 'random', 'all'];

/** `election`: the election messages only (the textbooks' count); `all`: every message but heartbeats. */
export type MessageMetric = 'all' | 'election';

export interface MessageTheory {
  /** exact: every trial gives the formula; average: the mean over random rings / initiators. */
  kind: 'exact' | 'average';
  /** The formula as text, per metric. */
  text: Record<MessageMetric, string>;
  /** The expected count per trial for cluster size n (before the crash). */
  value(n: number, metric: MessageMetric): number;
  /**
   * The variance of one trial's count, where the theory knows it exactly (a uniformly
   * random initiator): the panel shows how far a mean of T trials may stray from `value`
   * by chance alone (about 2σ/√T).
   */
  variance?(n: number, metric: MessageMetric): number;
}

/** One curve the panel can draw: an algorithm (and variant) with a choice of initiators. */
export interface MessageSeriesSpec {
  /** Unique across algorithms; share links carry it. */
  id: string;
  label: string;
  /** A value of the declaration's `variants` (default: the first). */
  variant?: string;
  initiators: Initiators;
  theory: MessageTheory;
  /** Not ticked by default in the panel (a costly or secondary curve). */
  optional?: boolean;
}

/** A band drawn under the curves while one series is shown (a range the literature gives). */
export interface MessageBand {
  id: string;
  /** The series it belongs to: drawn when that series is, in its colour. */
  series: string;
  label(metric: MessageMetric): string;
  bounds(n: number, metric: MessageMetric): { lo: number; hi: number };
}

export interface MessageCostExperiment {
  /**
   * Params of a counting trial at a fixed one-way latency (ms): failure detection slow
   * enough that only the chosen initiators start elections, timeouts scaled to the latency.
   */
  params(latencyMs: number, variant: string | undefined): Record<string, unknown>;
  /** The algorithm's variants (the first is the default), when it has several. */
  variants?: readonly { id: string; label: string }[];
  /** The message type the `election` metric counts. */
  electionType: string;
  /**
   * The node ids of a cluster of size n, the panel's x-axis (default: 1..n). A folder
   * whose n counts only some of its nodes (workers beside services) adds the others
   * here, and says so in its series' labels.
   */
  nodeIds?(n: number): NodeId[];
  /**
   * The node that leads a settled cluster (default: the highest alive id): the trial
   * crashes it, and reports it as the new leader once the election is over.
   */
  leaderOf?(sim: Simulation): NodeId;
  /**
   * The election is over (default: every alive node names the highest alive id, nobody
   * is busy and only heartbeats are in flight). With it, `busy` is not needed.
   */
  settled?(sim: Simulation): boolean;
  /**
   * The message types the trial counts (default: every type but the model's heartbeats),
   * for a model with background traffic that is neither heartbeat nor election.
   */
  countedTypes?: readonly string[];
  /**
   * The algorithm notices the crash by itself (a session expires): no node is told, and
   * the series' `initiators` only name the case.
   */
  selfDetecting?: boolean;
  /**
   * For an algorithm whose nodes form a logical ring (`ringOrder`): a node's context from a
   * settled cluster, seated at its place in ring `order` instead. With it, every trial
   * forks one settled cluster (booted in order 1..n) and seats its nodes in the trial's
   * ring order, instead of booting a cluster of its own: this must change only what the
   * context knows of the ring, so that the election counted is the one a cluster booted
   * in that order runs. Without it, each trial boots its ring.
   */
  reseat?(context: unknown, order: readonly NodeId[]): unknown;
  series: readonly MessageSeriesSpec[];
  bands?: readonly MessageBand[];
  /** Sentences for the panel's "how the messages are counted" note. */
  notes?: readonly string[];
}

/** A timeout range, one line of a downtime CDF. */
export interface CdfLine {
  label: string;
  range: { min: number; max: number };
}

/** A number the paper reports, overlaid on its line. */
export interface PaperPoint {
  line: string;
  stat: 'median' | 'max' | 'mean';
  ms: number;
  text: string;
}

/** One trial of a downtime CDF experiment. */
export interface CdfTrial {
  /** ms from the crash to the new leader (the horizon when unresolved) */
  downtime: number;
  /** No leader within the horizon. */
  unresolved: boolean;
  /** Elections the recovery took (more than 1: a split vote or a lost election). */
  terms: number;
}

export interface DowntimeCdfExperiment {
  /** The panel's tab id; share links carry it (`tab`, and the tab's own parameters). */
  id: string;
  title: string;
  sub: string;
  intro: string;
  /** The graphs, each a set of lines (a line may be in several: it runs once). */
  groups: readonly { key: string; title: string; preset: string; lines: readonly CdfLine[] }[];
  /** The words of the form and the table. */
  words: {
    preset: string;
    ranges: string;
    rangesHint: string;
    trialsHint: string;
    /** The fixed setting of every trial (cluster, network), one sentence. */
    setting: string;
    rangeColumn: string;
    /** The column of trials that needed more than one election. */
    retriesColumn: string;
    customTitle: string;
  };
  paperPoints: readonly PaperPoint[];
  /** "Where the simulation differs from the paper, and why": a bold lead and a sentence each. */
  differences: readonly { lead: string; text: string }[];
  /** The horizon a trial waits for a leader, ms, for a range's maximum. */
  horizonMs(rangeMax: number): number;
  /** Trials [from, to) of a line: any split across workers gives the same numbers. */
  runChunk(
    range: { min: number; max: number },
    trials: number,
    seed: number,
    from: number,
    to: number,
  ): CdfTrial[];
}

/** A command of `npm run sim -- experiment <name>` that an algorithm's folder provides. */
export interface ExperimentCommand {
  name: string;
  /** Flag name -> kind (`int`, `number`, `range` like 150-300, `string`, `bool`). */
  flags: Record<string, 'int' | 'number' | 'range' | 'string' | 'bool'>;
  /** The usage line after `experiment <name>`. */
  usage: string;
  /**
   * Runs with the parsed flags; a RangeError's message names the bad flag (as "--name
   * ..."). Returns the JSON result and its human-readable lines.
   */
  run(flags: Record<string, unknown>): { json: unknown; lines: string[] };
}

export interface AlgorithmExperiments {
  messageCost?: MessageCostExperiment;
  /**
   * For the downtime-vs-network experiment's note: one sentence on the default timeouts
   * the algorithm keeps there and how it notices the crash.
   */
  downtimeNote?: string;
  downtimeCdf?: DowntimeCdfExperiment;
  commands?: readonly ExperimentCommand[];
}
