/**
 * What the last event changed, drawn over the network view while the simulation stands
 * still (after a step, a step back or a seek): the node it happened at is ringed, the
 * message it delivered or dropped is an arrow along its link, the messages it sent are
 * faint arrows to their receivers (StepCaption narrates it). The message selected in
 * the "Next" tab is ringed where it is in flight.
 */
import { useEffect, useRef, useState } from 'react';
import { narrate } from '../../algorithms/index';
import { usePlayground, usePlaygroundStore } from '../store/store';
import { fitView, layout, nodeRadius, type Point } from '../topology/layout';
import { presenterScale, useModes } from '../presenter/mode';
import { useDebug } from './debugStore';
import { useStore } from 'zustand';
import { viewAdjustOf } from '../topology/fit';

const NONE: never[] = [];

/** A segment from a's edge to b's edge. */
function edge(a: Point, b: Point, ra: number, rb: number) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  return { x1: a.x + ux * ra, y1: a.y + uy * ra, x2: b.x - ux * rb, y2: b.y - uy * rb };
}

export function StepHighlight() {
  const ref = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ w: 800, h: 600 });
  const index = usePlayground((s) => s.position.index);
  const playing = usePlayground((s) => s.playing);
  const runIndex = usePlayground((s) => s.runIndex);
  const nodes = usePlayground((s) => s.scenario.nodes);
  const inFlight = usePlayground((s) => (s.playing ? NONE : s.view.inFlight));
  const now = usePlayground((s) => (s.playing ? 0 : s.now));
  const selected = useDebug((s) => s.selectedMsg);
  const present = useModes((s) => s.present);
  const adjust = useStore(viewAdjustOf(usePlaygroundStore()), (s) => s.adjust);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBox({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const rec = !playing && index > 0 ? runIndex.trace.at(index - 1) : undefined;
  const pos = layout(nodes);
  const R = nodeRadius(nodes.length) * presenterScale();
  const sel = !playing && selected !== null ? inFlight.find((m) => m.id === selected) : undefined;
  if (!rec && !sel) return <div ref={ref} className="step-hl" aria-hidden="true" />;

  const at = rec && rec.node ? pos.get(rec.node) : undefined;
  const from = rec && rec.from !== undefined ? pos.get(rec.from) : undefined;
  const sentTo: Point[] = [];
  if (rec && rec.sent) {
    const [lo, hi] = runIndex.sentBy(rec.i);
    const ids = new Set<number>();
    for (let id = lo + 1; id <= hi; id++) ids.add(id);
    for (const m of inFlight) if (ids.has(m.id)) sentTo.push(pos.get(m.to)!);
  }
  let selPoint: Point | null = null;
  if (sel) {
    const a = pos.get(sel.from);
    const b = pos.get(sel.to);
    if (a && b) {
      const span = Math.max(1, sel.deliverAt - sel.sentAt);
      const f = Math.min(1, Math.max(0, (now - sel.sentAt) / span));
      selPoint = { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
    }
  }
  const kind = rec?.kind;

  return (
    <div ref={ref} className="step-hl">
      <svg viewBox={fitView(box.w, box.h, present, adjust).viewBox} aria-hidden="true">
        <defs>
          <marker
            id="hl-head"
            viewBox="0 0 10 10"
            refX="8"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto"
          >
            <path d="M0 0 10 5 0 10z" className="hl-head" />
          </marker>
        </defs>
        {at &&
          sentTo.map((p, k) => {
            const e = edge(at, p, R + 8, R + 14);
            return <line key={k} className="hl-sent" {...e} markerEnd="url(#hl-head)" />;
          })}
        {at &&
          from &&
          from !== at &&
          (kind === 'deliver' || kind === 'drop' || kind === 'hold') && (
            <g className={`hl-msg ${kind}`}>
              {(() => {
                const e = edge(from, at, R + 6, R + 12);
                return (
                  <>
                    <line {...e} markerEnd={kind === 'drop' ? undefined : 'url(#hl-head)'} />
                    {kind === 'drop' && (
                      <path
                        className="hl-cross"
                        d={`M${e.x2 - 14},${e.y2 - 14}L${e.x2 + 14},${e.y2 + 14}M${e.x2 - 14},${e.y2 + 14}L${e.x2 + 14},${e.y2 - 14}`}
                      />
                    )}
                  </>
                );
              })()}
            </g>
          )}
        {at && (
          <g className={`hl-node kind-${kind}`}>
            <circle className="hl-glow" cx={at.x} cy={at.y} r={R + 16} />
            <circle className="hl-ring" cx={at.x} cy={at.y} r={R + 16} />
          </g>
        )}
        {selPoint && <circle className="hl-selected" cx={selPoint.x} cy={selPoint.y} r={22} />}
      </svg>
    </div>
  );
}

/** The last event in words, for the bottom panel's bar: "#31 · 381.101 ms Node 4 accepts…". */
export function StepCaption() {
  const index = usePlayground((s) => s.position.index);
  const playing = usePlayground((s) => s.playing);
  const trace = usePlayground((s) => s.runIndex.trace);
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const rec = index > 0 ? trace.at(index - 1) : undefined;
  if (!rec)
    return <p className="step-caption empty">The run is at its start: nothing has happened yet.</p>;
  const text = narrate(rec, algorithm);
  return (
    <p
      className={`step-caption kind-${rec.kind}${playing ? ' playing' : ''}`}
      data-testid="step-caption"
      title={text}
    >
      <span className="cap-i">
        #{rec.i + 1} · {(rec.t / 1000).toFixed(3)} ms
      </span>{' '}
      {text}
    </p>
  );
}
