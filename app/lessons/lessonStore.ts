/**
 * Guided lessons (algorithms/scenario/lessons): which one is running and where it is.
 *
 * A lesson is its preset scenario loaded into the playground with presetId
 * `lesson:<name>`, so the header's picker, Replay and shared links all see it. Each
 * caption is pinned to the event of its moment (the lesson is played headless once): the
 * caption in force is the last one whose event has been processed, so playing, stepping
 * and Next / Back all agree on it. Next runs to the next caption's event; Back travels
 * back to the previous one (exact time travel). Acting on the simulation during a lesson
 * changes the story: the panel says so and offers to restart it.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import {
  findLesson,
  lessons,
  playedLesson,
  stepAtIndex,
  type Lesson,
} from '../../algorithms/index';
import { playground } from '../store/store';

export const LESSON_PREFIX = 'lesson:';

export interface LessonState {
  /** The running lesson's name, or null. */
  name: string | null;
  /** The user acted during the lesson: the captions may no longer match. */
  diverged: boolean;
  start(name: string): void;
  /** Runs to the next caption (or to the end of the story). */
  next(): void;
  /** Goes back to the previous caption. */
  back(): void;
  /** The lesson from the beginning, as it was authored. */
  restart(): void;
  /** Leaves the lesson and keeps the simulation where it is: explore freely. */
  exit(): void;
}

export { lessons };

export function lessonOf(name: string | null): Lesson | undefined {
  return name ? findLesson(name) : undefined;
}

/**
 * Where the story is at event index `index`: the index of the caption in force, or
 * `captions.length` once the story's end has been reached. Each caption is pinned to the
 * event of its moment by playing the lesson headless once (playedLesson).
 */
export function stepAt(lesson: Lesson, index: number): number {
  const played = playedLesson(lesson);
  if (index >= played.endIndex) return lesson.captions.length;
  return stepAtIndex(played, index);
}

/** The event index where step `k` begins (the end of the story past the last caption). */
function indexOfStep(lesson: Lesson, k: number): number {
  const played = playedLesson(lesson);
  if (k >= lesson.captions.length) return played.endIndex;
  if (k < 0) return 0;
  return played.steps[k]?.index ?? played.endIndex;
}

/** The caption's text as computed from the run at its moment. */
export function captionText(lesson: Lesson, k: number): string {
  return playedLesson(lesson).steps[k]?.text ?? '';
}

function load(lesson: Lesson, ask: boolean): void {
  const s = playground.getState();
  s.pause();
  s.load(lesson.scenario, {
    presetId: LESSON_PREFIX + lesson.name,
    ask,
    title: `Start the lesson “${lesson.title}”?`,
  });
}

/** Travels to event index `target` (exactly: forward by running, back through history) and pauses. */
function travelTo(target: number): void {
  const s = playground.getState();
  s.pause();
  if (target > s.position.index) s.runToEvent(target);
  else if (target < s.position.index) s.seek(target);
}

export const lessonStore = createStore<LessonState>()((set, get) => ({
  name: null,
  diverged: false,

  start(name) {
    const lesson = findLesson(name);
    if (!lesson) return;
    load(lesson, true);
  },
  next() {
    const lesson = lessonOf(get().name);
    if (!lesson) return;
    const step = stepAt(lesson, playground.getState().position.index);
    if (step >= lesson.captions.length) return;
    travelTo(indexOfStep(lesson, step + 1));
  },
  back() {
    const lesson = lessonOf(get().name);
    if (!lesson) return;
    const step = stepAt(lesson, playground.getState().position.index);
    travelTo(indexOfStep(lesson, Math.max(0, step - 1)));
  },
  restart() {
    const lesson = lessonOf(get().name);
    if (!lesson) return;
    load(lesson, false);
  },
  exit() {
    set({ name: null, diverged: false });
    const s = playground.getState();
    if (s.presetId?.startsWith(LESSON_PREFIX)) playground.setState({ presetId: null });
  },
}));

export function useLesson<T>(selector: (s: LessonState) => T): T {
  return useStore(lessonStore, selector);
}

// Follow the playground: a lesson starts when its scenario is loaded, ends when another
// scenario replaces it, diverges when the user acts, and pauses itself at its end.
playground.subscribe((s, prev) => {
  const ls = lessonStore.getState();
  if (s.generation !== prev.generation) {
    const id = s.presetId;
    if (id?.startsWith(LESSON_PREFIX) && findLesson(id.slice(LESSON_PREFIX.length)))
      lessonStore.setState({ name: id.slice(LESSON_PREFIX.length), diverged: s.userActions > 0 });
    else if (ls.name !== null) lessonStore.setState({ name: null, diverged: false });
    return;
  }
  if (ls.name === null) return;
  if (s.userActions > prev.userActions && !ls.diverged) lessonStore.setState({ diverged: true });
  const lesson = findLesson(ls.name);
  if (!lesson || !s.playing) return;
  const end = playedLesson(lesson).endIndex;
  if (s.view.events >= end && prev.view.events < end)
    queueMicrotask(() => playground.getState().pause());
});
