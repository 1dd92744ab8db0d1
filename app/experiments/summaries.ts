/**
 * Tables, chart series and CSV rows from (possibly partial) run results. Summary
 * statistics come from algorithms/experiments, the same code as the CLI.
 */
import {
  cdf,
  seriesById,
  summarizeCdf,
  summarizeDowntime,
  type CdfSummary,
  type DowntimeResult as DowntimeSummary,
  type MessageMetric,
  type PaperPoint,
} from '../../algorithms/index';
import type { CdfResult, DowntimeResult, MessagesResult } from './runs';
import type { CdfTrialOut } from './worker';

const present = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

// ---- downtime CDFs (Figure 16) ----------------------------------------------------------

export interface Fig16Row extends CdfSummary {
  label: string;
  timeoutMin: number;
  timeoutMax: number;
  of: number;
}

/**
 * Partial results are redrawn about once a second while a run goes on: a line whose
 * trials have not changed since the last redraw reuses its row and its CDF (sorting a
 * thousand trials per line on every redraw is main-thread time the page needs for frames).
 */
const lineCache = new WeakMap<
  (CdfTrialOut | undefined)[],
  { filled: number; row?: Fig16Row; cdf?: { x: number; y: number }[] }
>();

function cached(trials: (CdfTrialOut | undefined)[]) {
  let filled = 0;
  for (const t of trials) if (t !== undefined) filled++;
  let c = lineCache.get(trials);
  if (!c || c.filled !== filled) {
    c = { filled };
    lineCache.set(trials, c);
  }
  return c;
}

export function fig16Rows(r: CdfResult): Fig16Row[] {
  return r.lines
    .map((l) => {
      const c = cached(l.trials);
      if (c.filled === 0) return null;
      c.row ??= {
        label: l.label,
        timeoutMin: l.min,
        timeoutMax: l.max,
        of: l.trials.length,
        ...summarizeCdf(present(l.trials)),
      };
      return c.row;
    })
    .filter((x): x is Fig16Row => x !== null);
}

/** Points drawn per CDF at most: more than a chart has pixels across adds nothing. */
const CDF_POINTS = 300;

/**
 * The CDF as chart points (percent of trials with a leader by then), thinned to at most
 * CDF_POINTS real trial points (always keeping the last), so that live redraws stay cheap.
 */
export function fig16Cdf(trials: (CdfTrialOut | undefined)[]): { x: number; y: number }[] {
  const c = cached(trials);
  c.cdf ??= cdfPoints(trials);
  return c.cdf;
}

function cdfPoints(trials: (CdfTrialOut | undefined)[]): { x: number; y: number }[] {
  const ts = present(trials);
  if (ts.length === 0) return [];
  const all = cdf(ts);
  const step = Math.ceil(all.length / CDF_POINTS);
  const pts: { x: number; y: number }[] = [];
  for (let i = step - 1; i < all.length; i += step) pts.push({ x: all[i].ms, y: all[i].p * 100 });
  const last = all[all.length - 1];
  if (pts[pts.length - 1]?.x !== last.ms || pts[pts.length - 1]?.y !== 100)
    pts.push({ x: last.ms, y: 100 });
  // start the step at 0% at the first trial
  return [{ x: all[0].ms, y: 0 }, ...pts];
}

export interface PaperComparison {
  line: string;
  stat: string;
  paper: number;
  ours: number | null;
  text: string;
}

export function paperComparisons(
  rows: Fig16Row[],
  points: readonly PaperPoint[],
): PaperComparison[] {
  return points.map((p) => {
    const row = rows.find((r) => r.label === p.line);
    const ours = row
      ? p.stat === 'median'
        ? row.p50
        : p.stat === 'max'
          ? row.max
          : row.mean
      : null;
    return { line: p.line, stat: p.stat, paper: p.ms, ours, text: p.text };
  });
}

// ---- messages -------------------------------------------------------------------------

