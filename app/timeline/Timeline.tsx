/**
 * React host of the space-time diagram: creates the D3 renderer once and feeds it the
 * playground's published run (at once while paused, at most five times a second while
 * playing), when the log's hovered line changes, and on resize.
 */
import { useEffect, useRef } from 'react';
import { narrate } from '../../algorithms/index';
import { playground } from '../store/store';
import { debugStore, useDebug } from '../debug/debugStore';
import { TimelineRenderer, type TimelineData } from './renderer';

const PLAYING_MS = 200;

export function Timeline() {
  const hostRef = useRef<HTMLDivElement>(null);
  const rendererRef = useRef<TimelineRenderer | null>(null);
  const follow = useDebug((s) => s.timelineFollow);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const renderer = new TimelineRenderer(host, {
      seek: (i) => playground.getState().seek(i),
      manual: () => debugStore.getState().setTimelineFollow(false),
      narrate: (r) => narrate(r, playground.getState().scenario.algorithm),
    });
    rendererRef.current = renderer;
    let timer = 0;
    const feed = () => {
      if (timer) window.clearTimeout(timer);
      timer = 0;
      const s = playground.getState();
      const runIndex = s.runIndex;
      const data: TimelineData = {
        trace: runIndex.trace,
        end: Math.min(s.position.max, runIndex.end, runIndex.trace.length),
        index: s.position.index,
        now: s.now,
        nodes: s.scenario.nodes.map((n) => n.id),
        roles: runIndex.roles,
        paused: runIndex.paused,
        markers: runIndex.markers,
        violations: runIndex.violations,
        maxLatency: runIndex.maxLatency,
        sendOf: (id, before) => runIndex.sendOf(id, before),
        inFlight: s.view.inFlight,
        hover: debugStore.getState().hover,
      };
      renderer.update(data);
    };
    const ro = new ResizeObserver(() => {
      renderer.resize(host.clientWidth, host.clientHeight);
      feed();
    });
    ro.observe(host);
    renderer.setFollow(debugStore.getState().timelineFollow);
    feed();
    const unsubRun = playground.subscribe((s, prev) => {
      if (
        s.position === prev.position &&
        s.runIndex === prev.runIndex &&
        s.view === prev.view &&
        s.playing === prev.playing &&
        s.generation === prev.generation &&
        s.now === prev.now
      )
        return;
      // while playing, one picture of the latest published moment every PLAYING_MS
      if (s.playing && s.generation === prev.generation) {
        if (!timer) timer = window.setTimeout(feed, PLAYING_MS);
        return;
      }
      feed();
    });
    const unsubHover = debugStore.subscribe((s, prev) => {
      if (s.hover !== prev.hover) feed();
    });
    const unsubNodes = playground.subscribe((s, prev) => {
      if (
        s.scenario.nodes !== prev.scenario.nodes &&
        s.scenario.nodes.length !== prev.scenario.nodes.length
      )
        feed();
    });
    return () => {
      if (timer) window.clearTimeout(timer);
      unsubRun();
      unsubHover();
      unsubNodes();
      ro.disconnect();
      renderer.destroy();
      rendererRef.current = null;
    };
  }, []);

  useEffect(() => {
    rendererRef.current?.setFollow(follow);
  }, [follow]);

  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-host" ref={hostRef} />
      <div className="timeline-tools">
        <button
          type="button"
          className={`small-btn follow${follow ? ' on' : ''}`}
          aria-pressed={follow}
          onClick={() => debugStore.getState().setTimelineFollow(!follow)}
          title="Keep the cursor in view (zooming or panning turns this off)"
          data-testid="timeline-follow"
        >
          follow
        </button>
        <span className="timeline-legend" aria-hidden="true">
          <span className="lg lg-leader" /> leader <span className="lg lg-candidate" /> candidate{' '}
          <span className="lg lg-dead" /> down · wheel to zoom, drag to pan, click to travel
        </span>
      </div>
    </div>
  );
}
