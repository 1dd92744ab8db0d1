/**
 * The full event log: one line per event of the explored run, with its simulated time
 * and a plain-language narration. Its rows have one height, so only those on screen are
 * drawn and narrated, whatever the run's length (a million events); filtering by node,
 * type and kind builds an index of matching events once and then extends it. A click on
 * a line seeks there (the state right after that event). Lines after the current event
 * are the explored future, shown dimmed; the current line is marked.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { EventKind, TraceRecord, TraceView } from '../../algorithms/index';
import { narrate } from '../../algorithms/index';
import { playground, useDefinition, usePlayground, type PlaygroundState } from '../store/store';
import { ALL_KINDS, debugStore, useDebug, type LogFilter } from '../debug/debugStore';
import { roleOfState } from '../debug/runIndex';
import { formatCount } from '../format';

/** Row height follows the root font size (which scales with the window, up to 4K). */
function rowHeight(): number {
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  return Math.round(px * 1.6);
}

function useRowHeight(): number {
  const [h, setH] = useState(rowHeight);
  useEffect(() => {
    const onResize = () => setH(rowHeight());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return h;
}

/**
 * The run's position and index as the log shows them: at every published snapshot, the
 * same one the scrubber and the footer draw in the same frame, so that the log never says
 * fewer events than the footer while the run plays. (A log redrawn at most five times a
 * second cost a little less main thread at 50 nodes, but read "0 events" for up to 200 ms
 * after the footer said 1.)
 */
function useLogRun(): Pick<PlaygroundState, 'position' | 'runIndex'> {
  const position = usePlayground((s) => s.position);
  const runIndex = usePlayground((s) => s.runIndex);
  return useMemo(() => ({ position, runIndex }), [position, runIndex]);
}

const KIND_ICON: Record<EventKind, string> = {
  deliver: '→',
  drop: '✕',
  timer: '◷',
  fault: '⚡',
  hold: '❚❚',
};
const KIND_WORD: Record<EventKind, string> = {
  deliver: 'delivered',
  drop: 'dropped',
  timer: 'timers',
  fault: 'faults',
  hold: 'held',
};

function isFiltered(f: LogFilter): boolean {
  return f.node !== null || f.type !== '' || Object.values(f.kinds).some((v) => !v);
}

function matches(r: TraceRecord, f: LogFilter): boolean {
  if (!f.kinds[r.kind]) return false;
  if (f.node !== null && r.node !== f.node && r.from !== f.node) return false;
  if (f.type !== '' && r.type !== f.type) return false;
  return true;
}

/** Matching event indices, extended as the run grows; rebuilt when the filter or run changes. */
class FilterCache {
  private key = '';
  private generation = -1;
  private trace: TraceView | null = null;
  arr = new Int32Array(1024);
  len = 0;
  private scanned = 0;

  rows(
    f: LogFilter,
    trace: TraceView,
    end: number,
    generation: number,
  ): { count: number; rowOf(i: number): number; at(row: number): number } {
    const key = JSON.stringify(f);
    if (
      key !== this.key ||
      this.generation !== generation ||
      this.trace !== trace ||
      end < this.scanned
    ) {
      this.key = key;
      this.generation = generation;
      this.trace = trace;
      this.len = 0;
      this.scanned = 0;
    }
    // a long run keeps only its last events: forget matches before them
    if (this.len > 0 && this.arr[0] < trace.start) {
      let k = 0;
      while (k < this.len && this.arr[k] < trace.start) k++;
      // into a new array: row lookups handed out before keep reading the old one
      const next = new Int32Array(this.arr.length);
      next.set(this.arr.subarray(k, this.len));
      this.arr = next;
      this.len -= k;
    }
    for (let i = Math.max(this.scanned, trace.start); i < end; i++) {
      if (!matches(trace.at(i) as TraceRecord, f)) continue;
      if (this.len === this.arr.length) {
        const next = new Int32Array(this.arr.length * 2);
        next.set(this.arr);
        this.arr = next;
      }
      this.arr[this.len++] = i;
    }
    this.scanned = Math.max(this.scanned, end);
    // the rows as of now: later runs only append, so these stay right for this count
    const arr = this.arr;
    const len = this.len;
    return { count: len, rowOf: (i) => this.rowOf(arr, len, i), at: (row) => arr[row] };
  }

  /** The position of the last matching event at or before `i` (-1 if none). */
  private rowOf(arr: Int32Array, len: number, i: number): number {
    let lo = 0;
    let hi = len - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid] <= i) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }
}

