/**
 * Downtime CDF experiments (Raft's Figure 16): the ones the definitions declare, and the
 * summaries the panel and the CLI draw from any of them.
 */
import { algorithms } from '../registry';
import { downtimeStats, type DowntimeStats } from './stats';
import type { CdfTrial, DowntimeCdfExperiment } from './types';

/** Every declared downtime CDF experiment with its algorithm, in registry order. */
export function downtimeCdfExperiments(): {
  algorithm: string;
  experiment: DowntimeCdfExperiment;
}[] {
  return algorithms
    .filter((a) => !a.testOnly && a.experiments?.downtimeCdf)
    .map((a) => ({ algorithm: a.name, experiment: a.experiments!.downtimeCdf! }));
}

/** The declared experiment whose tab id is `id`. */
export function downtimeCdfOf(id: string): DowntimeCdfExperiment | undefined {
  return downtimeCdfExperiments().find((x) => x.experiment.id === id)?.experiment;
}

export interface CdfSummary extends DowntimeStats {
  /** Trials that needed more than one election (a split vote or a lost election). */
  retries: number;
  /** Trials with no leader within the horizon (counted at the horizon). */
  unresolved: number;
}

export function summarizeCdf(trials: readonly CdfTrial[]): CdfSummary {
  return {
    ...downtimeStats(trials),
    retries: trials.filter((t) => t.terms > 1).length,
    unresolved: trials.filter((t) => t.unresolved).length,
  };
}

/** Empirical CDF points (downtime ms, fraction of trials at or below). */
export function cdf(trials: readonly { downtime: number }[]): { ms: number; p: number }[] {
  const d = trials.map((t) => t.downtime).sort((a, b) => a - b);
  return d.map((ms, i) => ({ ms, p: (i + 1) / d.length }));
}
