/**
 * The Lessons panel: while a lesson runs, its caption (tied to simulated time), Back /
 * Next, progress, and "explore freely from here". The picker (LessonsDialog) lists every
 * lesson with its summary.
 */
import { usePlayground } from '../store/store';
import { Dialog } from './Dialog';
import {
  captionText as playedCaption,
  lessonOf,
  lessons,
  lessonStore,
  stepAt,
  useLesson,
} from '../lessons/lessonStore';
import { playedLesson, type Lesson } from '../../algorithms/index';
import '../lessons/lessons.css';
import { compareLessons, compareStore } from '../compare/compareStore';

const ALGO_TITLE: Record<string, string> = {
  raft: 'Raft',
  bully: 'Bully',
  ring: 'Ring',
  lease: 'Lease (etcd-style)',
};

/** The caption in force and where the story is, following simulated time. */
export function useLessonStep(): {
  lesson: Lesson | undefined;
  step: number;
  diverged: boolean;
} {
  const name = useLesson((s) => s.name);
  const diverged = useLesson((s) => s.diverged);
  const lesson = lessonOf(name);
  // the caption follows the event the view shows (the published view, not the engine ahead of it)
  const step = usePlayground((s) => (lesson ? stepAt(lesson, s.view.events) : -1));
  return { lesson, step, diverged };
}

export function captionText(lesson: Lesson, step: number): string {
  if (step < 0) return lesson.summary;
  return playedCaption(lesson, Math.min(step, lesson.captions.length - 1));
}

function Progress({ lesson, step }: { lesson: Lesson; step: number }) {
  return (
    <ol className="lesson-dots" aria-hidden="true">
      {playedLesson(lesson).steps.map((s, i) => (
        <li
          key={i}
          className={i < step ? 'done' : i === step ? 'now' : ''}
          title={`event ${s.index} · ${s.timeMs.toLocaleString('en', { maximumFractionDigits: 1 })} ms`}
        />
      ))}
    </ol>
  );
}

export function LessonsPanel() {
  const { lesson, step, diverged } = useLessonStep();
  if (!lesson) return null;
  const ls = lessonStore.getState();
  const n = lesson.captions.length;
  const ended = step >= n;
  const shown = Math.min(Math.max(step, 0), n - 1);
  return (
    <section className="lesson-panel" aria-labelledby="lesson-title" data-testid="lesson-panel">
      <div className="lesson-head">
        <h2 id="lesson-title">
          Lesson ·{' '}
          <span data-testid="lesson-progress">{ended ? 'the end' : `${shown + 1} of ${n}`}</span>
        </h2>
        <button
          type="button"
          className="lesson-close"
          onClick={() => ls.exit()}
          aria-label="Leave the lesson (explore freely from here)"
          title="Leave the lesson"
        >
          ×
        </button>
      </div>
      <p className="lesson-name" data-testid="lesson-name">
        {lesson.title}
      </p>
      <p className="lesson-caption" aria-live="polite" data-testid="lesson-caption">
        {captionText(lesson, step)}
      </p>
      <Progress lesson={lesson} step={step} />
      {diverged && (
        <p className="lesson-note" data-testid="lesson-diverged">
          You changed the story: the captions may no longer match what happens.{' '}
          <button type="button" className="link-btn" onClick={() => ls.restart()}>
            Restart the lesson
          </button>
        </p>
      )}
      {ended && (
        <p className="lesson-note end" data-testid="lesson-end">
          That is the end of this lesson. Keep exploring: kill nodes, cut links, press Play.
        </p>
      )}
      <div className="lesson-buttons">
        <button
          type="button"
          className="btn"
          onClick={() => ls.back()}
          disabled={step <= 0}
          data-testid="lesson-back"
          title="Back to the previous caption"
        >
          ◀ Back
        </button>
        <button
          type="button"
          className="btn primary"
          onClick={() => ls.next()}
          disabled={ended}
          data-testid="lesson-next"
          title="Run to the next caption"
        >
          {step >= n - 1 && !ended ? 'Finish ▶' : 'Next ▶'}
        </button>
        <button
          type="button"
          className={`btn${ended ? ' primary' : ''} explore`}
          onClick={() => ls.exit()}
          data-testid="lesson-explore"
        >
          Explore freely from here
        </button>
      </div>
    </section>
  );
}

/** "Raft: a normal election" under the Raft heading reads "A normal election". */
function shortTitle(title: string): string {
  const t = title.replace(/^[^:]+:\s*/, '');
  return t[0].toUpperCase() + t.slice(1);
}

export function LessonsDialog({ onClose }: { onClose(): void }) {
  const active = useLesson((s) => s.name);
  const groups = new Map<string, Lesson[]>();
  for (const l of lessons) {
    if (!groups.has(l.algorithm)) groups.set(l.algorithm, []);
    groups.get(l.algorithm)!.push(l);
  }
  return (
    <Dialog title="Lessons" onClose={onClose} testid="lessons-dialog" wide>
      <p className="dialog-text">
        Guided stories with captions. Each runs a fixed scenario, so it tells the same story every
        time; Next runs to the next caption, Back returns to the previous one. Leave whenever you
        like and explore from there.
      </p>
      <div className="lesson-list">
        {[...groups.entries()].map(([algo, list]) => (
          <section key={algo} className="lesson-group" aria-label={ALGO_TITLE[algo] ?? algo}>
            <h3>{ALGO_TITLE[algo] ?? algo}</h3>
            <ul>
              {list.map((l) => (
                <li key={l.name}>
                  <button
                    type="button"
                    className={`lesson-card${l.name === active ? ' active' : ''}`}
                    data-testid={`lesson-${l.name}`}
                    onClick={() => {
                      onClose();
                      lessonStore.getState().start(l.name);
                    }}
                  >
                    <span className="lesson-card-title">{shortTitle(l.title)}</span>
                    <span className="lesson-card-summary">{l.summary}</span>
                    <span className="lesson-card-meta">
                      {l.captions.length} steps · {(l.until / 1000).toFixed(1)} s of simulated time
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <section className="lesson-group" aria-label="Compare: two algorithms side by side">
          <h3>Compare (side by side)</h3>
          <ul>
            {compareLessons.map((l) => (
              <li key={l.name}>
                <button
                  type="button"
                  className="lesson-card"
                  data-testid={`lesson-${l.name}`}
                  onClick={() => {
                    onClose();
                    lessonStore.getState().exit();
                    compareStore.getState().startLesson(l.name);
                  }}
                >
                  <span className="lesson-card-title">{l.title}</span>
                  <span className="lesson-card-summary">{l.summary}</span>
                  <span className="lesson-card-meta">
                    {l.captions.length} steps · {(l.until / 1000).toFixed(1)} s of simulated time
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
