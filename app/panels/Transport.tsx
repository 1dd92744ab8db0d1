/** Play / pause, speed, step, run to the next leader change, and the simulated clock. */
import { PauseIcon, PlayIcon, ReplayIcon, StarIcon, StepIcon } from './Icons';
import { useEffect, useState } from 'react';
import { MAX_SPEED, MIN_SPEED, playground, usePlayground } from '../store/store';
import { JumpEndButton, NextViolationButton, StepBackButtons } from '../debug/TransportExtras';
import { ClientRequestButton } from './ClientRequest';
import { formatCount } from '../format';

export const SPEED_STOPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];

export function speedLabel(v: number): string {
  if (v >= 10) return `${Math.round(v)}×`;
  if (v >= 1) return `${Math.round(v * 10) / 10}×`;
  return `${Number(v.toPrecision(2))}×`;
}

export function nextSpeed(v: number, dir: 1 | -1): number {
  if (dir > 0) return SPEED_STOPS.find((s) => s > v * 1.001) ?? MAX_SPEED;
  return [...SPEED_STOPS].reverse().find((s) => s < v * 0.999) ?? MIN_SPEED;
}

/** The simulated clock, redrawn at most ten times a second while playing (it is read, not watched). */
function useThrottledNow(): number {
  const [now, setNow] = useState(() => playground.getState().now);
  useEffect(() => {
    let timer = 0;
    let shown = playground.getState().now;
    const unsub = playground.subscribe((s) => {
      if (s.now === shown || timer) return;
      const show = () => {
        timer = 0;
        shown = playground.getState().now;
        setNow(shown);
      };
      if (s.playing) timer = window.setTimeout(show, 100);
      else show();
    });
    return () => {
      unsub();
      window.clearTimeout(timer);
    };
  }, []);
  return now;
}

function Clock() {
  const now = useThrottledNow();
  const events = usePlayground((s) => s.view.events);
  return (
    <div className="clock" aria-label="Simulated time">
      <span className="clock-value" data-testid="sim-clock">
        {(now / 1000).toFixed(1)} ms
      </span>
      <span className="clock-sub" data-testid="event-count">
        {formatCount(events)} events
      </span>
    </div>
  );
}

export function Transport() {
  const playing = usePlayground((s) => s.playing);
  const speed = usePlayground((s) => s.speed);
  const lagging = usePlayground((s) => s.lagging);
  const acted = usePlayground((s) => s.userActions);
  const s = playground.getState();
  const slider = Math.round(Math.log10(speed) * 100) / 100;

  return (
    <footer className="transport" aria-label="Playback">
      <div className="transport-buttons">
        <button
          type="button"
          className="btn icon-btn"
          onClick={() => s.replay()}
          aria-label="Replay from 0 ms with the recorded actions"
          title="Replay from 0 ms: the same scenario, with every action you applied, replays exactly"
          data-testid="replay"
        >
          <ReplayIcon />
        </button>
        <StepBackButtons />
        <button
          type="button"
          className="btn play-btn"
          onClick={() => s.togglePlay()}
          aria-label={playing ? 'Pause (Space)' : 'Play (Space)'}
          title={playing ? 'Pause (Space)' : 'Play (Space)'}
          aria-pressed={playing}
          data-testid="play-toggle"
        >
          {playing ? <PauseIcon /> : <PlayIcon />}
          <span className="btn-text">{playing ? 'Pause' : 'Play'}</span>
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => s.step()}
          aria-label="Step one event (→)"
          title="Step to the next event (→)"
          data-testid="step"
        >
          <StepIcon />
          Step
        </button>
        <JumpEndButton />
        <button
          type="button"
          className="btn"
          onClick={() => s.runUntilLeaderChange()}
          aria-label="Run until the leader changes (N)"
          title="Run until the next change of leader (N)"
          data-testid="next-leader"
        >
          <StarIcon />
          <span className="btn-text">Next leader change</span>
        </button>
        <NextViolationButton />
        <ClientRequestButton />
      </div>
      <div className="speed">
        <label htmlFor="speed-slider">Speed</label>
        <input
          id="speed-slider"
          type="range"
          min={-2}
          max={2}
          step={0.01}
          value={slider}
          aria-valuetext={speedLabel(speed)}
          data-testid="speed-slider"
          onChange={(e) => s.setSpeed(Math.pow(10, Number(e.target.value)))}
        />
        <output className="speed-value" data-testid="speed-value" htmlFor="speed-slider">
          {speedLabel(speed)}
        </output>
        {lagging && (
          <span className="lagging" role="status">
            running behind
          </span>
        )}
      </div>
      <Clock />
      {acted > 0 && (
        <span
          className="acted"
          data-testid="user-actions"
          title="Actions you applied (recorded in the scenario)"
        >
          {acted} action{acted === 1 ? '' : 's'} recorded
        </span>
      )}
    </footer>
  );
}
