/** Raft downtime after a leader crash: Figure 16 of the extended Raft paper, reproduced in Web Workers. */
import { useMemo, useState } from 'react';
import { FIG16_BOTTOM, FIG16_NETWORK, FIG16_TOP, PAPER_POINTS } from '../../algorithms/index';
import { horizonMs } from '../../algorithms/index';
import { palette, type ChartAnnotation, type ChartSpec, type ScaleKind } from './chart';
import { FIG16_PRESETS, useExperiments, experiments, type Fig16Preset } from './params';
import { startFig16, useRuns } from './runs';
import { fig16Cdf, fig16Rows, fig16TrialRows, paperComparisons, type Fig16Row } from './summaries';
import {
  Chart,
  downloadCsv,
  EmptyChart,
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
} from './ui';

type Range = [number, number];

const fmtRanges = (ls: Range[]) => ls.map(([a, b]) => `${a}-${b}`).join(', ');

function parseRanges(text: string): Range[] | string {
  const parts = text
    .split(/[,;\n]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return 'Enter at least one range, e.g. 150-300.';
  if (parts.length > 16) return 'At most 16 lines.';
  const out: Range[] = [];
  for (const p of parts) {
    const m = /^(\d+)\s*(?:-|–|—|\.\.)\s*(\d+)(?:\s*ms)?$/.exec(p);
    if (!m) return `"${p}" is not a range like 150-300.`;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a < 1 || b > 10_000) return `"${p}": timeouts from 1 to 10000 ms.`;
    if (a > b) return `"${p}": the minimum is above the maximum.`;
    out.push([a, b]);
  }
  return out;
}

const same = (a: Range[], b: readonly Range[]) =>
  a.length === b.length && a.every((r, i) => r[0] === b[i][0] && r[1] === b[i][1]);

function presetOf(lines: Range[]): Fig16Preset | 'custom' {
  for (const k of Object.keys(FIG16_PRESETS) as Fig16Preset[])
    if (same(lines, FIG16_PRESETS[k].lines)) return k;
  return 'custom';
}

const TOP = new Set(FIG16_TOP.map((l) => l.label));
const BOTTOM = new Set(FIG16_BOTTOM.map((l) => l.label));

export function Fig16Experiment() {
  const params = useExperiments((s) => s.fig16);
  const info = useRuns((s) => s.fig16);
  const preset = presetOf(params.lines);
  const set = experiments.getState().setFig16;
  const total = params.lines.length * params.trials;

  const result = info.result;
  const rows = useMemo(
    () => (result ? fig16Rows(result) : []),
    // partial results are mutated in place; rev says when they changed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [result, info.rev],
  );

  const form = (
    <>
      <div className="xp-field">
        <label htmlFor="fig16-preset">Figure 16 preset</label>
        <select
          id="fig16-preset"
          value={preset}
          data-testid="fig16-preset"
          onChange={(e) => {
            const k = e.target.value as Fig16Preset | 'custom';
            if (k !== 'custom') set({ lines: FIG16_PRESETS[k].lines.map((r) => [...r] as Range) });
          }}
        >
          {(Object.keys(FIG16_PRESETS) as Fig16Preset[]).map((k) => (
            <option key={k} value={k}>
              {FIG16_PRESETS[k].title}
            </option>
          ))}
          <option value="custom">Custom ranges</option>
        </select>
      </div>
      <ListField<Range>
        label="Election timeout ranges (ms)"
        value={params.lines}
        format={fmtRanges}
        parse={parseRanges}
        onChange={(lines) => set({ lines })}
        testid="fig16-lines"
        rows={3}
        hint="min-max, comma separated. The paper’s 150-300 line is in both graphs; it runs once."
      />
      <NumberField
        label="Trials per line"
        value={params.trials}
        min={1}
        max={10_000}
        onChange={(trials) => set({ trials })}
        testid="fig16-trials"
        hint="The paper ran 1000."
      />
      <SeedField value={params.seed} onChange={(seed) => set({ seed })} testid="fig16-seed" />
      <p className="xp-hint">
        {FIG16_NETWORK.nodes} servers, one-way latency {FIG16_NETWORK.latency.min}–
        {FIG16_NETWORK.latency.max} ms, {FIG16_NETWORK.timerJitter} ms timer noise, heartbeat half
        the minimum timeout.
      </p>
    </>
  );

  return (
    <ExperimentLayout formLabel="Figure 16 parameters" form={form}>
      <RunBar tab="fig16" run={() => void startFig16()} totalTrials={total} />
      <Fig16Charts rows={rows} />
      {rows.length > 0 && result && (
        <>
          <Fig16Table
            rows={rows}
            onCsv={() => downloadCsv('figure16-summary.csv', rows.map(csvRow))}
            onTrialsCsv={() => downloadCsv('figure16-trials.csv', fig16TrialRows(result))}
          />
          <PaperTable rows={rows} />
        </>
      )}
      <Differences />
    </ExperimentLayout>
  );
}

