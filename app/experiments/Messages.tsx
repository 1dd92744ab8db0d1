/** Messages per election vs cluster size, Bully and Ring, with the textbook curves overlaid. */
import { useMemo } from 'react';
import { MESSAGE_SERIES, changRobertsBounds } from '../../algorithms/index';
import { palette, type ChartSeries, type ChartSpec } from './chart';
import { experiments, useExperiments, type MessagesParams } from './params';
import { startMessages, useRuns } from './runs';
import { messagesRows, messagesTrialRows, type MessagesRow } from './summaries';
import {
  Chart,
  CheckList,
  downloadCsv,
  ExperimentLayout,
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

/** Rough cost of one trial in ms at size n (for the "this will take" hint). */
function trialCost(id: string, n: number): number {
  const q = (n * n) / 4096;
  if (id === 'ci-all') return 4 + 540 * q;
  if (id.startsWith('bully')) return 2 + 200 * q;
  return 2 + 30 * q;
}

const byId = new Map(MESSAGE_SERIES.map((s, i) => [s.id, i]));

export function MessagesExperiment() {
  const params = useExperiments((s) => s.messages);
  const info = useRuns((s) => s.messages);
  const workers = useRuns((s) => s.workers);
  const set = experiments.getState().setMessages;
  const total = params.series.length * params.ns.length * params.trials;
  const estimate =
    (params.series.reduce((s, id) => s + params.ns.reduce((t, n) => t + trialCost(id, n), 0), 0) *
      params.trials) /
    Math.max(1, workers);

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
        options={MESSAGE_SERIES}
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
        hint={`Random ring orders and initiators. Roughly ${estimate < 1500 ? '1 s' : `${Math.round(estimate / 1000)} s`} on an idle machine.`}
      />
      <SeedField value={params.seed} onChange={(seed) => set({ seed })} testid="msg-seed" />
    </>
  );

  return (
    <ExperimentLayout formLabel="Message count parameters" form={form}>
      <RunBar tab="messages" run={() => void startMessages()} totalTrials={total} />
      <MessagesChart rows={rows} params={params} />
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
            Each trial lays ids 1..n out in a random ring order, lets the first election settle,
            crashes the leader (the top id) and has the chosen nodes detect it at that moment; it
            counts every message until every node names the new leader, heartbeats excluded. The
            network is loss-free with a fixed 10 ms latency.
          </li>
          <li>
            <b>All messages</b> counts ANSWER, COORDINATOR / ELECTED and Ring’s ACKs (every hop is
            acknowledged, so Ring’s theory doubles). <b>ELECTION only</b> is the textbooks’ count
            for Chang-Roberts.
          </li>
          <li>
            Ring counts may sit one or two above the curve: the hop lost to the crashed node before
            its predecessor skips it is not in the formulas.
          </li>
        </ul>
      </section>
    </ExperimentLayout>
  );
}

function MessagesChart({ rows, params }: { rows: MessagesRow[]; params: MessagesParams }) {
  const set = experiments.getState().setMessages;
  const spec = useMemo((): ChartSpec | null => {
    if (rows.length === 0) return null;
    const colors = palette(isDark());
    const series: ChartSeries[] = [];
    const ids = MESSAGE_SERIES.map((s) => s.id).filter((id) => rows.some((r) => r.series === id));
    const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
    const lo = ns[0];
    const hi = ns[ns.length - 1];
    const dense: number[] = [];
    for (let n = lo; n <= hi; n++) dense.push(n);
    if (ids.includes('cr-all')) {
      const b = dense.map((n) => changRobertsBounds(n, params.metric));
      series.push({
        id: 'cr-bounds',
        label:
          params.metric === 'election'
            ? 'Chang-Roberts range: best 2m−1 to worst m(m+1)/2'
            : 'Chang-Roberts range: best to worst case, with ACKs',
        color: colors[byId.get('cr-all')! % colors.length],
        points: dense.map((n, i) => ({ x: n, y: b[i].best })),
        upper: dense.map((n, i) => ({ x: n, y: b[i].worst })),
        opacity: 0.13,
        hover: false,
      });
    }
    for (const id of ids) {
      const s = MESSAGE_SERIES.find((x) => x.id === id)!;
      const color = colors[byId.get(id)! % colors.length];
      const mine = rows.filter((r) => r.series === id);
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
      title: `Messages per election (${params.metric === 'all' ? 'all messages' : 'ELECTION only'})`,
      xLabel: 'Cluster size n (nodes before the leader crashes)',
      yLabel: params.metric === 'all' ? 'Messages per election' : 'ELECTION messages per election',
      xScale: log ? 'log' : 'linear',
      yScale: log ? 'log' : 'linear',
      xLog2: log,
      xDomain: log ? [lo, hi] : [0, hi],
      // the sizes measured, when they fit
      xTickValues: ns.length <= 10 ? ns : undefined,
      series,
      legendNote: ['● measured mean, bars: min to max', '- - - theory, same colour'],
    };
  }, [rows, params.metric, params.scale]);

  const toolbar = (
    <>
      <Segmented
        label="Count"
        value={params.metric}
        options={[
          { value: 'all', label: 'all messages' },
          { value: 'election', label: 'ELECTION only' },
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
      title={`Messages per election (${props.metric === 'all' ? 'all messages' : 'ELECTION only'})`}
      columns={['Series', 'n', 'Trials', 'Mean', 'Min–max', 'Theory', 'Measured / theory']}
      onCsv={props.onCsv}
      onTrialsCsv={props.onTrialsCsv}
    >
      {props.rows.map((r) => {
        const s = MESSAGE_SERIES.find((x) => x.id === r.series)!;
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
            <td className={Math.abs(r.off) > 0.1 ? 'xp-off' : undefined}>
              {r.off >= 0 ? '+' : '−'}
              {Math.abs(r.off * 100).toFixed(1)}%
            </td>
          </tr>
        );
      })}
    </ResultsTable>
  );
}
