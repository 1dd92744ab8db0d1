/**
 * React host of the D3 network view: creates the renderer once, feeds it from the store
 * (a structural render when the picture changed, a cheap tick when only the clock moved)
 * and turns gestures into store actions. The menus, status line and legend are HTML on
 * top of the SVG so they stay crisp and accessible.
 */
import { useEffect, useRef } from 'react';
import { registry } from '../../algorithms/index';
import {
  playground,
  PlaygroundContext,
  usePlayground,
  type PlaygroundState,
  type PlaygroundStore,
} from '../store/store';
import { layout, type Point } from './layout';
import { TopologyRenderer, type RenderFrame } from './renderer';
import { NodeMenu, LinkMenu } from './menus';
import { StatusLine } from './StatusLine';
import { Legend } from './Legend';
import { viewAdjustOf, type Box, type Floating, type Spot } from './fit';

/** The panels drawn over the network view that stay where the style sheet puts them. */
const FIXED = '.status-line > *, .legend, .view-hint, .embed-open';
/** The panels over the view that move to another corner or edge when they would cover a node. */
const FLOATING = '.pay-board';
/** The panels drawn over the network view: the view keeps its nodes and labels clear of them. */
export const OVERLAYS = `${FIXED}, ${FLOATING}`;

/** Where a floating panel was moved to, and by how much (CSS px from where the style sheet puts it). */
const moved = new WeakMap<Element, { spot: Spot; dx: number; dy: number }>();

/** The playground's network view; compare mode passes each side's `store`. */
export function NetworkView({ store = playground }: { store?: PlaygroundStore } = {}) {
  return (
    <PlaygroundContext.Provider value={store}>
      <NetworkViewOf store={store} />
    </PlaygroundContext.Provider>
  );
}

