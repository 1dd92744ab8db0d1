/**
 * The statechart of one node's machine, drawn from the machine definition (statechart.ts):
 * a map of the states with an arrow for every pair of states some transition connects,
 * the current state filled and the transition just taken drawn thick with its event; then
 * each state's transitions as lines (event, [guard], target) with the timers the state
 * starts, the current state's open and the transition just taken marked.
 */
import { useMemo, useState } from 'react';
import type { AnyStateMachine } from 'xstate';
import { chartOf, isIn, takenTransitions, type Chart, type ChartTransition } from './statechart';
import { roleOfState } from './runIndex';
import { useDefinition } from '../store/store';

export interface LastStep {
  before: string;
  after: string;
  type: string;
  /** Event index, for the caption. */
  i: number;
}

interface Arrow {
  key: string;
  from: string;
  to: string;
  events: string[];
  taken: boolean;
}

const W = 300;

/** The atomic state a target path lands in (a compound state's initial leaf). */
function leafOf(chart: Chart, path: string): string {
  const leaves = chart.states.filter((s) => s.atomic && isIn(s.path, path));
  if (leaves.length === 0) return path;
  return (leaves.find((s) => s.initial) ?? leaves[0]).path;
}

/** Every transition that applies in atomic state `leaf`: its own, its ancestors', the root's. */
function applicable(chart: Chart, leaf: string): ChartTransition[] {
  const owners = chart.states.filter((s) => isIn(leaf, s.path)).sort((a, b) => b.depth - a.depth);
  const handled = new Set<string>();
  const out: ChartTransition[] = [];
  for (const s of owners) {
    for (const t of s.transitions) if (!handled.has(t.event)) out.push(t);
    for (const t of s.transitions) handled.add(t.event);
  }
  for (const t of chart.shared) if (!handled.has(t.event)) out.push(t);
  return out;
}

function arrowsOf(chart: Chart, taken: LastStep | null): Arrow[] {
  const byPair = new Map<string, Arrow>();
  for (const s of chart.states) {
    if (!s.atomic) continue;
    for (const t of applicable(chart, s.path)) {
      if (t.target === null) continue;
      const to = leafOf(chart, t.target);
      const key = `${s.path}>${to}`;
      let a = byPair.get(key);
      if (!a) byPair.set(key, (a = { key, from: s.path, to, events: [], taken: false }));
      if (!a.events.includes(t.event)) a.events.push(t.event);
    }
  }
  if (taken && taken.before !== taken.after) {
    const a = byPair.get(`${taken.before}>${taken.after}`);
    if (a) a.taken = true;
  }
  return [...byPair.values()];
}

function Map_({ chart, current, last }: { chart: Chart; current: string; last: LastStep | null }) {
  const def = useDefinition();
  const leaves = chart.states.filter((s) => s.atomic);
  const n = leaves.length;
  // a handful of states on an ellipse; more in a grid of three columns
  const cols = 3;
  const H = n > 5 ? Math.ceil(n / cols) * 62 + 8 : 168;
  const pos = new Map<string, { x: number; y: number }>();
  leaves.forEach((s, k) => {
    if (n > 5) {
      const row = Math.floor(k / cols);
      const col = k % cols;
      pos.set(s.path, { x: W / (cols * 2) + (col * W) / cols, y: 36 + row * 62 });
      return;
    }
    const a = -Math.PI / 2 + (2 * Math.PI * k) / Math.max(1, n);
    pos.set(s.path, {
      x: W / 2 + Math.cos(a) * (W / 2 - 58),
      y: H / 2 + Math.sin(a) * (H / 2 - 26),
    });
  });
  const arrows = arrowsOf(chart, last);
  const selfTaken = last !== null && last.before === last.after ? last.after : null;
  // about 0.62 em a character of the 12 px mono-ish label
  const boxW = (name: string) => Math.max(54, name.length * 7.6 + 14);
  return (
    <svg
      className="chart-map"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`State machine ${chart.id}: ${leaves.map((s) => s.path).join(', ')}; now in ${current}`}
    >
      <defs>
        <marker
          id="chart-arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="6"
          markerHeight="6"
          orient="auto-start-reverse"
        >
          <path d="M0 0 10 5 0 10z" className="chart-arrowhead" />
        </marker>
        <marker
          id="chart-arrow-taken"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="5"
          markerHeight="5"
          orient="auto-start-reverse"
        >
          <path d="M0 0 10 5 0 10z" className="chart-arrowhead taken" />
        </marker>
      </defs>
      {arrows.map((a) => {
        const p = pos.get(a.from);
        const q = pos.get(a.to);
        if (!p || !q) return null;
        if (a.from === a.to) return null;
        // a curve bending to the right of the direction of travel, so a pair's two arrows part
        const dx = q.x - p.x;
        const dy = q.y - p.y;
        const len = Math.hypot(dx, dy) || 1;
        const nx = -dy / len;
        const ny = dx / len;
        const bend = 16;
        const mx = (p.x + q.x) / 2 + nx * bend;
        const my = (p.y + q.y) / 2 + ny * bend;
        // stop at the boxes' edges (roughly)
        const trim = (
          from: { x: number; y: number },
          to: { x: number; y: number },
          name: string,
        ) => {
          const ddx = to.x - from.x;
          const ddy = to.y - from.y;
          const hw = boxW(name) / 2 + 3;
          const hh = 13;
          const s = Math.min(hw / Math.abs(ddx || 1e-6), hh / Math.abs(ddy || 1e-6), 1);
          return { x: from.x + ddx * s, y: from.y + ddy * s };
        };
        const start = trim(p, { x: mx, y: my }, a.from.split('.').pop()!);
        const end = trim(q, { x: mx, y: my }, a.to.split('.').pop()!);
        return (
          <g key={a.key} className={`chart-edge${a.taken ? ' taken' : ''}`}>
            <title>{`${a.from} → ${a.to}: ${a.events.join(', ')}`}</title>
            <path
              d={`M${start.x},${start.y} Q${mx},${my} ${end.x},${end.y}`}
              markerEnd={`url(#${a.taken ? 'chart-arrow-taken' : 'chart-arrow'})`}
            />
            {a.taken && last && (
              <text
                x={mx + nx * 6}
                y={my + ny * 6}
                className="chart-edge-label"
                textAnchor="middle"
              >
                {last.type}
              </text>
            )}
          </g>
        );
      })}
      {leaves.map((s) => {
        const p = pos.get(s.path)!;
        const name = s.path.split('.').pop()!;
        const w = boxW(name);
        const here = isIn(current, s.path);
        const role = roleOfState(def, s.path) ?? 'other';
        return (
          <g
            key={s.path}
            className={`chart-state role-${role}${here ? ' current' : ''}`}
            transform={`translate(${p.x},${p.y})`}
            data-state={s.path}
          >
            <rect x={-w / 2} y={-12} width={w} height={24} rx={12} />
            <text textAnchor="middle" dy="0.35em">
              {name}
            </text>
            {s.initial && <circle className="chart-initial" cx={-w / 2 - 6} cy={0} r={3} />}
            {selfTaken === s.path && (
              <path
                className="chart-self taken"
                d={`M${w / 2 - 16},-12 C${w / 2 - 16},-34 ${w / 2 + 18},-32 ${w / 2 + 2},-13`}
                markerEnd="url(#chart-arrow-taken)"
              />
            )}
          </g>
        );
      })}
    </svg>
  );
}

