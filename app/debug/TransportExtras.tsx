/** The debugger's transport buttons: step back, jump to start / end, run until a violation. */
import { playground, usePlayground } from '../store/store';
import { EndIcon, StartIcon, StepBackIcon, WarnIcon } from './icons';

export function StepBackButtons() {
  const index = usePlayground((s) => s.position.index);
  const s = playground.getState();
  return (
    <>
      <button
        type="button"
        className="btn icon-btn"
        onClick={() => s.seek(0)}
        disabled={index === 0}
        aria-label="Jump to the start (Home)"
        title="Jump to the start (Home)"
        data-testid="jump-start"
      >
        <StartIcon />
      </button>
      <button
        type="button"
        className="btn icon-btn"
        onClick={() => s.stepBack()}
        disabled={index === 0}
        aria-label="Step back one event (←)"
        title="Step back one event (←): exact, replayed from a checkpoint"
        data-testid="step-back"
      >
        <StepBackIcon />
      </button>
    </>
  );
}

export function JumpEndButton() {
  const index = usePlayground((s) => s.position.index);
  const max = usePlayground((s) => s.position.max);
  return (
    <button
      type="button"
      className="btn icon-btn"
      onClick={() => playground.getState().seek(playground.getState().position.max)}
      disabled={index >= max}
      aria-label="Jump to the end of the explored run (End)"
      title="Jump to the end of the explored run (End)"
      data-testid="jump-end"
    >
      <EndIcon />
    </button>
  );
}

export function NextViolationButton() {
  return (
    <button
      type="button"
      className="btn"
      onClick={() => playground.getState().runUntilViolation()}
      aria-label="Run until the next invariant violation (V)"
      title="Run until the next invariant violation (V)"
      data-testid="next-violation"
    >
      <WarnIcon />
      <span className="btn-text">Next violation</span>
    </button>
  );
}
