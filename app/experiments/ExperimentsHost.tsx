/**
 * What the page needs up front for experiments: the header button and a host that loads
 * the panel (charts, forms, workers) with a dynamic import the first time it opens, so
 * the initial bundle stays small.
 */
import { lazy, Suspense } from 'react';
import { CDF_EXPERIMENTS, experiments, useExperiments } from './params';
import { startExperimentLink } from './link';

const Panel = lazy(() => import('./ExperimentsPanel'));

// a link with `exp=` opens the panel; read it before anything rewrites the address
startExperimentLink();

export function ExperimentsHost() {
  const open = useExperiments((s) => s.open);
  if (!open) return null;
  return (
    <Suspense
      fallback={
        <div
          role="status"
          style={{
            position: 'fixed',
            top: '0.6rem',
            right: '1rem',
            zIndex: 40,
            padding: '0.5rem 0.9rem',
            borderRadius: '0.5rem',
            background: 'var(--panel)',
            border: '1px solid var(--border)',
          }}
        >
          Loading experiments…
        </div>
      }
    >
      <Panel />
    </Suspense>
  );
}

export function ExperimentsButton() {
  const open = useExperiments((s) => s.open);
  // while a run goes on with the panel closed, the button shows how far it is (with the
  // panel open its run bar does, and the header is not redrawn for it)
  const pct = useExperiments((s) =>
    s.progress === null || s.open ? null : Math.floor(s.progress * 100),
  );
  return (
    <button
      type="button"
      className={`btn${open ? ' primary' : ''}`}
      aria-expanded={open}
      onClick={() => experiments.getState().setOpen(!open)}
      onMouseEnter={() => void import('./ExperimentsPanel')}
      onFocus={() => void import('./ExperimentsPanel')}
      data-testid="experiments-button"
      title={`Run experiments: ${[...CDF_EXPERIMENTS.map((x) => x.sub), 'message counts', 'downtime vs network'].join(', ')}`}
    >
      Experiments
      {pct !== null && (
        <span
          className="xp-pill"
          data-testid="experiments-progress"
          aria-label={`${pct}% of the trials done`}
        >
          {pct}%
        </span>
      )}
    </button>
  );
}