function TransitionLine({ t, marked }: { t: ChartTransition; marked: boolean }) {
  return (
    <li className={`chart-t${marked ? ' taken' : ''}`} data-taken={marked || undefined}>
      <code className="chart-ev">{t.event}</code>
      {t.guard && <span className="chart-guard">[{t.guard}]</span>}
      <span className="chart-to">
        {t.target === null ? '↺ stays' : `→ ${t.target}${t.reenter ? ' (re-enter)' : ''}`}
      </span>
      {t.actions.length > 0 && (
        <span
          className="chart-do"
          title="What the transition does (besides exit and entry actions)"
        >
          / {t.actions.join(', ')}
        </span>
      )}
    </li>
  );
}

export function Statechart({
  machine,
  current,
  last,
}: {
  machine: AnyStateMachine;
  current: string;
  last: LastStep | null;
}) {
  const chart = useMemo(() => chartOf(machine), [machine]);
  const [openAll, setOpenAll] = useState(false);
  const taken = useMemo(
    () => (last ? takenTransitions(chart, last.before, last.after, last.type) : []),
    [chart, last],
  );
  const isTaken = (state: string, k: number) => taken.some((x) => x.state === state && x.k === k);
  const shown = chart.states.filter((s) => s.atomic || s.timers.length || s.transitions.length);
  return (
    <div className="statechart" data-testid="statechart">
      <Map_ chart={chart} current={current} last={last} />
      {last && (
        <p className="chart-last" data-testid="chart-last">
          Last step (#{last.i + 1}): <code>{last.before}</code> —<code>{last.type}</code>→{' '}
          <code>{last.after}</code>
        </p>
      )}
      <div className="chart-states">
        {shown.map((s) => {
          const here = isIn(current, s.path);
          return (
            <details
              key={s.path}
              open={here || openAll}
              className={`chart-card${here ? ' current' : ''}`}
            >
              <summary>
                <span className="chart-name" style={{ paddingLeft: `${s.depth * 0.8}rem` }}>
                  {s.initial && <span title="initial state">● </span>}
                  {s.path}
                </span>
                {here && <span className="chart-here">current</span>}
              </summary>
              {(s.entry.length > 0 || s.exit.length > 0) && (
                <p className="chart-acts">
                  {s.entry.length > 0 && (
                    <>
                      entry: <code>{s.entry.join(', ')}</code>{' '}
                    </>
                  )}
                  {s.exit.length > 0 && (
                    <>
                      exit: <code>{s.exit.join(', ')}</code>
                    </>
                  )}
                </p>
              )}
              {s.timers.map((t) => (
                <p key={t.id + t.via} className="chart-timer">
                  ◷ timer <b>{t.id}</b> → <code>{t.event}</code> after <i>{t.delay}</i>
                </p>
              ))}
              <ul className="chart-ts">
                {s.transitions.map((t) => (
                  <TransitionLine key={t.k} t={t} marked={isTaken(s.path, t.k)} />
                ))}
              </ul>
            </details>
          );
        })}
        {chart.shared.length > 0 && (
          <details className="chart-card" open={openAll || taken.some((x) => x.state === '')}>
            <summary>
              <span className="chart-name">in any state (unless handled above)</span>
            </summary>
            <ul className="chart-ts">
              {chart.shared.map((t) => (
                <TransitionLine key={t.k} t={t} marked={isTaken('', t.k)} />
              ))}
            </ul>
          </details>
        )}
      </div>
      <button type="button" className="small-btn" onClick={() => setOpenAll(!openAll)}>
        {openAll ? 'collapse other states' : 'expand all states'}
      </button>
    </div>
  );
}
