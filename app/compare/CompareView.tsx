/**
 * Compare mode on screen: two network views side by side (each with its own status
 * line), and below them one bar with the transport, the scrubber over the shared
 * simulated time, the compare lesson's caption and the way out. The picker chooses the
 * second algorithm or settings.
 */
import { useStore } from 'zustand';
import { NetworkView } from '../topology/NetworkView';
import { playground, type PlaygroundStore } from '../store/store';
import { Dialog } from '../panels/Dialog';
import {
  compareChoices,
  compareStepAt,
  compareStore,
  findCompareLesson,
  playedCompareLesson,
  sideTitle,
  useCompare,
} from './compareStore';
import type { Side } from '../../algorithms/index';
import './compare.css';
import { formatCount } from '../format';

const fmt = (us: number) => `${(us / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} ms`;

function Pane({ side, store }: { side: Side; store: PlaygroundStore }) {
  const focused = useCompare((s) => s.focused === side);
  const algorithm = useStore(store, (s) => s.scenario.algorithm);
  const params = useStore(store, (s) => s.scenario.params) as Record<string, unknown>;
  const index = useStore(store, (s) => s.position.index);
  return (
    <section
      className={`compare-pane${focused ? ' focused' : ''}`}
      data-testid={`compare-${side}`}
      aria-label={`${side === 'left' ? 'Left' : 'Right'} run: ${sideTitle(algorithm, params ?? {})}`}
      onPointerDown={() => compareStore.getState().focus(side)}
    >
      <div className="compare-title">
        <b data-testid={`compare-${side}-title`}>{sideTitle(algorithm, params ?? {})}</b>
        <span className="compare-events" data-testid={`compare-${side}-event`}>
          event {formatCount(index)}
        </span>
      </div>
      <NetworkView store={store} />
    </section>
  );
}

export function CompareStage() {
  const right = useCompare((s) => s.right);
  if (!right) return null;
  return (
    <div className="compare-stage" data-testid="compare-stage">
      <Pane side="left" store={playground} />
      <Pane side="right" store={right} />
    </div>
  );
}

function LessonCaption() {
  const name = useCompare((s) => s.lesson);
  const t = useCompare((s) => s.clock.t);
  const lesson = name ? findCompareLesson(name) : undefined;
  if (!lesson) return null;
  const played = playedCompareLesson(lesson);
  const k = compareStepAt(lesson, t);
  const go = (i: number) => {
    const step = played.steps[i];
    if (step) compareStore.getState().pair?.seekTime(step.timeUs);
  };
  return (
    <div className="compare-caption" data-testid="compare-caption" aria-live="polite">
      <span className="compare-caption-title">{lesson.title}</span>
      <p>{k < 0 ? lesson.summary : played.steps[k].text}</p>
      <span className="compare-caption-nav">
        <button type="button" className="btn" disabled={k <= 0} onClick={() => go(k - 1)}>
          Back
        </button>
        <span>
          {Math.max(0, k + 1)} / {played.steps.length}
        </span>
        <button
          type="button"
          className="btn"
          data-testid="compare-next"
          disabled={k >= played.steps.length - 1}
          onClick={() => go(k + 1)}
        >
          Next
        </button>
      </span>
    </div>
  );
}

export function CompareBar() {
  const clock = useCompare((s) => s.clock);
  const pair = useCompare((s) => s.pair);
  if (!pair) return null;
  const span = Math.max(clock.end, clock.t, 1);
  return (
    <div className="compare-bar" role="region" aria-label="Compare transport">
      <LessonCaption />
      <div className="compare-controls">
        <button
          type="button"
          className="btn"
          onClick={() => pair.stepBack()}
          aria-label="Step back"
          title="Back to the previous event of either side (←)"
          data-testid="compare-stepback"
        >
          ◀
        </button>
        <button
          type="button"
          className="btn primary"
          onClick={() => pair.togglePlay()}
          data-testid="compare-play"
          aria-label={clock.playing ? 'Pause' : 'Play'}
          title="Play or pause both runs (Space)"
        >
          {clock.playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => pair.step()}
          aria-label="Step"
          title="To the next event of either side (→)"
          data-testid="compare-step"
        >
          ▶|
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => pair.toEnd()}
          title="To the end of what either side has explored (End)"
          data-testid="compare-end"
        >
          End
        </button>
        <input
          type="range"
          className="compare-scrubber"
          min={0}
          max={span}
          step={1000}
          value={clock.t}
          aria-label="Shared simulated time"
          aria-valuetext={fmt(clock.t)}
          data-testid="compare-scrubber"
          onChange={(e) => pair.seekTime(Number(e.target.value))}
        />
        <span className="compare-time" data-testid="compare-time">
          {fmt(clock.t)}
        </span>
        <button
          type="button"
          className="btn"
          onClick={() => compareStore.getState().leave()}
          title="Leave compare mode (Esc): the left run stays"
          data-testid="compare-leave"
        >
          Leave compare
        </button>
      </div>
    </div>
  );
}

export function ComparePicker() {
  const open = useCompare((s) => s.pickerOpen);
  const algorithm = useStore(playground, (s) => s.scenario.algorithm);
  const params = useStore(playground, (s) => s.scenario.params) as Record<string, unknown>;
  if (!open) return null;
  const close = () => compareStore.getState().setPickerOpen(false);
  return (
    <Dialog title="Compare with…" onClose={close} testid="compare-picker">
      <p className="dialog-text">
        The run on screen ({sideTitle(algorithm, params ?? {})}) goes on the left. Pick what runs on
        the right: the same nodes, network, seed and faults. Faults you apply to either view land in
        both.
      </p>
      <ul className="compare-choices">
        {compareChoices().map((c) => (
          <li key={c.label}>
            <button
              type="button"
              className="btn"
              data-testid={`compare-choice-${c.label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`}
              onClick={() => {
                close();
                compareStore.getState().enter(c.second);
              }}
            >
              {c.label}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