function NetworkViewOf({ store }: { store: PlaygroundStore }) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<HTMLDivElement>(null);
  const menu = usePlayground((s) => s.menu);
  const nodeCount = usePlayground((s) => s.view.nodes.length);

  useEffect(() => {
    const svg = svgRef.current;
    const wrap = wrapRef.current;
    if (!svg || !wrap) return;
    const local = (p: { x: number; y: number }) => {
      const r = wrap.getBoundingClientRect();
      return { x: p.x - r.left, y: p.y - r.top };
    };
    const renderer = new TopologyRenderer(svg, {
      nodeClick(id, ev, anchor) {
        const s = store.getState();
        if (
          (ev as MouseEvent).shiftKey ||
          (ev as MouseEvent).metaKey ||
          (ev as MouseEvent).ctrlKey
        ) {
          s.closeMenu();
          s.selectNode(id, true);
          return;
        }
        s.selectNode(id);
        const p = local(anchor);
        s.openMenu({ kind: 'node', id, x: p.x, y: p.y });
      },
      nodeDrag(id, x, y) {
        const s = store.getState();
        s.closeMenu();
        s.moveNode(id, x, y);
      },
      linkClick(from, to, ev, anchor, near) {
        const s = store.getState();
        if (ev.shiftKey) {
          const far = near === from ? to : from;
          s.closeMenu();
          s.selectLink(from, to);
          s.cut(near, far, true);
          return;
        }
        s.selectLink(from, to);
        const p = local(anchor);
        s.openMenu({ kind: 'link', from, to, x: p.x, y: p.y });
      },
      linkToggle(from, to) {
        const s = store.getState();
        s.closeMenu();
        s.selectLink(from, to);
        s.toggleSelectedLink();
      },
      backgroundClick() {
        store.getState().clearSelection();
      },
      lasso(ids) {
        const s = store.getState();
        s.closeMenu();
        if (ids.length === 0) return;
        s.selectNodes(ids);
        s.isolate(ids);
      },
      overlays() {
        const host = svg.getBoundingClientRect();
        const out: Box[] = [];
        for (const e of stage.querySelectorAll(FIXED)) {
          const r = e.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          out.push({
            x1: r.left - host.left,
            y1: r.top - host.top,
            x2: r.right - host.left,
            y2: r.bottom - host.top,
          });
        }
        return out;
      },
      floating() {
        const host = svg.getBoundingClientRect();
        const out: Floating[] = [];
        for (const e of stage.querySelectorAll(FLOATING)) {
          const r = e.getBoundingClientRect();
          if (r.width === 0 || r.height === 0) continue;
          const m = moved.get(e) ?? { spot: 'home', dx: 0, dy: 0 };
          const x1 = r.left - host.left - m.dx;
          const y1 = r.top - host.top - m.dy;
          out.push({
            w: r.width,
            h: r.height,
            home: { x1, y1, x2: x1 + r.width, y2: y1 + r.height },
            spot: m.spot,
            at: {
              x1: r.left - host.left,
              y1: r.top - host.top,
              x2: r.right - host.left,
              y2: r.bottom - host.top,
            },
          });
        }
        return out;
      },
      placeFloating(spots, boxes) {
        const els = [...stage.querySelectorAll<HTMLElement>(FLOATING)].filter((e) => {
          const r = e.getBoundingClientRect();
          return r.width > 0 && r.height > 0;
        });
        const host = svg.getBoundingClientRect();
        els.forEach((e, i) => {
          if (!boxes[i]) return;
          const r = e.getBoundingClientRect();
          const m = moved.get(e) ?? { spot: 'home', dx: 0, dy: 0 };
          const dx = Math.round(boxes[i].x1 - (r.left - host.left - m.dx));
          const dy = Math.round(boxes[i].y1 - (r.top - host.top - m.dy));
          moved.set(e, { spot: spots[i], dx, dy });
          e.style.translate = dx === 0 && dy === 0 ? '' : `${dx}px ${dy}px`;
          e.dataset.spot = spots[i];
        });
      },
      fitChanged(adjust) {
        viewAdjustOf(store).setState({ adjust });
      },
    });
    // a panel over the view that appears, grows or moves may cover a node: check again.
    // The panels are this view's own: in compare mode, those of its pane
    const stage = wrap.closest('.compare-pane') ?? wrap.closest('.stage') ?? wrap;
    const watch = new ResizeObserver(() => {
      rescan();
      renderer.checkOverlays();
    });
    const rescan = () => {
      for (const e of stage.querySelectorAll(`${OVERLAYS}, .status-line`)) watch.observe(e);
    };
    const mounted = new MutationObserver(() => {
      rescan();
      renderer.checkOverlays();
    });
    mounted.observe(stage, { childList: true });
    mounted.observe(wrap, { childList: true });
    rescan();

    let positions: ReadonlyMap<number, Point> = new Map();
    let positionsOf: PlaygroundState['scenario']['nodes'] | null = null;
    let selectedOf: number[] | null = null;
    let selected: ReadonlySet<number> = new Set();
    const frameOf = (s: PlaygroundState): RenderFrame => {
      if (s.scenario.nodes !== positionsOf) {
        positionsOf = s.scenario.nodes;
        positions = layout(s.scenario.nodes);
      }
      if (s.selected !== selectedOf) {
        selectedOf = s.selected;
        selected = new Set(s.selected);
      }
      return {
        view: s.view,
        def: registry[s.view.algorithm],
        positions,
        selected,
        link: s.link,
        reducedMotion: s.reducedMotion,
      };
    };
    const draw = () => {
      const s = store.getState();
      renderer.render(frameOf(s), s.drops, s.now);
    };

    const ro = new ResizeObserver(() => {
      const r = svg.getBoundingClientRect();
      renderer.resize(r.width, r.height);
      draw();
    });
    ro.observe(svg);
    draw();

    const unsub = store.subscribe((s, prev) => {
      if (
        s.view !== prev.view ||
        s.scenario.nodes !== prev.scenario.nodes ||
        s.scenario.algorithm !== prev.scenario.algorithm ||
        s.selected !== prev.selected ||
        s.link !== prev.link ||
        s.reducedMotion !== prev.reducedMotion ||
        s.drops !== prev.drops
      )
        renderer.render(frameOf(s), s.drops, s.now);
      else if (s.now !== prev.now) renderer.tick(s.now);
    });
    return () => {
      unsub();
      ro.disconnect();
      watch.disconnect();
      mounted.disconnect();
      renderer.destroy();
    };
  }, [store]);

  return (
    <div className="network-wrap" ref={wrapRef}>
      <div
        ref={svgRef}
        className="topology"
        data-testid="topology"
        role="group"
        aria-label={`Network of ${nodeCount} nodes. Arrow keys move between nodes, down arrow to a node's links; Enter opens a node's actions, Enter or Space on a link cuts or heals it.`}
      />
      <StatusLine />
      <Legend />
      <p className="view-hint" aria-hidden="true">
        Click a node or link for actions · Shift-click to multi-select · Drag on empty space to
        lasso a partition
      </p>
      {menu?.kind === 'node' && <NodeMenu id={menu.id} x={menu.x} y={menu.y} />}
      {menu?.kind === 'link' && <LinkMenu from={menu.from} to={menu.to} x={menu.x} y={menu.y} />}
    </div>
  );
}
