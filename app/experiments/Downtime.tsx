/**
 * Downtime after a leader crash vs network conditions, side by side for every algorithm
 * that declares how often its leader speaks (`heartbeatMs`).
 */
import { useMemo } from 'react';
import { DOWNTIME_HORIZON_MS, downtimeLabel, registry } from '../../algorithms/index';
import { palette, type ChartSeries, type ChartSpec } from './chart';
import {
  DOWNTIME_ALGORITHMS,
  DOWNTIME_AXIS_DEFAULTS,
  experiments,
  useExperiments,
  type DowntimeParams,
} from './params';
import { startDowntime, useRunResult, type DowntimeResult } from './runs';
import { downtimeRows, downtimeTrialRows, type DowntimeRow } from './summaries';
import {
  Chart,
  CheckList,
  downloadCsv,
  ExperimentLayout,
  fmtInt,
  fmtTrials,
  isDark,
  ListField,
  NumberField,
  ResultsTable,
  RunBar,
  ScaleToggle,
  SeedField,
  Segmented,
} from './ui';

const ALGOS = DOWNTIME_ALGORITHMS.map((id) => ({ id, label: downtimeLabel(id) }));

const STAT_LABEL = {
  p50: 'median',
  mean: 'mean',
  p90: '90th percentile',
  p99: '99th percentile',
} as const;

function parseValues(axis: DowntimeParams['axis']) {
  return (text: string): number[] | string => {
    const parts = text
      .split(/[,;\s]+/)
      .map((p) => p.trim().replace(/%$/, ''))
      .filter(Boolean);
    if (parts.length === 0) return 'Enter at least one value.';
    if (parts.length > 16) return 'At most 16 values.';
    const out: number[] = [];
    for (const p of parts) {
      const v = Number(p);
      if (!Number.isFinite(v)) return `"${p}" is not a number.`;
      if (axis === 'loss' && (v < 0 || v > 90)) return `"${p}": loss from 0 to 90 %.`;
      if (axis === 'latency' && (v < 0 || v > 2000)) return `"${p}": latency from 0 to 2000 ms.`;
      out.push(v);
    }
    return [...new Set(out)].sort((a, b) => a - b);
  };
}

