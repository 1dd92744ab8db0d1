/**
 * The collapsible bottom area under the network view: the event log and the space-time
 * diagram. Wide screens show both side by side; narrower ones (a 1280x720 projector)
 * show one at a time as tabs.
 */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { EventLogVirtual } from '../panels/EventLogVirtual';
import { debugStore, useDebug, type BottomTab } from './debugStore';
import { ChevronIcon } from './icons';
import { StepCaption } from './StepHighlight';

const SPLIT_AT = 1100;

/** The space-time diagram loads after the page: it is not needed for the first picture. */
const Timeline = lazy(() => import('../timeline/Timeline').then((m) => ({ default: m.Timeline })));

const TABS: { id: BottomTab; label: string }[] = [
  { id: 'log', label: 'Event log' },
  { id: 'timeline', label: 'Space-time diagram' },
];

export function BottomPanel() {
  const open = useDebug((s) => s.bottomOpen);
  const tab = useDebug((s) => s.bottomTab);
  const ref = useRef<HTMLElement>(null);
  const [split, setSplit] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSplit(el.clientWidth >= SPLIT_AT));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const d = debugStore.getState();
  return (
    <section
      ref={ref}
      className={`bottom${open ? ' open' : ' closed'}${split ? ' split' : ''}`}
      aria-label="Event log and space-time diagram"
      data-testid="bottom-panel"
    >
      <div className="bottom-bar">
        {split ? (
          <span className="bottom-title">Event log · Space-time diagram</span>
        ) : (
          <div className="tablist" role="tablist" aria-label="Bottom panel">
            {TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`bottom-tab-${t.id}`}
                aria-selected={open && tab === t.id}
                aria-controls={open && tab === t.id ? 'bottom-panel-body' : undefined}
                className={`tab${open && tab === t.id ? ' active' : ''}`}
                onClick={() => d.setBottomTab(t.id)}
                data-testid={`bottom-tab-${t.id}`}
              >
                {t.label}
              </button>
            ))}
          </div>
        )}
        <StepCaption />
        <button
          type="button"
          className="btn icon-btn bottom-toggle"
          onClick={() => d.toggleBottom()}
          aria-expanded={open}
          aria-label={open ? 'Hide the event log and diagram' : 'Show the event log and diagram'}
          title={open ? 'Hide' : 'Show'}
          data-testid="bottom-toggle"
        >
          <ChevronIcon up={!open} />
        </button>
      </div>
      {open && (
        <div
          className="bottom-body"
          id="bottom-panel-body"
          {...(split ? {} : { role: 'tabpanel', 'aria-labelledby': `bottom-tab-${tab}` })}
        >
          {(split || tab === 'log') && <EventLogVirtual />}
          {(split || tab === 'timeline') && (
            <Suspense fallback={<p className="muted">Loading the space-time diagram…</p>}>
              <Timeline />
            </Suspense>
          )}
        </div>
      )}
    </section>
  );
}
