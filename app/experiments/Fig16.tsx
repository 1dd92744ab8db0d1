/**
 * A downtime CDF experiment an algorithm declares (Raft: Figure 16 of its paper),
 * reproduced in Web Workers: the form, the graphs (one per declared group, the paper's
 * numbers marked), the table and the notes all come from the declaration.
 */
import { useMemo, useState } from 'react';
import type { DowntimeCdfExperiment } from '../../algorithms/index';
import {
  logAxisDomain,
  palette,
  type ChartAnnotation,
  type ChartSpec,
  type ScaleKind,
} from './chart';
import { cdfExperiment, cdfPresets, useExperiments, experiments } from './params';
import { startCdf, useRunResult, type CdfResult } from './runs';
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

function presetOf(x: DowntimeCdfExperiment, lines: Range[]): string {
  for (const p of cdfPresets(x)) if (same(lines, p.lines)) return p.key;
  return 'custom';
}

export function Fig16Experiment({ tab }: { tab: string }) {
  const x = cdfExperiment(tab);
  const params = useExperiments((s) => s.cdf[tab]);
  const info = useRunResult<CdfResult>(tab);
  const presets = cdfPresets(x);
  const preset = presetOf(x, params.lines);
  const set = (p: Partial<typeof params>) => experiments.getState().setCdf(tab, p);
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
        <label htmlFor={`${tab}-preset`}>{x.words.preset}</label>
        <select
          id={`${tab}-preset`}
          value={preset}
          data-testid={`${tab}-preset`}
          onChange={(e) => {
            const p = presets.find((q) => q.key === e.target.value);
            if (p) set({ lines: p.lines.map((r) => [...r] as Range) });
          }}
        >
          {presets.map((p) => (
            <option key={p.key} value={p.key}>
              {p.title}
            </option>
          ))}
          <option value="custom">Custom ranges</option>
        </select>
      </div>
      <ListField<Range>
        label={x.words.ranges}
        value={params.lines}
        format={fmtRanges}
        parse={parseRanges}
        onChange={(lines) => set({ lines })}
        testid={`${tab}-lines`}
        rows={3}
        hint={x.words.rangesHint}
      />
      <NumberField
        label="Trials per line"
        value={params.trials}
        min={1}
        max={10_000}
        onChange={(trials) => set({ trials })}
        testid={`${tab}-trials`}
        hint={x.words.trialsHint}
      />
      <SeedField value={params.seed} onChange={(seed) => set({ seed })} testid={`${tab}-seed`} />
      <p className="xp-hint">{x.words.setting}</p>
    </>
  );

  return (
    <ExperimentLayout formLabel={`${x.title} parameters`} form={form}>
      <RunBar tab={tab} run={() => void startCdf(tab)} totalTrials={total} />
      <Fig16Charts x={x} tab={tab} rows={rows} />
      {rows.length > 0 && result && (
        <>
          <Fig16Table
            x={x}
            rows={rows}
            onCsv={() => downloadCsv(`${tab}-summary.csv`, rows.map(csvRow))}
            onTrialsCsv={() => downloadCsv(`${tab}-trials.csv`, fig16TrialRows(result))}
          />
          <PaperTable x={x} rows={rows} />
        </>
      )}
      <Differences x={x} />
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
  more_than_one_election: r.retries,
  unresolved: r.unresolved,
});

