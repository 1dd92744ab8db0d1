/**
 * The small menus that open when a node or a link is clicked. Every item is a store
 * action, which goes through `sim.apply` and so is recorded in the scenario.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { usePlayground, usePlaygroundStore } from '../store/store';
import { linkKey } from '../store/view';
import { clockItem } from '../panels/ClockDrift';

interface Item {
  label: string;
  hint?: string;
  key?: string;
  danger?: boolean;
  disabled?: boolean;
  run(): void;
  testid: string;
}

function Popover(props: {
  x: number;
  y: number;
  title: ReactNode;
  label: string;
  items: Item[];
  children?: ReactNode;
  testid: string;
  /** Selector of the element that gets focus back when the menu closes. */
  returnFocus: string;
}) {
  const store = usePlaygroundStore();
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: props.x + 24, top: props.y - 20 });

  // keep the menu inside the view; prefer the right of the anchor
  useLayoutEffect(() => {
    const el = ref.current;
    const parent = el?.parentElement;
    if (!el || !parent) return;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const W = parent.clientWidth;
    const H = parent.clientHeight;
    let left = props.x + 64;
    if (left + w > W - 8) left = props.x - 64 - w;
    left = Math.max(8, Math.min(W - w - 8, left));
    const top = Math.max(8, Math.min(H - h - 8, props.y - h / 2));
    setPos({ left, top });
  }, [props.x, props.y, props.items.length]);

  const { returnFocus } = props;
  useEffect(() => {
    const first = ref.current?.querySelector<HTMLButtonElement>('button:not([disabled])');
    first?.focus({ preventScroll: true });
    const menu = ref.current;
    return () => {
      // back to the node or link the menu belongs to, unless focus moved on
      const active = document.activeElement;
      if (!active || active === document.body || menu?.contains(active))
        document.querySelector<SVGElement>(returnFocus)?.focus({ preventScroll: true });
    };
  }, [returnFocus]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    const buttons = [
      ...(ref.current?.querySelectorAll<HTMLButtonElement>(
        'button[role="menuitem"]:not([disabled])',
      ) ?? []),
    ];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      const d = e.key === 'ArrowDown' ? 1 : -1;
      buttons[(i + d + buttons.length) % buttons.length]?.focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      store.getState().closeMenu();
    } else if (e.key === 'Tab') {
      store.getState().closeMenu();
    }
  };

  return (
    <div
      ref={ref}
      className="popover"
      role="menu"
      aria-label={props.label}
      data-testid={props.testid}
      style={{ left: pos.left, top: pos.top }}
      onKeyDown={onKeyDown}
    >
      <div className="popover-title">{props.title}</div>
      {props.items.map((it) => (
        <button
          key={it.testid}
          type="button"
          role="menuitem"
          className={`menu-item${it.danger ? ' danger' : ''}`}
          disabled={it.disabled}
          data-testid={it.testid}
          onClick={() => {
            it.run();
            store.getState().closeMenu();
          }}
        >
          <span>{it.label}</span>
          {it.key && <kbd>{it.key}</kbd>}
          {it.hint && <small>{it.hint}</small>}
        </button>
      ))}
      {props.children}
    </div>
  );
}

export function NodeMenu({ id, x, y }: { id: number; x: number; y: number }) {
  const store = usePlaygroundStore();
  const node = usePlayground((s) => s.view.byId.get(id));
  const isolated = usePlayground((s) => {
    const g = s.view.groups;
    if (!g) return false;
    return s.view.nodes.every((n) => n.id === id || g[n.id] !== g[id]);
  });
  if (!node) return null;
  const s = store.getState();
  const items: Item[] = [
    {
      label: node.alive ? 'Kill' : 'Kill (already dead)',
      hint: 'crash: timers and volatile state are lost',
      key: 'K',
      danger: true,
      disabled: !node.alive,
      run: () => s.kill(id),
      testid: 'menu-kill',
    },
    {
      label: node.alive ? 'Restart' : 'Restart (recover)',
      hint: 'fresh process; Raft keeps term and vote',
      key: 'R',
      run: () => s.restart(id),
      testid: 'menu-restart',
    },
    node.paused
      ? {
          label: 'Resume',
          hint: 'wake up with stale beliefs',
          key: 'Z',
          run: () => s.resumeNode(id),
          testid: 'menu-resume',
        }
      : {
          label: 'Pause',
          hint: 'a slow node: timers and inbox wait',
          key: 'Z',
          disabled: !node.alive,
          run: () => s.pauseNode(id),
          testid: 'menu-pause',
        },
    {
      label: 'Force timeout',
      hint: 'its timer fires now (starts an election)',
      key: 'T',
      disabled: !node.alive,
      run: () => s.forceTimeout(id),
      testid: 'menu-timeout',
    },
    {
      label: isolated ? 'Isolated' : 'Isolate (partition)',
      hint: 'cut it off from all other nodes',
      key: 'I',
      disabled: isolated,
      run: () => s.isolate([id]),
      testid: 'menu-isolate',
    },
    clockItem(id, node.alive),
  ];
  return (
    <Popover
      x={x}
      y={y}
      title={`Node ${id}`}
      label={`Actions for node ${id}`}
      items={items}
      testid="node-menu"
      returnFocus={`[data-testid="node-${id}"]`}
    />
  );
}

export function LinkMenu({ from, to, x, y }: { from: number; to: number; x: number; y: number }) {
  const store = usePlaygroundStore();
  const ab = usePlayground((s) => s.view.cuts.has(linkKey(from, to)));
  const ba = usePlayground((s) => s.view.cuts.has(linkKey(to, from)));
  const latency = usePlayground((s) => s.view.latency);
  const [min, setMin] = useState(latency.min);
  const [max, setMax] = useState(latency.max);
  const s = store.getState();
  const items: Item[] = [
    {
      label: 'Cut both ways',
      key: 'C',
      danger: true,
      disabled: ab && ba,
      run: () => s.cut(from, to),
      testid: 'menu-cut',
    },
    {
      label: `Cut ${from} → ${to} only`,
      hint: 'one-way: messages the other way still arrive',
      disabled: ab,
      run: () => s.cut(from, to, true),
      testid: 'menu-cut-ab',
    },
    {
      label: `Cut ${to} → ${from} only`,
      disabled: ba,
      run: () => s.cut(to, from, true),
      testid: 'menu-cut-ba',
    },
    {
      label: 'Heal',
      key: 'C',
      disabled: !ab && !ba,
      run: () => s.heal(from, to),
      testid: 'menu-heal',
    },
  ];
  return (
    <Popover
      x={x}
      y={y}
      title={`Link ${from} ↔ ${to}`}
      label={`Actions for the link between node ${from} and node ${to}`}
      items={items}
      testid="link-menu"
      returnFocus={`[data-link="${Math.min(from, to)}-${Math.max(from, to)}"]`}
    >
      <form
        className="link-latency"
        onSubmit={(e) => {
          e.preventDefault();
          s.setLatency(min, max, from, to);
          s.closeMenu();
        }}
      >
        <span>Latency</span>
        <input
          type="number"
          min={0}
          max={5000}
          value={min}
          aria-label={`Minimum latency between ${from} and ${to}, ms`}
          onChange={(e) => setMin(Number(e.target.value))}
        />
        <span>–</span>
        <input
          type="number"
          min={0}
          max={5000}
          value={max}
          aria-label={`Maximum latency between ${from} and ${to}, ms`}
          onChange={(e) => setMax(Number(e.target.value))}
        />
        <span>ms</span>
        <button type="submit" role="menuitem" className="small-btn">
          Set
        </button>
      </form>
    </Popover>
  );
}
