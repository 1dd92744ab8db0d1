/**
 * Pieces shared by the three experiments: the page layout, fields, the run bar with
 * progress, the chart frame, the results table, exports.
 */
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { csvFormat } from 'd3-dsv';
import {
  drawChart,
  pngBlob,
  readTheme,
  svgText,
  type ChartSpec,
  type Drawn,
  type ScaleKind,
  type Theme,
} from './chart';
import { cancelRun, useRun, useRuns, type RunInfo } from './runs';
import type { ExperimentTab } from './params';
import { formatCount } from '../format';

// ---- downloads ------------------------------------------------------------------------

export function download(name: string, data: Blob | string, type: string): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(name: string, rows: Record<string, unknown>[]): void {
  download(name, `${csvFormat(rows)}\n`, 'text/csv');
}

// ---- layout ---------------------------------------------------------------------------

/** An experiment's page: its parameters on the left; run bar, charts and tables on the right. */
export function ExperimentLayout(props: {
  /** The form's accessible name, e.g. "Downtime parameters". */
  formLabel: string;
  form: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="xp-layout">
      {/* fields apply as they change; a submit (Enter) must not reload the page */}
      <form className="xp-form" onSubmit={(e) => e.preventDefault()} aria-label={props.formLabel}>
        {props.form}
      </form>
      <div className="xp-results">{props.children}</div>
    </div>
  );
}

// ---- fields ---------------------------------------------------------------------------

