/**
 * Messages per election vs cluster size, for every algorithm that declares the
 * message-count experiment, with the closed forms from the literature overlaid.
 */
import { useEffect, useMemo } from 'react';
import { messageBands, messageNotes, messageSeries, seriesById } from '../../algorithms/index';
import { palette, type ChartSeries, type ChartSpec } from './chart';
import { experiments, useExperiments, type MessagesParams } from './params';
import {
  pageAllowance,
  messagesRunWorkers,
  startMessages,
  useRunResult,
  useRuns,
  type MessagesResult,
} from './runs';
import { calibrateMessages, messagesEstimateMs, useSpeed } from './estimate';
import { usePlayground } from '../store/store';
import { chanceMargin, messagesRows, messagesTrialRows, type MessagesRow } from './summaries';
import {
  Chart,
  CheckList,
  downloadCsv,
  ExperimentLayout,
  fmtDuration,
  fmtInt,
  isDark,
  ListField,
  NumberField,
  ResultsTable,
  RunBar,
  ScaleToggle,
  SeedField,
  Segmented,
} from './ui';

function parseNs(text: string): number[] | string {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return 'Enter at least one cluster size.';
  if (parts.length > 24) return 'At most 24 sizes.';
  const out: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < 4 || v > 64)
      return `"${p}": cluster sizes are whole numbers from 4 to 64.`;
    out.push(v);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

const SERIES = messageSeries();
const byId = new Map(SERIES.map((s, i) => [s.id, i]));

