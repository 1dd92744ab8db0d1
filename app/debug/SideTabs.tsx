/**
 * The side panel as tabs, so that it stays usable on a 1280x720 projector: Inspect (the
 * node, link or cluster, the node's machine and statechart, the network controls),
 * Next (pending events and manual delivery) and Checks (invariants and breakpoints).
 */
import { lazy, type ReactNode, Suspense, useRef } from 'react';
import { usePlayground } from '../store/store';
import { debugStore, useDebug, type SideTab } from './debugStore';
import { HandIcon } from './icons';

/** The Next and Checks tabs and a node's statechart load when first shown, not with the page. */
const NextEvents = lazy(() => import('./NextEvents').then((m) => ({ default: m.NextEvents })));
const Checks = lazy(() => import('./Checks').then((m) => ({ default: m.Checks })));
const NodeMachine = lazy(() => import('./NodeMachine').then((m) => ({ default: m.NodeMachine })));

const TABS: { id: SideTab; label: string }[] = [
  { id: 'inspect', label: 'Inspect' },
  { id: 'next', label: 'Next' },
  { id: 'checks', label: 'Checks' },
];

function Badge({ tab }: { tab: SideTab }) {
  const pending = usePlayground((s) =>
    tab === 'next'
      ? s.view.inFlight.length + s.view.nodes.reduce((a, n) => a + n.timers.length, 0)
      : 0,
  );
  const manual = useDebug((s) => s.manual);
  const errors = usePlayground((s) => s.runIndex.violations.length);
  if (tab === 'next')
    return (
      <span
        className={`tab-badge${manual ? ' manual' : ''}`}
        aria-label={`${pending} pending${manual ? ', manual delivery on' : ''}`}
      >
        {manual && <HandIcon />}
        {pending}
      </span>
    );
  if (tab === 'checks') {
    return errors > 0 ? (
      <span className="tab-badge bad" aria-label={`${errors} violations`}>
        ⚠ {errors}
      </span>
    ) : null;
  }
  return null;
}

/** `inspect` holds the existing inspector and network controls, passed in by the layout. */
export function SideTabs({ inspector, network }: { inspector: ReactNode; network: ReactNode }) {
  const tab = useDebug((s) => s.sideTab);
  const selected = usePlayground((s) => (s.selected.length === 1 ? s.selected[0] : null));
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: React.KeyboardEvent, k: number) => {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    e.stopPropagation();
    const next = (k + d + TABS.length) % TABS.length;
    debugStore.getState().setSideTab(TABS[next].id);
    refs.current[next]?.focus();
  };
  return (
    <div className="side-tabs">
      <div className="tablist" role="tablist" aria-label="Side panel">
        {TABS.map((t, k) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[k] = el;
            }}
            type="button"
            role="tab"
            id={`side-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={tab === t.id ? `side-panel-${t.id}` : undefined}
            tabIndex={tab === t.id ? 0 : -1}
            className={`tab${tab === t.id ? ' active' : ''}`}
            onClick={() => debugStore.getState().setSideTab(t.id)}
            onKeyDown={(e) => onKey(e, k)}
            data-testid={`side-tab-${t.id}`}
          >
            {t.label}
            <Badge tab={t.id} />
          </button>
        ))}
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id={`side-panel-${tab}`}
        aria-labelledby={`side-tab-${tab}`}
      >
        {tab === 'inspect' && (
          <>
            {inspector}
            {selected !== null && (
              <Suspense fallback={null}>
                <NodeMachine id={selected} />
              </Suspense>
            )}
            {network}
          </>
        )}
        <Suspense fallback={<p className="muted">Loading…</p>}>
          {tab === 'next' && <NextEvents />}
          {tab === 'checks' && <Checks />}
        </Suspense>
      </div>
    </div>
  );
}
