/**
 * The scrubber: the whole explored run as one track (the part after the current event is
 * the explored future, reachable again exactly), with markers where a leader was
 * elected, where a fault or a manual choice happened and where an invariant was broken.
 * Dragging seeks; a click near a marker lands right after its event.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { playground, usePlayground } from '../store/store';
import { firstAtOrAfter, type Marker, type MarkerKind } from './runIndex';
import { formatCount } from '../format';

const PRIORITY: Record<MarkerKind, number> = { violation: 3, leader: 2, fault: 1, choice: 0 };
const GLYPH: Record<MarkerKind, string> = {
  leader: '★',
  fault: '⚡',
  choice: '◆',
  violation: '⚠',
};

interface Shown {
  x: number;
  m: Marker;
}

/** One marker per pixel column at most, the most important one winning. */
function bucket(markers: readonly Marker[], max: number, width: number): Shown[] {
  if (max <= 0 || width <= 0) return [];
  const cols = new Map<number, Shown>();
  for (const m of markers) {
    const x = Math.min(1, (m.i + 1) / max);
    const col = Math.round(x * width);
    const had = cols.get(col);
    if (!had || PRIORITY[m.kind] > PRIORITY[had.m.kind]) cols.set(col, { x, m });
  }
  return [...cols.values()].sort((a, b) => a.x - b.x);
}

export function Scrubber() {
  const index = usePlayground((s) => s.position.index);
  const max = usePlayground((s) => s.position.max);
  const markers = usePlayground((s) => s.runIndex.markers);
  const violations = usePlayground((s) => s.runIndex.violations);
  const trace = usePlayground((s) => s.runIndex.trace);
  const trackRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  const [tip, setTip] = useState<{ x: number; m: Marker } | null>(null);
  const pending = useRef<number | null>(null);
  const raf = useRef(0);

  useEffect(() => {
    const el = trackRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(raf.current);
    };
  }, []);

  const shown = useMemo(() => bucket(markers, max, width), [markers, max, width]);

  const bands = useMemo(() => {
    const end = Math.min(trace.length, max);
    return violations
      .filter((v) => v.until !== undefined || v.invariant === 'split-brain')
      .map((v) => {
        const to = v.until !== undefined ? firstAtOrAfter(trace, end, v.until) : end;
        return {
          key: `${v.invariant}-${v.eventIndex}`,
          from: (v.eventIndex + 1) / Math.max(1, max),
          to: Math.max(to, v.eventIndex + 1) / Math.max(1, max),
        };
      });
  }, [violations, trace, max]);

  const seek = (v: number) => {
    pending.current = v;
    if (raf.current) return;
    raf.current = requestAnimationFrame(() => {
      raf.current = 0;
      if (pending.current !== null) playground.getState().seek(pending.current);
      pending.current = null;
    });
  };

  const nearMarker = (clientX: number): Shown | null => {
    const el = trackRef.current;
    if (!el || shown.length === 0) return null;
    const r = el.getBoundingClientRect();
    const fx = (clientX - r.left) / r.width;
    let best: Shown | null = null;
    let bestD = 6 / r.width;
    for (const s of shown) {
      const d = Math.abs(s.x - fx);
      if (d <= bestD) {
        best = s;
        bestD = d;
      }
    }
    return best;
  };

  const pct = max > 0 ? (index / max) * 100 : 0;
  return (
    <div className="scrubber" data-testid="scrubber-row">
      <span className="scrub-pos" aria-live="off">
        <span className="scrub-label">Event</span>{' '}
        <b data-testid="scrub-index">{index.toLocaleString('en')}</b>
        <span className="muted"> / {formatCount(max)}</span>
      </span>
      <div
        className="scrub-track"
        ref={trackRef}
        onPointerMove={(e) => {
          const near = nearMarker(e.clientX);
          setTip(near ? { x: near.x, m: near.m } : null);
        }}
        onPointerLeave={() => setTip(null)}
      >
        <div className="scrub-rail" />
        <div className="scrub-past" style={{ width: `${pct}%` }} />
        {bands.map((b) => (
          <div
            key={b.key}
            className="scrub-band"
            style={{ left: `${b.from * 100}%`, width: `${Math.max(0.3, (b.to - b.from) * 100)}%` }}
          />
        ))}
        {shown.map((s) => (
          <span
            key={`${s.m.kind}-${s.m.i}`}
            className={`scrub-mark mark-${s.m.kind}`}
            style={{ left: `${s.x * 100}%` }}
            data-kind={s.m.kind}
            aria-hidden="true"
          >
            {GLYPH[s.m.kind]}
          </span>
        ))}
        <input
          type="range"
          className="scrub-input"
          min={0}
          max={Math.max(1, max)}
          step={1}
          value={index}
          disabled={max === 0}
          aria-label="Position in the run (event index): drag to travel back and forth"
          aria-valuetext={`event ${index} of ${max}`}
          data-testid="scrubber"
          onPointerDown={(e) => {
            const near = nearMarker(e.clientX);
            if (near) {
              e.preventDefault();
              playground.getState().seek(near.m.i + 1);
            }
          }}
          onChange={(e) => seek(Number(e.target.value))}
        />
        {tip && (
          <div className={`scrub-tip tip-${tip.m.kind}`} style={{ left: `${tip.x * 100}%` }}>
            {GLYPH[tip.m.kind]} #{tip.m.i + 1}: {tip.m.text}
          </div>
        )}
      </div>
      <span className="scrub-legend" aria-hidden="true">
        <span className="mark-leader">★</span> leader <span className="mark-fault">⚡</span> fault{' '}
        <span className="mark-choice">◆</span> your choice <span className="mark-violation">⚠</span>{' '}
        violation
      </span>
    </div>
  );
}
