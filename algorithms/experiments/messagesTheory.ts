/**
 * The message-count series the experiments panel can draw, gathered from the
 * definitions' `experiments.messageCost` declarations (each algorithm's folder holds its
 * closed forms), and the helpers that compare a run with them.
 */
import { messageCostAlgorithms, type MessagesOptions } from './messages';
import type { MessageBand, MessageMetric, MessageSeriesSpec } from './types';

export type { MessageMetric };

export interface MessageSeries extends MessageSeriesSpec {
  /** The algorithm that declares it. */
  algorithm: string;
  /** The options of its trials (without size, trials and seed). */
  opts: Pick<MessagesOptions, 'algorithm' | 'variant' | 'initiators'>;
  /** The message type of the `election` metric. */
  electionType: string;
}

let cache: MessageSeries[] | null = null;

/** Every declared series, in registry order (ids are unique across algorithms). */
export function messageSeries(): MessageSeries[] {
  if (cache === null) {
    cache = messageCostAlgorithms().flatMap((a) => {
      const x = a.experiments.messageCost;
      return x.series.map((s) => ({
        ...s,
        algorithm: a.name,
        opts: {
          algorithm: a.name,
          ...(s.variant !== undefined ? { variant: s.variant } : {}),
          initiators: s.initiators,
        },
        electionType: x.electionType,
      }));
    });
    const ids = cache.map((s) => s.id);
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup) throw new Error(`two message series have the id "${dup}"`);
  }
  return cache;
}

/** The series with this id, or undefined. */
export function seriesById(id: string): MessageSeries | undefined {
  return messageSeries().find((s) => s.id === id);
}

/** Every declared band (a range from the literature drawn with its series). */
export function messageBands(): MessageBand[] {
  return messageCostAlgorithms().flatMap((a) => a.experiments.messageCost.bands ?? []);
}

/** The sentences each algorithm adds to the panel's note on how messages are counted. */
export function messageNotes(): string[] {
  return messageCostAlgorithms().flatMap((a) => a.experiments.messageCost.notes ?? []);
}

/** The count of one trial under a metric (`electionType`: the series' election message). */
export function metricOf(
  t: { total: number; byType: Record<string, number> },
  metric: MessageMetric,
  electionType: string,
): number {
  return metric === 'all' ? t.total : (t.byType[electionType] ?? 0);
}