const csvRow = (r: Fig16Row) => ({
  line: r.label,
  timeout_min_ms: r.timeoutMin,
  timeout_max_ms: r.timeoutMax,
  trials: r.trials,
  p50_ms: r.p50,
  p90_ms: r.p90,
  p99_ms: r.p99,
  max_ms: r.max,
  mean_ms: r.mean,
  split_votes: r.splitVotes,
  unresolved: r.unresolved,
});

function Fig16Charts({ rows }: { rows: Fig16Row[] }) {
  const info = useRuns((s) => s.fig16);
  const result = info.result;
  const [topScale, setTopScale] = useState<ScaleKind>('log');
  const [bottomScale, setBottomScale] = useState<ScaleKind>('linear');
  const groups = useMemo(() => {
    if (!result) return [];
    const dark = isDark();
    const colors = palette(dark);
    const annColor = dark ? '#f0e442' : '#1b1b1b';
    const cdfs = new Map(result.lines.map((l) => [l.label, fig16Cdf(l.trials)]));
    const make = (title: string, labels: string[], scale: ScaleKind): ChartSpec => {
      const series = labels
        .filter((l) => (cdfs.get(l)?.length ?? 0) > 0)
        .map((l, i) => ({
          id: l,
          label: l,
          color: colors[i % colors.length],
          points: cdfs.get(l)!,
          curve: 'step' as const,
        }));
      const annotations: ChartAnnotation[] = [];
      for (const p of PAPER_POINTS) {
        if (!labels.includes(p.line) || !rows.some((r) => r.label === p.line)) continue;
        const what = p.stat === 'median' ? 'median' : p.stat === 'max' ? 'worst' : 'mean';
        annotations.push({
          x: p.ms,
          y: p.stat === 'median' ? 50 : p.stat === 'max' ? 100 : undefined,
          label: `Paper: ${what} ${p.ms} ms (${p.line.replace(' ms', '').replace('-', '–')})`,
          color: annColor,
        });
      }
      const xs = series.flatMap((s) => s.points.map((p) => p.x));
      const hi = Math.max(...xs, ...annotations.map((a) => a.x));
      return {
        title,
        xLabel: 'Time without a leader after the crash (ms)',
        yLabel: 'Trials with a new leader by then (%)',
        xScale: scale,
        yScale: 'linear',
        xDomain: scale === 'log' ? [100, Math.max(1000, hi)] : [0, hi * 1.04],
        yDomain: [0, 100],
        yTick: (v) => `${v}%`,
        series,
        annotations,
        legendNote: annotations.length ? ['◇ and ┊ mark the paper’s numbers'] : [],
      };
    };
    const labels = result.lines.map((l) => l.label);
    // as in the paper: the top graph varies randomness, the bottom one the timeouts;
    // 150-300 belongs to both
    const inBoth = labels.filter((l) => TOP.has(l) && BOTTOM.has(l));
    const topOnly = labels.filter((l) => TOP.has(l) && !BOTTOM.has(l));
    const bottomOnly = labels.filter((l) => BOTTOM.has(l) && !TOP.has(l));
    const other = labels.filter((l) => !TOP.has(l) && !BOTTOM.has(l));
    if (topOnly.length === 0 && bottomOnly.length === 0) other.unshift(...inBoth);
    const out: { key: string; spec: ChartSpec; scale: ScaleKind; setScale(s: ScaleKind): void }[] =
      [];
    if (topOnly.length > 0)
      out.push({
        key: 'top',
        spec: make(
          'Randomness: election timeouts 150 ms + up to 150 ms',
          [...topOnly, ...inBoth],
          topScale,
        ),
        scale: topScale,
        setScale: setTopScale,
      });
    if (bottomOnly.length > 0)
      out.push({
        key: 'bottom',
        spec: make(
          'Scale: shorter timeouts, same randomness ratio',
          [...bottomOnly, ...inBoth],
          bottomScale,
        ),
        scale: bottomScale,
        setScale: setBottomScale,
      });
    if (other.length > 0)
      out.push({
        key: 'custom',
        spec: make('Custom election timeout ranges', other, topScale),
        scale: topScale,
        setScale: setTopScale,
      });
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result, info.rev, rows, topScale, bottomScale]);

  if (!result) return <EmptyChart />;
  return (
    <>
      {groups.map((g) => (
        <Chart
          key={g.key}
          spec={g.spec}
          height={360}
          fileBase={`figure16-${g.key}`}
          testid={`fig16-chart-${g.key}`}
          hoverText={(label, x, y) =>
            `${label}: ${fmtInt(y)}% of trials had a leader within ${x.toFixed(1)} ms`
          }
          toolbar={<ScaleToggle label="Time axis" value={g.scale} onChange={g.setScale} logFirst />}
        />
      ))}
    </>
  );
}

