/**
 * Presenter mode's bottom band: the lesson caption in large type (or, without a lesson,
 * what is running), the simulated clock, and the keys that run the show.
 */
import { useEffect, useState } from 'react';
import { playground, usePlayground } from '../store/store';
import { captionText, useLessonStep } from '../panels/LessonsPanel';
import { useModes } from './mode';
import './presenter.css';
import { formatCount } from '../format';

/** The simulated clock, redrawn at most ten times a second while playing. */
function useThrottledNow(): number {
  const [now, setNow] = useState(() => playground.getState().now);
  useEffect(() => {
    let timer = 0;
    const unsub = playground.subscribe((s) => {
      if (timer) return;
      if (!s.playing) {
        setNow(s.now);
        return;
      }
      timer = window.setTimeout(() => {
        timer = 0;
        setNow(playground.getState().now);
      }, 100);
    });
    return () => {
      unsub();
      window.clearTimeout(timer);
    };
  }, []);
  return now;
}

function Clock() {
  const now = Math.floor(useThrottledNow() / 100);
  const events = usePlayground((s) => s.view.events);
  const playing = usePlayground((s) => s.playing);
  return (
    <div className="pbar-clock">
      <span data-testid="presenter-clock">{(now / 10).toFixed(1)} ms</span>
      <small>
        {playing ? '▶ playing' : '❚❚ paused'} · {formatCount(events)} events
      </small>
    </div>
  );
}

export function PresenterBar() {
  const present = useModes((s) => s.present);
  const { lesson, step } = useLessonStep();
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const nodes = usePlayground((s) => s.view.nodes.length);
  if (!present) return null;
  const n = lesson?.captions.length ?? 0;
  return (
    <section className="presenter-bar" aria-label="Presenter captions" data-testid="presenter-bar">
      <div className="pbar-text">
        {lesson ? (
          <>
            <p className="pbar-title">
              {lesson.title}
              <span className="pbar-step" data-testid="presenter-step">
                {step >= n ? 'the end' : `${Math.max(step, 0) + 1} / ${n}`}
              </span>
            </p>
            <p className="pbar-caption" aria-live="polite" data-testid="presenter-caption">
              {captionText(lesson, step)}
            </p>
          </>
        ) : (
          <p className="pbar-caption plain" data-testid="presenter-caption">
            {algorithm[0].toUpperCase() + algorithm.slice(1)} with {nodes} nodes
          </p>
        )}
      </div>
      <div className="pbar-side">
        <Clock />
        <p className="pbar-keys">
          <kbd>Space</kbd> play <kbd>←</kbd>
          <kbd>→</kbd> step{' '}
          {lesson && (
            <>
              <kbd>B</kbd>
              <kbd>N</kbd> caption{' '}
            </>
          )}
          <kbd>P</kbd> exit
        </p>
      </div>
    </section>
  );
}