function Fig16Charts({
  x,
  tab,
  rows,
}: {
  x: DowntimeCdfExperiment;
  tab: string;
  rows: Fig16Row[];
}) {
  const info = useRunResult<CdfResult>(tab);
  const result = info.result;
  const [topScale, setTopScale] = useState<ScaleKind>('log');
  const [bottomScale, setBottomScale] = useState<ScaleKind>('linear');
  const groups = useMemo(() => {
    if (!result) return [];
    const dark = isDark();
    const colors = palette(dark);
    const annColor = dark ? '#f0e442' : '#1b1b1b';
    const cdfs = new Map(result.lines.map((l) => [l.label, fig16Cdf(l.trials)]));
    const running = info.status === 'running';
    const make = (title: string, labels: string[], scale: ScaleKind): ChartSpec => {
      // every line of the graph from the start, empty until its first trials are in: each
      // keeps its colour and its legend entry all through a run, and a redraw of partial
      // results keeps the frame
      const series = labels.map((l, i) => ({
        id: l,
        label: l,
        color: colors[i % colors.length],
        points: cdfs.get(l) ?? [],
        curve: 'step' as const,
      }));
      const annotations: ChartAnnotation[] = [];
      for (const p of x.paperPoints) {
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
      xs.push(...annotations.map((a) => a.x));
      const hi = Math.max(...xs);
      return {
        title,
        xLabel: 'Time without a leader after the crash (ms)',
        yLabel: 'Trials with a new leader by then (%)',
        xScale: scale,
        yScale: 'linear',
        // the log axis starts at 100 ms as the paper's, lower for a line that elects
        // sooner (12-24 ms timeouts); while partial results come in it ends at a round
        // value, so a new longest downtime rarely changes the frame and a redraw only
        // moves the curves
        xDomain: scale === 'log' ? logAxisDomain(xs, 100, 1000, running) : [0, hi * 1.04],
        yDomain: [0, 100],
        yTick: (v) => `${v}%`,
        series,
        annotations,
        legendNote: annotations.length ? ['◇ and ┊ mark the paper’s numbers'] : [],
        draft: running,
      };
    };
    const labels = result.lines.map((l) => l.label);
    // as in the paper: one graph per declared group (Figure 16: the top graph varies
    // randomness, the bottom one the timeouts); a line in several groups belongs to each,
    // but a group is drawn only when it has a line of its own
    const groupsOf = (l: string) => x.groups.filter((g) => g.lines.some((gl) => gl.label === l));
    const out: { key: string; spec: ChartSpec; scale: ScaleKind; setScale(s: ScaleKind): void }[] =
      [];
    const drawn = x.groups.filter((g) =>
      labels.some((l) => groupsOf(l).length === 1 && groupsOf(l)[0] === g),
    );
    drawn.forEach((g, i) => {
      const mine = labels.filter((l) => groupsOf(l).includes(g));
      const scale = i === 0 ? topScale : bottomScale;
      out.push({
        key: g.key,
        spec: make(g.title, mine, scale),
        scale,
        setScale: i === 0 ? setTopScale : setBottomScale,
      });
    });
    const other = labels.filter((l) => !groupsOf(l).some((g) => drawn.includes(g)));
    if (other.length > 0)
      out.push({
        key: 'custom',
        spec: make(x.words.customTitle, other, topScale),
        scale: topScale,
        setScale: setTopScale,
      });
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [x, result, info.rev, info.status, rows, topScale, bottomScale]);

  if (!result) return <EmptyChart />;
  return (
    <>
      {groups.map((g) => (
        <Chart
          key={g.key}
          spec={g.spec}
          height={360}
          fileBase={`${tab}-${g.key}`}
          testid={`${tab}-chart-${g.key}`}
          hoverText={(label, x, y) =>
            `${label}: ${fmtInt(y)}% of trials had a leader within ${x.toFixed(1)} ms`
          }
          toolbar={<ScaleToggle label="Time axis" value={g.scale} onChange={g.setScale} logFirst />}
        />
      ))}
    </>
  );
}

function Fig16Table(props: {
  x: DowntimeCdfExperiment;
  rows: Fig16Row[];
  onCsv(): void;
  onTrialsCsv(): void;
}) {
  const pct = (n: number, of: number) =>
    `${fmtInt(n)} (${((n / of) * 100).toFixed(n / of < 0.1 ? 1 : 0)}%)`;
  return (
    <ResultsTable
      title="Downtime per election timeout range (ms)"
      columns={[
        props.x.words.rangeColumn,
        'Trials',
        'Median',
        'p90',
        'p99',
        'Worst',
        'Mean',
        props.x.words.retriesColumn,
        `Over ${fmtInt(props.x.horizonMs(0) / 1000)} s`,
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
          <td>{pct(r.retries, r.trials)}</td>
          <td>{r.unresolved ? pct(r.unresolved, r.trials) : '0'}</td>
        </tr>
      ))}
    </ResultsTable>
  );
}

function PaperTable({ x, rows }: { x: DowntimeCdfExperiment; rows: Fig16Row[] }) {
  const cmp = paperComparisons(rows, x.paperPoints).filter((c) => c.ours !== null);
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

function Differences({ x }: { x: DowntimeCdfExperiment }) {
  return (
    <section className="xp-note" aria-label="Where the simulation differs from the paper">
      <h3>Where the simulation differs from the paper, and why</h3>
      <ul>
        {x.differences.map((d) => (
          <li key={d.lead}>
            <b>{d.lead}</b> {d.text}
          </li>
        ))}
      </ul>
    </section>
  );
}