export function DowntimeExperiment() {
  const params = useExperiments((s) => s.downtime);
  const info = useRunResult<DowntimeResult>('downtime');
  const set = experiments.getState().setDowntime;
  const total = params.algorithms.length * params.values.length * params.trials;
  const result = info.result;
  const rows = useMemo(
    () => (result ? downtimeRows(result) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [result, info.rev],
  );
  const unit = params.axis === 'loss' ? '%' : 'ms';

  const form = (
    <>
      <Segmented
        label="Vary"
        value={params.axis}
        options={[
          { value: 'loss', label: 'message loss' },
          { value: 'latency', label: 'latency' },
        ]}
        onChange={(axis) => set({ axis, values: DOWNTIME_AXIS_DEFAULTS[axis] })}
        testid="dt-axis"
      />
      <ListField<number>
        label={params.axis === 'loss' ? 'Loss rates (%)' : 'Mean one-way latencies (ms)'}
        value={params.values}
        format={(v) => v.join(', ')}
        parse={parseValues(params.axis)}
        onChange={(values) => set({ values })}
        testid="dt-values"
        hint={
          params.axis === 'loss'
            ? 'Every message, heartbeats too; latency 5–15 ms.'
            : 'Latency L is uniform in L/2 … 3L/2; no loss.'
        }
      />
      <CheckList
        label="Algorithms"
        options={ALGOS}
        value={params.algorithms}
        onChange={(algorithms) => set({ algorithms })}
        testid="dt-algorithms"
      />
      <NumberField
        label="Nodes"
        value={params.nodes}
        min={3}
        max={64}
        onChange={(nodes) => set({ nodes })}
        testid="dt-nodes"
      />
      <NumberField
        label="Trials per point"
        value={params.trials}
        min={1}
        max={5000}
        onChange={(trials) => set({ trials })}
        testid="dt-trials"
      />
      <SeedField value={params.seed} onChange={(seed) => set({ seed })} testid="dt-seed" />
    </>
  );

  return (
    <ExperimentLayout formLabel="Downtime parameters" form={form}>
      <RunBar tab="downtime" run={() => void startDowntime()} totalTrials={total} />
      <DowntimeChart rows={rows} params={params} unit={unit} running={info.status === 'running'} />
      {rows.length > 0 && result && (
        <DowntimeTable
          rows={rows}
          axis={params.axis}
          onCsv={() =>
            downloadCsv(
              'downtime-summary.csv',
              rows.map((r) => ({
                algorithm: r.algorithm,
                [params.axis === 'loss' ? 'loss_pct' : 'latency_ms']: r.value,
                trials: r.trials,
                p50_ms: r.p50,
                mean_ms: r.mean,
                p90_ms: r.p90,
                p99_ms: r.p99,
                max_ms: r.max,
                unresolved: r.unresolved,
                storms: r.storms,
              })),
            )
          }
          onTrialsCsv={() => downloadCsv('downtime-trials.csv', downtimeTrialRows(result))}
        />
      )}
      <section className="xp-note">
        <h3>What is measured</h3>
        <ul>
          <li>
            Each trial lets a leader settle, crashes it at a random moment within a heartbeat
            interval and measures the time until another node leads. Every algorithm keeps its
            default timeouts, so the chart shows what timeouts tuned for a 5–15 ms network cost when
            the network changes.
          </li>
          {DOWNTIME_ALGORITHMS.map((a) => registry[a].experiments?.downtimeNote)
            .filter((n): n is string => !!n)
            .map((n) => (
              <li key={n}>{n}</li>
            ))}
          <li>
            Trials with no new leader within {fmtInt(DOWNTIME_HORIZON_MS / 1000)} s count at that
            horizon; trials that fall into a message storm (over 2,000 events per node) are stopped
            and counted the same way.
          </li>
        </ul>
      </section>
    </ExperimentLayout>
  );
}

/** An algorithm's colour: its place in the list, so it keeps it whatever is ticked. */
const colorIndex = (id: string) => Math.max(0, DOWNTIME_ALGORITHMS.indexOf(id));

function DowntimeChart({
  rows,
  params,
  unit,
  running,
}: {
  rows: DowntimeRow[];
  params: DowntimeParams;
  unit: string;
  /** Partial results: a redraw moves the points and keeps the frame. */
  running: boolean;
}) {
  const set = experiments.getState().setDowntime;
  const spec = useMemo((): ChartSpec | null => {
    if (rows.length === 0) return null;
    const colors = palette(isDark());
    const series: ChartSeries[] = ALGOS.filter((a) => rows.some((r) => r.algorithm === a.id)).map(
      (a) => ({
        id: a.id,
        label: a.label,
        color: colors[colorIndex(a.id) % colors.length],
        markers: true,
        points: rows
          .filter((r) => r.algorithm === a.id)
          .map((r) => ({ x: r.value, y: r[params.stat] })),
      }),
    );
    const xs = rows.map((r) => r.value);
    const log = params.scale === 'log';
    return {
      title: `Time without a leader after a crash (${STAT_LABEL[params.stat]}) vs ${params.axis === 'loss' ? 'message loss' : 'latency'}`,
      xLabel: params.axis === 'loss' ? 'Messages lost (%)' : 'Mean one-way latency (ms)',
      yLabel: `Downtime, ${STAT_LABEL[params.stat]} (ms)`,
      xScale: 'linear',
      yScale: log ? 'log' : 'linear',
      xDomain: [Math.min(0, ...xs), Math.max(...xs) || 1],
      series,
      legendNote: [`${params.nodes} nodes, ${fmtInt(rows[0].of)} trials per point`],
      draft: running,
    };
  }, [rows, params.stat, params.scale, params.axis, params.nodes, running]);

  const toolbar = (
    <>
      <Segmented
        label="Statistic"
        value={params.stat}
        options={[
          { value: 'p50', label: 'median' },
          { value: 'mean', label: 'mean' },
          { value: 'p90', label: 'p90' },
          { value: 'p99', label: 'p99' },
        ]}
        onChange={(stat) => set({ stat })}
        testid="dt-stat"
      />
      <ScaleToggle
        label="Downtime axis"
        value={params.scale}
        onChange={(scale) => set({ scale })}
      />
    </>
  );
  return (
    <Chart
      spec={spec}
      height={400}
      fileBase={`downtime-vs-${params.axis}`}
      testid="dt-chart"
      toolbar={toolbar}
      hoverText={(label, x, y) =>
        `${label} at ${x}${unit === '%' ? '%' : ' ms'}: ${STAT_LABEL[params.stat]} ${y.toFixed(0)} ms`
      }
    />
  );
}

function DowntimeTable(props: {
  rows: DowntimeRow[];
  axis: DowntimeParams['axis'];
  onCsv(): void;
  onTrialsCsv(): void;
}) {
  const label = (a: string) => ALGOS.find((x) => x.id === a)?.label ?? a;
  return (
    <ResultsTable
      title="Downtime after a leader crash (ms)"
      columns={[
        'Algorithm',
        props.axis === 'loss' ? 'Loss' : 'Latency',
        'Trials',
        'Median',
        'Mean',
        'p90',
        'p99',
        'Worst',
        'No leader',
      ]}
      onCsv={props.onCsv}
      onTrialsCsv={props.onTrialsCsv}
    >
      {props.rows.map((r) => (
        <tr key={`${r.algorithm}-${r.value}`}>
          <th scope="row">{label(r.algorithm)}</th>
          <td>{props.axis === 'loss' ? `${r.value}%` : `${r.value} ms`}</td>
          <td>{fmtTrials(r)}</td>
          <td>{r.p50.toFixed(0)}</td>
          <td>{r.mean.toFixed(0)}</td>
          <td>{r.p90.toFixed(0)}</td>
          <td>{r.p99.toFixed(0)}</td>
          <td>{r.max.toFixed(0)}</td>
          <td className={r.unresolved ? 'xp-off' : undefined}>
            {r.unresolved
              ? `${fmtInt(r.unresolved)}${r.storms ? ` (${fmtInt(r.storms)} storms)` : ''}`
              : '0'}
          </td>
        </tr>
      ))}
    </ResultsTable>
  );
}