function Fig16Table(props: { rows: Fig16Row[]; onCsv(): void; onTrialsCsv(): void }) {
  const pct = (n: number, of: number) =>
    `${fmtInt(n)} (${((n / of) * 100).toFixed(n / of < 0.1 ? 1 : 0)}%)`;
  return (
    <ResultsTable
      title="Downtime per election timeout range (ms)"
      columns={[
        'Election timeout',
        'Trials',
        'Median',
        'p90',
        'p99',
        'Worst',
        'Mean',
        'Split votes',
        `Over ${fmtInt(horizonMs(0) / 1000)} s`,
      ]}
      onCsv={props.onCsv}
      onTrialsCsv={props.onTrialsCsv}
    >
      {props.rows.map((r) => (
        <tr key={r.label}>
          <th scope="row">{r.label}</th>
          <td>{fmtTrials(r)}</td>
          <td>{r.p50.toFixed(0)}</td>
          <td>{r.p90.toFixed(0)}</td>
          <td>{r.p99.toFixed(0)}</td>
          <td>{r.max.toFixed(0)}</td>
          <td>{r.mean.toFixed(0)}</td>
          <td>{pct(r.splitVotes, r.trials)}</td>
          <td>{r.unresolved ? pct(r.unresolved, r.trials) : '0'}</td>
        </tr>
      ))}
    </ResultsTable>
  );
}

function PaperTable({ rows }: { rows: Fig16Row[] }) {
  const cmp = paperComparisons(rows).filter((c) => c.ours !== null);
  if (cmp.length === 0) return null;
  return (
    <section className="xp-table-wrap" aria-label="The paper's numbers and this run's">
      <h3>The paper’s numbers and this run’s</h3>
      <table className="xp-table compact" data-testid="xp-paper-table">
        <thead>
          <tr>
            <th scope="col">What the paper reports</th>
            <th scope="col">Paper</th>
            <th scope="col">This run</th>
          </tr>
        </thead>
        <tbody>
          {cmp.map((c) => (
            <tr key={`${c.line}-${c.stat}`}>
              <th scope="row">{c.text[0].toUpperCase() + c.text.slice(1)}</th>
              <td>{c.paper} ms</td>
              <td>{c.ours!.toFixed(0)} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Differences() {
  return (
    <section className="xp-note" aria-label="Where the simulation differs from the paper">
      <h3>Where the simulation differs from the paper, and why</h3>
      <ul>
        <li>
          <b>No disk.</b> The paper’s broadcast time (about 15 ms) was mostly servers writing their
          vote to disk before answering; a RequestVote itself reached the others within a
          millisecond or two, and that race (does the request arrive before the other servers’
          timers fire?) is what the figure measures. The simulation has no disk, so it uses a
          one-way latency of {FIG16_NETWORK.latency.min}–{FIG16_NETWORK.latency.max} ms.
        </li>
        <li>
          <b>Timer noise.</b> Every timer fires up to {FIG16_NETWORK.timerJitter} ms late, as real
          schedulers do. Without it, candidates with equal timeouts (150–150) would stay in lockstep
          forever instead of “over 10 s”.
        </li>
        <li>
          <b>A horizon.</b> A trial stops waiting {fmtInt(horizonMs(0) / 1000)} s after the crash
          (or 20 maximum timeouts, if longer); the 150–150 line can reach it, and such trials are
          counted at the horizon.
        </li>
        <li>
          <b>The crash moment</b> is uniform within a heartbeat interval (heartbeat = half the
          minimum timeout), after a leader has settled, as in the paper’s setup. Everything else
          (terms, votes, randomised timeouts) is the same Raft code the playground runs.
        </li>
      </ul>
    </section>
  );
}