export interface MessagesRow {
  series: string;
  label: string;
  n: number;
  trials: number;
  mean: number;
  min: number;
  max: number;
  theory: number;
  kind: 'exact' | 'average';
  /** measured / theory - 1 */
  off: number;
  /**
   * How far (as a share of the theory) the mean of this many trials may stray from it by
   * chance alone: two standard errors of the exact per-trial spread (about 95% of runs);
   * 0 where every trial gives the formula or the spread is not known.
   */
  chance: number;
  /** Further from the theory than chance explains (or, without a known spread, by over 10%). */
  unexplained: boolean;
}

/** Two standard errors of the mean of `trials` trials, in messages (0 when not known). */
export function chanceMargin(variance: number | undefined, trials: number): number {
  return variance === undefined || variance <= 0 || trials < 1
    ? 0
    : 2 * Math.sqrt(variance / trials);
}

export function messagesRows(r: MessagesResult, metric: MessageMetric): MessagesRow[] {
  const out: MessagesRow[] = [];
  for (const p of r.points) {
    const ts = present(p.trials);
    if (ts.length === 0) continue;
    const s = seriesById(p.series)!;
    const v = ts.map((t) => (metric === 'all' ? t.total : t.election));
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const theory = s.theory.value(p.n, metric);
    const margin = chanceMargin(s.theory.variance?.(p.n, metric), ts.length);
    const off = theory > 0 ? mean / theory - 1 : 0;
    // exact series may sit a message or two above (the hop lost to the crashed node)
    const slack = s.theory.kind === 'exact' ? 2 : 0;
    out.push({
      series: s.id,
      label: s.label,
      n: p.n,
      trials: ts.length,
      mean,
      min: Math.min(...v),
      max: Math.max(...v),
      theory,
      kind: s.theory.kind,
      off,
      chance: theory > 0 ? margin / theory : 0,
      unexplained:
        margin > 0
          ? Math.abs(mean - theory) > margin + slack
          : Math.abs(mean - theory) > slack && Math.abs(off) > 0.1,
    });
  }
  return out;
}

// ---- downtime -------------------------------------------------------------------------

export interface DowntimeRow extends DowntimeSummary {
  algorithm: string;
  value: number;
  of: number;
}

export function downtimeRows(r: DowntimeResult): DowntimeRow[] {
  const out: DowntimeRow[] = [];
  for (const p of r.points) {
    const ts = present(p.trials);
    if (ts.length === 0) continue;
    out.push({
      algorithm: p.algorithm,
      value: p.value,
      of: p.trials.length,
      ...summarizeDowntime(ts.map((t) => ({ ...t, storm: t.storm ? (true as const) : undefined }))),
    });
  }
  return out;
}

// ---- CSV ------------------------------------------------------------------------------

export function fig16TrialRows(r: CdfResult): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const l of r.lines)
    l.trials.forEach((t, i) => {
      if (t)
        out.push({
          line: l.label,
          timeout_min_ms: l.min,
          timeout_max_ms: l.max,
          trial: i,
          downtime_ms: t.downtime,
          terms: Number.isFinite(t.terms) ? t.terms : '',
          unresolved: t.unresolved,
        });
    });
  return out;
}

export function messagesTrialRows(r: MessagesResult): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const p of r.points)
    p.trials.forEach((t, i) => {
      if (t)
        out.push({
          series: p.series,
          n: p.n,
          trial: i,
          messages_all: t.total,
          messages_election: t.election,
        });
    });
  return out;
}

export function downtimeTrialRows(r: DowntimeResult): Record<string, unknown>[] {
  const axis = r.params.axis === 'loss' ? 'loss_pct' : 'latency_ms';
  const out: Record<string, unknown>[] = [];
  for (const p of r.points)
    p.trials.forEach((t, i) => {
      if (t)
        out.push({
          algorithm: p.algorithm,
          [axis]: p.value,
          trial: i,
          downtime_ms: t.downtime,
          unresolved: t.unresolved,
          storm: t.storm,
        });
    });
  return out;
}
