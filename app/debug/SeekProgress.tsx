/**
 * While a far seek replays (a link to event 1,000,000, say), a small bar says how far it
 * is, and Cancel stops it where it is. The page stays responsive: the session replays
 * one slice per frame.
 */
import { playground, usePlayground } from '../store/store';
import { formatCount } from '../format';

export function SeekProgress() {
  const seeking = usePlayground((s) => s.seeking);
  if (!seeking) return null;
  const { from, index, target } = seeking;
  const pct = target > from ? Math.floor(((index - from) / (target - from)) * 100) : 100;
  return (
    <div className="seek-progress" role="status" data-testid="seek-progress">
      <span>
        Replaying to event {formatCount(target)}: {formatCount(index)} ({pct}%)
      </span>
      <progress
        max={100}
        value={pct}
        aria-label="Replaying to the linked event"
        data-testid="seek-progress-bar"
      />
      <button
        type="button"
        className="small-btn"
        onClick={() => playground.getState().cancelSeek()}
        data-testid="seek-cancel"
      >
        Cancel
      </button>
    </div>
  );
}