export function MessagesExperiment() {
  const params = useExperiments((s) => s.messages);
  const info = useRunResult<MessagesResult>('messages');
  const allowed = useRuns((s) => s.workers);
  // re-render when any measured speed changes
  useSpeed((s) => s.perSeries);
  useSpeed((s) => s.overhead);
  const source = useSpeed((s) => s.source);
  // the playground playing keeps a core: the estimate counts the workers left to the run
  usePlayground((s) => s.playing);
  const set = experiments.getState().setMessages;
  const total = params.series.length * params.ns.length * params.trials;
  useEffect(() => {
    // measure this machine once, after the form has been drawn, in every worker a run
    // may use now (while the playground plays, one core stays with its animation): it
    // also compiles their code while the form is read, so that a run's chunks (and the
    // speeds they measure for the next estimate) are not a cold worker's
    const id = window.setTimeout(
      () =>
        calibrateMessages(
          Math.min(allowed, pageAllowance()),
          experiments.getState().messages.series,
        ),
      50,
    );
    return () => window.clearTimeout(id);
  }, [allowed]);
  // a short run takes fewer workers than allowed (a new worker's first second is compiling)
  const workers = messagesRunWorkers(params, allowed);
  const estimate = messagesEstimateMs(params.series, params.ns, params.trials, workers);

  const result = info.result;
  const rows = useMemo(
    () => (result ? messagesRows(result, params.metric) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [result, info.rev, params.metric],
  );

  const form = (
    <>
      <CheckList
        label="Algorithms and who starts the election"
        options={SERIES}
        value={params.series}
        onChange={(series) => set({ series })}
        testid="msg-series"
      />
      <ListField<number>
        label="Cluster sizes n"
        value={params.ns}
        format={(v) => v.join(', ')}
        parse={parseNs}
        onChange={(ns) => set({ ns })}
        testid="msg-ns"
        hint="4 to 64; the top id crashes, m = n − 1 take part."
      />
      <NumberField
        label="Trials per point"
        value={params.trials}
        min={1}
        max={2000}
        onChange={(trials) => set({ trials })}
        testid="msg-trials"
        hint={`Random ring orders and initiators. ${
          estimate === null
            ? 'Measuring this machine…'
            : `About ${fmtDuration(Math.max(100, estimate))} on ${workers} worker${workers === 1 ? '' : 's'} (measured ${source === 'calibration' ? 'on this machine' : 'from runs on this machine'}).`
        }`}
      />
      <span hidden data-testid="msg-estimate-ms">
        {estimate === null ? '' : Math.round(estimate)}
      </span>
      <SeedField value={params.seed} onChange={(seed) => set({ seed })} testid="msg-seed" />
    </>
  );

  return (
    <ExperimentLayout formLabel="Message count parameters" form={form}>
      <RunBar tab="messages" run={() => void startMessages()} totalTrials={total} />
      <MessagesChart
        rows={rows}
        params={params}
        running={info.status === 'running'}
        planned={result?.params.series ?? []}
      />
      {rows.length > 0 && result && (
        <MessagesTable
          rows={rows}
          metric={params.metric}
          onCsv={() =>
            downloadCsv(
              'messages-summary.csv',
              rows.map((r) => ({
                series: r.series,
                n: r.n,
                metric: params.metric,
                trials: r.trials,
                mean: r.mean,
                min: r.min,
                max: r.max,
                theory: r.theory,
                theory_kind: r.kind,
              })),
            )
          }
          onTrialsCsv={() => downloadCsv('messages-trials.csv', messagesTrialRows(result))}
        />
      )}
      <section className="xp-note">
        <h3>How the messages are counted</h3>
        <ul>
          <li>
            Each trial lets the first election settle, crashes the leader (the top id) and has the
            chosen nodes detect it at that moment; it counts every message until every node names
            the new leader, heartbeats excluded. The network is loss-free with a fixed 10 ms
            latency. Algorithms whose nodes do not form a ring settle once per size and seed, and
            every trial starts from that settled cluster with its own seed.
          </li>
          <li>
            <b>All messages</b> counts every message of the election; <b>election only</b> counts
            the election messages themselves, the textbooks’ count for ring algorithms.
          </li>
          <li>
            Dashed: the theory. Where a series picks its initiator at random, a mean of a few trials
            strays from its curve by chance; the shaded band around such a curve is where 95% of
            such means fall for this many trials, and the table marks only means outside it.
          </li>
          {messageNotes().map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </section>
    </ExperimentLayout>
  );
}

function MessagesChart({
  rows,
  params,
  running,
  planned,
}: {
  rows: MessagesRow[];
  params: MessagesParams;
  /** Partial results: a redraw moves the points and curves and keeps the frame. */
  running: boolean;
  /** The series the run measures (all of them are drawn while it runs). */
  planned: readonly string[];
}) {
  const set = experiments.getState().setMessages;
  const spec = useMemo((): ChartSpec | null => {
    if (rows.length === 0) return null;
    const colors = palette(isDark());
    const series: ChartSeries[] = [];
    // while a run goes on, every series it measures from the start (its theory, band and
    // legend entry; its points as they come), so a redraw of partial results keeps the frame
    const ids = SERIES.map((s) => s.id).filter(
      (id) => rows.some((r) => r.series === id) || (running && planned.includes(id)),
    );
    // a series keeps its declared colour unless it would share it with another drawn series
    // (more series are declared than the palette has colours): then the next free one
    const taken = new Map<string, string>();
    for (const id of ids) {
      const used = new Set(taken.values());
      let k = byId.get(id)! % colors.length;
      for (let tries = 0; used.has(colors[k]) && tries < colors.length; tries++)
        k = (k + 1) % colors.length;
      taken.set(id, colors[k]);
    }
    const colorOf = (id: string) => taken.get(id) ?? colors[byId.get(id)! % colors.length];
    const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
    const lo = ns[0];
    const hi = ns[ns.length - 1];
    const dense: number[] = [];
    for (let n = lo; n <= hi; n++) dense.push(n);
    for (const band of messageBands()) {
      if (!ids.includes(band.series)) continue;
      const b = dense.map((n) => band.bounds(n, params.metric));
      series.push({
        id: band.id,
        label: band.label(params.metric),
        color: colorOf(band.series),
        points: dense.map((n, i) => ({ x: n, y: b[i].lo })),
        upper: dense.map((n, i) => ({ x: n, y: b[i].hi })),
        opacity: 0.13,
        hover: false,
      });
    }
    for (const id of ids) {
      const s = seriesById(id)!;
      const color = colorOf(id);
      const mine = rows.filter((r) => r.series === id);
      const trials = mine.length > 0 ? Math.min(...mine.map((r) => r.trials)) : 0;
      const variance = s.theory.variance;
      if (variance && trials > 0) {
        // where 95% of means of this many trials fall by chance alone (two standard errors)
        const half = (n: number) => chanceMargin(variance(n, params.metric), trials);
        series.push({
          id: `${id}-chance`,
          label: `${s.label}: 95% of ${fmtInt(trials)}-trial means`,
          color,
          points: dense.map((n) => ({
            x: n,
            y: Math.max(0.5, s.theory.value(n, params.metric) - half(n)),
          })),
          upper: dense.map((n) => ({ x: n, y: s.theory.value(n, params.metric) + half(n) })),
          opacity: 0.1,
          hover: false,
          legend: false,
        });
      }
      series.push({
        id: `${id}-theory`,
        label: `${s.label}: theory`,
        color,
        dash: '7 5',
        width: 2,
        legend: false,
        points: dense.map((n) => ({ x: n, y: s.theory.value(n, params.metric) })),
        hover: true,
      });
      series.push({
        id,
        label: s.label,
        color,
        markers: true,
        points: mine.map((r) => ({ x: r.n, y: r.mean })),
        whiskers: mine.filter((r) => r.max > r.min).map((r) => ({ x: r.n, lo: r.min, hi: r.max })),
      });
    }
    const log = params.scale === 'log';
    return {
      title: `Messages per election (${params.metric === 'all' ? 'all messages' : 'election messages only'})`,
      xLabel: 'Cluster size n (nodes before the leader crashes)',
      yLabel: params.metric === 'all' ? 'Messages per election' : 'Election messages per election',
      xScale: log ? 'log' : 'linear',
      yScale: log ? 'log' : 'linear',
      xLog2: log,
      xDomain: log ? [lo, hi] : [0, hi],
      // the sizes measured, when they fit
      xTickValues: ns.length <= 10 ? ns : undefined,
      series,
      legendNote: [
        '● measured mean, bars: min to max',
        '- - - theory, same colour; shaded: where 95% of means fall by chance',
      ],
      draft: running,
    };
  }, [rows, params.metric, params.scale, running, planned]);

  const toolbar = (
    <>
      <Segmented
        label="Count"
        value={params.metric}
        options={[
          { value: 'all', label: 'all messages' },
          { value: 'election', label: 'election messages only' },
        ]}
        onChange={(metric) => set({ metric })}
        testid="msg-metric"
      />
      <ScaleToggle
        label="Axes"
        value={params.scale}
        onChange={(scale) => set({ scale })}
        testid="msg-scale"
      />
    </>
  );
  return (
    <Chart
      spec={spec}
      height={430}
      fileBase={`messages-${params.metric}`}
      testid="msg-chart"
      toolbar={toolbar}
      hoverText={(label, x, y) =>
        label.endsWith(': theory')
          ? `${label} at n = ${x}: ${y.toFixed(y < 100 ? 1 : 0)} messages`
          : `${label}, n = ${x}: ${y.toFixed(1)} messages on average`
      }
    />
  );
}

function MessagesTable(props: {
  rows: MessagesRow[];
  metric: 'all' | 'election';
  onCsv(): void;
  onTrialsCsv(): void;
}) {
  return (
    <ResultsTable
      title={`Messages per election (${props.metric === 'all' ? 'all messages' : 'election messages only'})`}
      columns={['Series', 'n', 'Trials', 'Mean', 'Min–max', 'Theory', 'Measured / theory']}
      onCsv={props.onCsv}
      onTrialsCsv={props.onTrialsCsv}
    >
      {props.rows.map((r) => {
        const s = seriesById(r.series)!;
        return (
          <tr key={`${r.series}-${r.n}`}>
            <th scope="row">{r.label}</th>
            <td>{r.n}</td>
            <td>{fmtInt(r.trials)}</td>
            <td>{r.mean.toFixed(1)}</td>
            <td>
              {fmtInt(r.min)}–{fmtInt(r.max)}
            </td>
            <td
              title={`${s.theory.kind === 'exact' ? 'exact' : 'average'}: ${s.theory.text[props.metric]}`}
            >
              {r.theory.toFixed(r.theory < 100 && !Number.isInteger(r.theory) ? 1 : 0)}{' '}
              <span className="muted">
                {s.theory.kind === 'exact' ? '=' : '≈'} {s.theory.text[props.metric]}
              </span>
            </td>
            <td
              className={r.unexplained ? 'xp-off' : undefined}
              title={
                r.chance > 0
                  ? `By chance alone a mean of ${fmtInt(r.trials)} trials falls within ±${(r.chance * 100).toFixed(0)}% of the theory 95% of the time`
                  : undefined
              }
            >
              {r.off >= 0 ? '+' : '−'}
              {Math.abs(r.off * 100).toFixed(1)}%
              {r.chance > 0 && (
                <span className="muted"> (±{(r.chance * 100).toFixed(0)}% by chance)</span>
              )}
            </td>
          </tr>
        );
      })}
    </ResultsTable>
  );
}