/** A number input that commits valid values and says what is wrong with the others. */
export function NumberField(props: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  unit?: string;
  onChange(v: number): void;
  testid?: string;
  integer?: boolean;
  hint?: string;
}) {
  const { value, min, max, onChange } = props;
  const [draft, setDraft] = useState(String(value));
  const [err, setErr] = useState<string | null>(null);
  const id = useId();
  // a new value from outside (a link, a preset) replaces the draft
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setDraft(String(value));
    setErr(null);
  }
  const commit = (text: string) => {
    setDraft(text);
    const v = Number(text);
    const integer = props.integer ?? true;
    if (text.trim() === '' || !Number.isFinite(v)) setErr('Enter a number.');
    else if (integer && !Number.isInteger(v)) setErr('Enter a whole number.');
    else if (v < min || v > max) setErr(`From ${min} to ${max}.`);
    else {
      setErr(null);
      if (v !== value) onChange(v);
    }
  };
  return (
    <div className="xp-field">
      <label htmlFor={id}>{props.label}</label>
      <div className="xp-input-row">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          value={draft}
          min={min}
          max={max}
          step={props.step ?? 1}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-err` : undefined}
          data-testid={props.testid}
          onChange={(e) => commit(e.target.value)}
        />
        {props.unit && <span className="xp-unit">{props.unit}</span>}
      </div>
      {err ? (
        <span id={`${id}-err`} className="xp-error" role="alert">
          {err}
        </span>
      ) : (
        props.hint && <span className="xp-hint">{props.hint}</span>
      )}
    </div>
  );
}

/** A seed field with a "new seed" button. */
export function SeedField(props: { value: number; onChange(v: number): void; testid?: string }) {
  return (
    <div className="xp-seed">
      <NumberField
        label="Seed"
        value={props.value}
        min={0}
        max={0xffffffff}
        onChange={props.onChange}
        testid={props.testid}
        hint="Same seed, same results."
      />
      <button
        type="button"
        className="btn icon-btn"
        title="A new random seed"
        aria-label="New random seed"
        onClick={() => props.onChange(Math.floor(Math.random() * 0xffffffff))}
      >
        ⚄
      </button>
    </div>
  );
}

/**
 * A comma-separated list of values (numbers or ranges) with its own parser: commits when
 * valid, otherwise keeps the draft and shows the parser's message.
 */
export function ListField<T>(props: {
  label: string;
  value: T[];
  format(v: T[]): string;
  parse(text: string): T[] | string;
  onChange(v: T[]): void;
  testid?: string;
  hint?: string;
  /** A textarea (for long lists). */
  rows?: number;
}) {
  const { value, format, parse, onChange } = props;
  const shown = format(value);
  const [draft, setDraft] = useState(shown);
  const [err, setErr] = useState<string | null>(null);
  const id = useId();
  const [seen, setSeen] = useState(shown);
  if (seen !== shown) {
    setSeen(shown);
    setDraft(shown);
    setErr(null);
  }
  const commit = (text: string) => {
    setDraft(text);
    const r = parse(text);
    if (typeof r === 'string') setErr(r);
    else {
      setErr(null);
      if (format(r) !== shown) onChange(r);
    }
  };
  return (
    <div className="xp-field">
      <label htmlFor={id}>{props.label}</label>
      {props.rows ? (
        <textarea
          id={id}
          className="xp-text"
          rows={props.rows}
          value={draft}
          spellCheck={false}
          aria-invalid={err ? true : undefined}
          aria-describedby={`${id}-msg`}
          data-testid={props.testid}
          onChange={(e) => commit(e.target.value)}
        />
      ) : (
        <input
          id={id}
          type="text"
          className="xp-text"
          value={draft}
          spellCheck={false}
          aria-invalid={err ? true : undefined}
          aria-describedby={`${id}-msg`}
          data-testid={props.testid}
          onChange={(e) => commit(e.target.value)}
        />
      )}
      <span
        id={`${id}-msg`}
        className={err ? 'xp-error' : 'xp-hint'}
        role={err ? 'alert' : undefined}
      >
        {err ?? props.hint}
      </span>
    </div>
  );
}

/** Radio buttons as a segmented control. */
export function Segmented<T extends string>(props: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange(v: T): void;
  testid?: string;
}) {
  const name = useId();
  return (
    <fieldset className="xp-seg" data-testid={props.testid}>
      <legend>{props.label}</legend>
      <div className="xp-seg-row">
        {props.options.map((o) => (
          <label key={o.value} className={o.value === props.value ? 'on' : undefined}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={o.value === props.value}
              onChange={() => props.onChange(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Linear or log axis, as a segmented control. */
export function ScaleToggle(props: {
  label: string;
  value: ScaleKind;
  onChange(v: ScaleKind): void;
  testid?: string;
  /** Offer log first, where log is the axis's usual view (Figure 16's time axis). */
  logFirst?: boolean;
}) {
  const linear = { value: 'linear', label: 'linear' } as const;
  const log = { value: 'log', label: 'log' } as const;
  return (
    <Segmented<ScaleKind>
      label={props.label}
      value={props.value}
      options={props.logFirst ? [log, linear] : [linear, log]}
      onChange={props.onChange}
      testid={props.testid}
    />
  );
}

/**
 * Checkboxes for a set of choices (algorithms, series). At least one stays checked, and
 * the value keeps the options' order whatever order they were ticked in, so the same
 * choice gives the same link and the same run.
 */
export function CheckList<T extends string>(props: {
  label: string;
  options: readonly { id: T; label: string }[];
  value: readonly T[];
  onChange(v: T[]): void;
  testid?: string;
}) {
  const { options, value } = props;
  const toggle = (id: T, on: boolean) => {
    const next = on ? [...value, id] : value.filter((v) => v !== id);
    if (next.length > 0) props.onChange(options.map((o) => o.id).filter((o) => next.includes(o)));
  };
  return (
    <fieldset className="xp-checks" data-testid={props.testid}>
      <legend>{props.label}</legend>
      {options.map((o) => (
        <label key={o.id}>
          <input
            type="checkbox"
            checked={value.includes(o.id)}
            onChange={(e) => toggle(o.id, e.target.checked)}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

// ---- running --------------------------------------------------------------------------

/**
 * One formatter for every call: `toLocaleString` builds a new one each time, slow in a
 * table redrawn while a run goes on.
 */
export const fmtInt = (v: number) => formatCount(Math.round(v));

/** Trials with a result; "done / planned" while a point is partial (running or cancelled). */
export const fmtTrials = (r: { trials: number; of: number }) =>
  r.trials < r.of ? `${fmtInt(r.trials)} / ${fmtInt(r.of)}` : fmtInt(r.trials);

export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Run / Cancel, workers, and the progress bar with trials done, rate and ETA. */
export function RunBar(props: {
  tab: ExperimentTab;
  run(): void;
  totalTrials: number;
  disabled?: string | null;
}) {
  const info = useRun(props.tab);
  const workers = useRuns((s) => s.workers);
  const setWorkers = useRuns((s) => s.setWorkers);
  const anyRunning = useRuns((s) => Object.values(s.byTab).some((r) => r.status === 'running'));
  const running = info.status === 'running';
  const p = info.progress;
  const pct = p && p.total > 0 ? (p.done / p.total) * 100 : 0;
  return (
    <div className="xp-runbar" data-testid="xp-runbar">
      <div className="xp-run-row">
        {running ? (
          <button
            type="button"
            className="btn danger xp-big"
            onClick={cancelRun}
            data-testid="xp-cancel"
          >
            ■ Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn primary xp-big"
            onClick={props.run}
            disabled={!!props.disabled}
            title={props.disabled ?? undefined}
            data-testid="xp-run"
          >
            ▶ Run {fmtInt(props.totalTrials)} trials
          </button>
        )}
        <label
          className="xp-workers"
          title="Web Workers that run trials in parallel (one per core by default; a short message-count run takes fewer, as a new worker spends its first second compiling)"
        >
          <span>Workers</span>
          <input
            type="number"
            min={1}
            max={16}
            value={workers}
            disabled={anyRunning}
            data-testid="xp-workers"
            onChange={(e) => setWorkers(Number(e.target.value))}
          />
        </label>
      </div>
      <div
        className={`xp-progress${running ? ' running' : ''}`}
        role="progressbar"
        aria-label="Trials done"
        aria-valuemin={0}
        aria-valuemax={p?.total ?? props.totalTrials}
        aria-valuenow={p?.done ?? 0}
        data-testid="xp-progress"
        data-done={p?.done ?? 0}
        data-total={p?.total ?? 0}
      >
        <div className="xp-progress-fill" style={{ transform: `translateX(${pct - 100}%)` }} />
      </div>
      <p
        className="xp-status"
        data-testid="xp-status"
        data-status={info.status}
        data-elapsed-ms={info.elapsedMs !== undefined ? Math.round(info.elapsedMs) : undefined}
        aria-live="polite"
      >
        <StatusText info={info} />
      </p>
    </div>
  );
}

function StatusText({ info }: { info: RunInfo }) {
  const p = info.progress;
  switch (info.status) {
    case 'idle':
      return (
        <span className="muted">
          Not run yet. Trials run in Web Workers; the playground keeps running.
        </span>
      );
    case 'running':
      return p ? (
        <>
          <b>{fmtInt(p.done)}</b> / {fmtInt(p.total)} trials ·{' '}
          {p.rate > 0 ? `${fmtInt(p.rate)} trials/s` : 'starting workers…'}
          {p.etaMs !== null && <> · about {fmtDuration(p.etaMs)} left</>} · {p.working} worker
          {p.working === 1 ? '' : 's'}
          {p.working < p.workers && (
            <span className="muted">
              {' '}
              ({p.workers - p.working} more wait{p.workers - p.working === 1 ? 's' : ''} while the
              playground plays, which keeps a core for its animation)
            </span>
          )}
        </>
      ) : (
        <>Starting…</>
      );
    case 'done':
      return (
        <>
          Done: {fmtInt(p?.total ?? 0)} trials in <b>{fmtDuration(info.elapsedMs ?? 0)}</b> on{' '}
          {info.workers} worker
          {info.workers === 1 ? '' : 's'} · fingerprint{' '}
          <code data-testid="xp-fingerprint">{info.fingerprint}</code>
        </>
      );
    case 'cancelled':
      return (
        <>
          Cancelled after {fmtInt(p?.done ?? 0)} of {fmtInt(p?.total ?? 0)} trials; the workers were
          stopped. The chart shows the trials that finished.
        </>
      );
    case 'error':
      return <span className="xp-error">The run failed: {info.error}</span>;
  }
}

// ---- chart frame ----------------------------------------------------------------------

function useThemeKey(): string {
  const [key, setKey] = useState(() => document.documentElement.dataset.theme ?? '');
  useEffect(() => {
    const mo = new MutationObserver(() => setKey(document.documentElement.dataset.theme ?? ''));
    mo.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme', 'data-present'],
    });
    return () => mo.disconnect();
  }, []);
  return key;
}

export function isDark(): boolean {
  return document.documentElement.dataset.theme === 'dark';
}

/** What to draw where the chart will be, before a run has results. */
export function EmptyChart() {
  return (
    <div className="xp-empty" data-testid="xp-empty">
      <p>
        Press <b>Run</b> to draw the chart. Results appear while the trials run.
      </p>
    </div>
  );
}

interface ChartProps {
  spec: ChartSpec;
  height?: number;
  fileBase: string;
  testid?: string;
  hoverText(seriesLabel: string, x: number, y: number): string;
  toolbar?: ReactNode;
}

/**
 * A D3 chart with hover values and SVG / PNG export. With no spec yet (nothing has run)
 * the toolbar stands alone above the Run prompt, so its choices can be made beforehand.
 */
export function Chart(props: Omit<ChartProps, 'spec'> & { spec: ChartSpec | null }) {
  const { spec, toolbar } = props;
  if (!spec)
    return (
      <>
        <div className="xp-chart-tools standalone">{toolbar}</div>
        <EmptyChart />
      </>
    );
  return <DrawnChart {...props} spec={spec} />;
}

function DrawnChart(props: ChartProps) {
  const { spec, hoverText } = props;
  const height = props.height ?? 380;
  const wrap = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const drawn = useRef<Drawn | null>(null);
  const [width, setWidth] = useState(0);
  const [tip, setTip] = useState<{ x: number; y: number; text: string; color: string } | null>(
    null,
  );
  const themeKey = useThemeKey();

  useLayoutEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e.contentRect.width)));
    ro.observe(el);
    setWidth(Math.floor(el.getBoundingClientRect().width));
    return () => ro.disconnect();
  }, []);

  // read once per theme: each read of the computed style recalculates the page's styles
  const theme = useRef<{ key: unknown; theme: Theme } | null>(null);
  useLayoutEffect(() => {
    if (!svg.current || !wrap.current || width < 50) return;
    const key = `${themeKey}|${document.documentElement.dataset.present ?? ''}`;
    if (theme.current?.key !== key) theme.current = { key, theme: readTheme(wrap.current) };
    drawn.current = drawChart(svg.current, spec, width, height, theme.current.theme);
    setTip(null);
  }, [spec, width, height, themeKey]);

  const onMove = (e: React.PointerEvent) => {
    const d = drawn.current;
    if (!d || !svg.current) return;
    const r = svg.current.getBoundingClientRect();
    const px = e.clientX - r.left - d.plot.left;
    const py = e.clientY - r.top - d.plot.top;
    const hit = d.nearest(px, py);
    if (!hit) setTip(null);
    else
      setTip({
        x: hit.sx + d.plot.left,
        y: hit.sy + d.plot.top,
        text: hoverText(hit.series.label, hit.pt.x, hit.pt.y),
        color: hit.series.color,
      });
  };

  const name = props.fileBase;
  return (
    <figure className="xp-chart" data-testid={props.testid}>
      <div className="xp-chart-tools">
        {props.toolbar}
        <span className="xp-spacer" />
        <button
          type="button"
          className="btn small"
          onClick={() =>
            svg.current && download(`${name}.svg`, svgText(svg.current), 'image/svg+xml')
          }
          data-testid="xp-export-svg"
        >
          SVG
        </button>
        <button
          type="button"
          className="btn small"
          onClick={async () =>
            svg.current && download(`${name}.png`, await pngBlob(svg.current), 'image/png')
          }
          data-testid="xp-export-png"
        >
          PNG
        </button>
      </div>
      <div
        className="xp-chart-body"
        ref={wrap}
        onPointerMove={onMove}
        onPointerLeave={() => setTip(null)}
      >
        <svg
          ref={svg}
          role="img"
          aria-label={`${spec.title}. The values are in the table below.`}
        />
        {tip && (
          <>
            <span className="xp-dot" style={{ left: tip.x, top: tip.y, borderColor: tip.color }} />
            <div
              className="xp-tip"
              data-testid="xp-tip"
              style={
                // beside the point, on the side with more room
                tip.x > width * 0.55
                  ? { right: width - tip.x + 14, top: Math.max(0, tip.y - 52) }
                  : { left: tip.x + 14, top: Math.max(0, tip.y - 52) }
              }
            >
              {tip.text}
            </div>
          </>
        )}
      </div>
    </figure>
  );
}

// ---- results table --------------------------------------------------------------------

/**
 * A run's results table: its title, the CSV exports (the summary rows and every trial)
 * and the column headers. The children are the body's rows, each a `<th scope="row">`
 * followed by `<td>`s.
 */
export function ResultsTable(props: {
  title: string;
  columns: readonly string[];
  onCsv(): void;
  onTrialsCsv(): void;
  children: ReactNode;
}) {
  return (
    <section className="xp-table-wrap" aria-label="Results">
      <div className="xp-table-head">
        <h3>{props.title}</h3>
        <span className="xp-spacer" />
        <button
          type="button"
          className="btn small"
          onClick={props.onCsv}
          data-testid="xp-export-csv"
        >
          CSV
        </button>
        <button type="button" className="btn small" onClick={props.onTrialsCsv}>
          Trials CSV
        </button>
      </div>
      <table className="xp-table" data-testid="xp-table">
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </section>
  );
}