const cache = new FilterCache();

function Filters({ nodes, types }: { nodes: number[]; types: readonly string[] }) {
  const filter = useDebug((s) => s.filter);
  const d = debugStore.getState();
  return (
    <div className="log-filters" role="group" aria-label="Filter the event log">
      <select
        aria-label="Filter by node"
        value={filter.node ?? ''}
        data-testid="log-filter-node"
        onChange={(e) =>
          d.setFilter({ node: e.target.value === '' ? null : Number(e.target.value) })
        }
      >
        <option value="">All nodes</option>
        {nodes.map((n) => (
          <option key={n} value={n}>
            Node {n}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by message, timer or fault type"
        value={filter.type}
        data-testid="log-filter-type"
        onChange={(e) => d.setFilter({ type: e.target.value })}
      >
        <option value="">All types</option>
        {types.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      {(Object.keys(ALL_KINDS) as EventKind[]).map((k) => (
        <label
          key={k}
          className={`chip kind-${k}${filter.kinds[k] ? ' on' : ''}`}
          title={`${filter.kinds[k] ? 'Hide' : 'Show'} ${KIND_WORD[k]} events`}
        >
          <input
            type="checkbox"
            checked={filter.kinds[k]}
            onChange={(e) => d.setFilter({ kinds: { ...filter.kinds, [k]: e.target.checked } })}
            data-testid={`log-kind-${k}`}
          />
          <span aria-hidden="true">{KIND_ICON[k]}</span>
          <span className="chip-word">{KIND_WORD[k]}</span>
        </label>
      ))}
      {isFiltered(filter) && (
        <button
          type="button"
          className="small-btn"
          onClick={() => d.setFilter({ node: null, type: '', kinds: { ...ALL_KINDS } })}
        >
          clear
        </button>
      )}
    </div>
  );
}

/**
 * The rows on screen of a list of `count` rows of `rowH` pixels in the scroll element `el`:
 * arithmetic on its scroll offset and height, so that it costs the same at ten rows and at
 * a million (a general virtualiser keeps one measurement object per row: at a million
 * events that was a third of a second and tens of megabytes each time the run jumped).
 */
function useRowWindow(el: HTMLDivElement | null, count: number, rowH: number, overscan: number) {
  const [box, setBox] = useState({ offset: 0, height: 0 });
  // the latest offset and height, for effects that must not re-run when they change
  const seen = useRef(box);
  const show = useCallback((next: { offset: number; height: number }, sync: boolean) => {
    seen.current = next;
    const update = () =>
      setBox((b) => (b.offset === next.offset && b.height === next.height ? b : next));
    if (sync) flushSync(update);
    else update();
  }, []);
  useLayoutEffect(() => {
    if (!el) return;
    // a scroll draws its rows in the same frame, as the browser scrolls
    const read = (sync: boolean) => show({ offset: el.scrollTop, height: el.clientHeight }, sync);
    read(false);
    const onScroll = () => read(true);
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(() => read(false));
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
    };
  }, [el, show]);
  /**
   * The list was just scrolled to `offset` by the page itself: draw its rows now, in the
   * same frame, instead of on the scroll event a frame later. Following a run at 100x
   * moves hundreds of rows a frame, so rows drawn a frame late showed an empty list.
   */
  const showOffset = useCallback(
    (offset: number) => show({ offset, height: seen.current.height }, true),
    [show],
  );
  const first = Math.max(0, Math.floor(box.offset / rowH) - overscan);
  const last = Math.min(count, Math.ceil((box.offset + box.height) / rowH) + overscan);
  const items: { index: number; start: number }[] = [];
  for (let k = first; k < last; k++) items.push({ index: k, start: k * rowH });
  return { items, totalSize: count * rowH, seen, showOffset };
}

/** Scrolls `el` as little as needed to show row `row` (of `rowH` pixels) whole. */
function scrollToRow(el: HTMLElement | null, row: number, rowH: number): void {
  if (!el) return;
  const top = row * rowH;
  const view = el.clientHeight;
  if (top < el.scrollTop) el.scrollTop = top;
  else if (top + rowH > el.scrollTop + view) el.scrollTop = Math.max(0, top + rowH - view);
}

export function EventLogVirtual() {
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const def = useDefinition();
  const nodeIds = usePlayground((s) => s.scenario.nodes.map((n) => n.id).join(','));
  const { position, runIndex } = useLogRun();
  const { index, max } = position;
  const filter = useDebug((s) => s.filter);
  const follow = useDebug((s) => s.follow);
  const hover = useDebug((s) => s.hover);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowH = useRowHeight();

  const { trace, generation, violations, types } = runIndex;
  const end = Math.min(max, runIndex.end, trace.length);
  // a long run keeps only its last events: the log starts where the kept history does
  const start = Math.min(trace.start, end);
  const filtered = isFiltered(filter);
  const rows = useMemo(
    () => (filtered ? cache.rows(filter, trace, end, generation) : null),
    // (the trace is the engine's live store: `end` says how it moved; its front is dropped
    // only as the run grows, so `end` moves with it)
    [filtered, filter, trace, end, generation],
  );
  const count = rows ? rows.count : end - start;
  const at = (row: number) => (rows ? rows.at(row) : start + row);
  const currentRow = rows ? rows.rowOf(index - 1) : index - 1 - start;

  const violationAt = useMemo(
    () => new Map(violations.map((v) => [v.eventIndex, v])),
    [violations],
  );

  const [scrollEl, setScrollEl] = useState<HTMLDivElement | null>(null);
  const setScrollRef = useCallback((el: HTMLDivElement | null) => {
    scrollRef.current = el;
    setScrollEl(el);
  }, []);
  const rowWindow = useRowWindow(scrollEl, count, rowH, 8);

  // keep the current event in view while following
  const followRow = useRef(-1);
  const followFrame = useRef(0);
  useEffect(() => {
    followRow.current = follow && count > 0 ? currentRow : -1;
    if (followRow.current < 0 || followFrame.current !== 0) return;
    // rows are rowH high: scroll by arithmetic on the offset and size seen by the scroll
    // and resize listeners, without reading layout. The offset is written at the start of
    // the next animation frame, while the page's layout is still clean: written here, just
    // after React changed the page, it forced a layout of the whole page on every event of
    // a playing run, on top of the one the frame does anyway (the biggest part of the
    // page's time per frame while playing). One frame is asked for at a time and it scrolls
    // to the row current when it runs: a run that renders in every frame (100x) renders
    // again before that frame comes, and cancelling it there left the log at its top
    followFrame.current = requestAnimationFrame(() => {
      followFrame.current = 0;
      const row = followRow.current;
      if (row < 0) return;
      const el = scrollRef.current;
      const { height: view, offset } = rowWindow.seen.current;
      const top = row * rowH;
      const to =
        top < offset ? top : top + rowH > offset + view ? Math.max(0, top + rowH - view) : -1;
      if (to < 0) return;
      if (el && view > 0) {
        el.scrollTop = to;
        rowWindow.showOffset(to);
      } else scrollToRow(el, row, rowH);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the window's size is read, not watched
  }, [follow, currentRow, count, rowH]);
  useEffect(() => () => cancelAnimationFrame(followFrame.current), []);

  const stopFollowing = () => debugStore.getState().setFollow(false);
  const items = rowWindow.items;

  /**
   * The log is one tab stop: its rows are not in the Tab order, Up and Down move focus from
   * row to row (from the current event's row when the list itself has focus), Home and End
   * to the first and last, and Enter travels to the focused row's event.
   */
  const moveFocus = (e: React.KeyboardEvent) => {
    const step = { ArrowDown: 1, ArrowUp: -1 }[e.key as 'ArrowDown' | 'ArrowUp'];
    if (step === undefined || count === 0) return;
    e.preventDefault();
    stopFollowing();
    const focused = (document.activeElement as HTMLElement | null)?.dataset.row;
    const from =
      focused !== undefined ? Number(focused) : Math.max(-1, Math.min(count, currentRow));
    const to = Math.max(0, Math.min(count - 1, from + step));
    scrollToRow(scrollRef.current, to, rowH);
    const focusRow = (tries: number) => {
      const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row="${to}"]`);
      if (el) el.focus({ preventScroll: true });
      else if (tries > 0) requestAnimationFrame(() => focusRow(tries - 1));
    };
    focusRow(5);
  };
  const nodes = nodeIds.split(',').map(Number);

  return (
    <section className="event-log-v" aria-labelledby="elog-title" data-testid="event-log-panel">
      <div className="log-head">
        <h2 id="elog-title">
          <span className="visually-hidden">Event log: </span>
          <span className="muted" data-testid="log-count">
            {filtered ? `${formatCount(count)} of ${formatCount(end)}` : formatCount(end)} events
          </span>
        </h2>
        <Filters nodes={nodes} types={types} />
        <button
          type="button"
          className={`small-btn follow${follow ? ' on' : ''}`}
          aria-pressed={follow}
          onClick={() => debugStore.getState().setFollow(!follow)}
          title="Keep the current event in view"
          data-testid="log-follow"
        >
          follow
        </button>
      </div>
      {start > 0 && (
        <p className="history-start muted" data-testid="history-start">
          History kept from event {formatCount(start)}: older events were dropped to bound memory.
        </p>
      )}
      {end === 0 ? (
        <p className="hint log-empty">
          Nothing has happened yet. Press Play (Space) or Step (→); every event will be listed here,
          and a click on a line travels back to it.
        </p>
      ) : (
        <div
          className="log-scroll"
          ref={setScrollRef}
          data-testid="event-log"
          tabIndex={0}
          aria-label="Events: click a line to travel to it; Up and Down move between lines, Enter travels"
          onWheel={stopFollowing}
          // a finger that moves on the log scrolls it (a tap only travels): stop following,
          // or the next event scrolls it back under the finger
          onTouchMove={stopFollowing}
          onPointerDown={(e) => {
            if (e.target === scrollRef.current) stopFollowing();
          }}
          onKeyDown={(e) => {
            if (e.key === 'PageUp' || e.key === 'PageDown') stopFollowing();
            moveFocus(e);
          }}
        >
          <div
            className="log-inner"
            style={
              {
                height: rowWindow.totalSize,
                // columns as wide as the largest index and time need (monospaced digits)
                '--log-iw': `${String(end).length + 1.5}ch`,
                '--log-tw': `${String(Math.floor((trace.time(end - 1) || 0) / 1000)).length + 4.5}ch`,
              } as React.CSSProperties
            }
          >
            {items.map((it) => {
              const i = at(it.index);
              const r = trace.at(i);
              if (!r) return null;
              const v = violationAt.get(i);
              const led =
                roleOfState(def, r.after) === 'leader' && roleOfState(def, r.before) !== 'leader';
              const cls = [
                'log-row',
                `kind-${r.kind}`,
                i >= index ? 'future' : '',
                i === index - 1 ? 'current' : '',
                v ? 'violation' : '',
                led ? 'elected' : '',
                hover === i ? 'hovered' : '',
              ]
                .filter(Boolean)
                .join(' ');
              const text = narrate(r, algorithm);
              return (
                <button
                  type="button"
                  key={it.index}
                  tabIndex={-1}
                  data-row={it.index}
                  className={cls}
                  style={{ transform: `translateY(${it.start}px)`, height: rowH }}
                  onClick={() => playground.getState().seek(i + 1)}
                  onMouseEnter={() => debugStore.getState().setHover(i)}
                  onMouseLeave={() => debugStore.getState().setHover(null)}
                  title={v ? `${text}\n⚠ ${v.invariant}: ${v.detail}` : text}
                  data-testid={`log-row-${i}`}
                  data-index={i}
                  aria-current={i === index - 1 ? 'step' : undefined}
                >
                  <span className="log-i">#{i + 1}</span>
                  <span className="log-time">{(r.t / 1000).toFixed(3)}</span>
                  <span className="log-icon" aria-hidden="true">
                    {v ? '⚠' : led ? '★' : KIND_ICON[r.kind]}
                  </span>
                  <span className="log-text">{text}</span>
                </button>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
