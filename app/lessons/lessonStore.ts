/**
 * Guided lessons (algorithms/scenario/lessons): which one is running and where it is.
 *
 * A lesson is its preset scenario loaded into the playground with presetId
 * `lesson:<name>`, so the header's picker, Replay and shared links all see it. Captions
 * are tied to simulated times: the caption in force is the last one whose time has come,
 * so playing, stepping and Next / Back all agree on it. Next runs the simulation to the
 * next caption's time; Back reloads the lesson and runs to the previous one (exact,
 * since the run is deterministic). Acting on the simulation during a lesson changes the
 * story: the panel says so and offers to restart it.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { captionAt, findLesson, lessons, type Lesson } from '../../algorithms/index';
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

/** µs */
const at = (msValue: number) => Math.round(msValue * 1000);

/**
 * Where the story is at simulated time `now` (µs): the index of the caption in force, or
 * `captions.length` once the story's end has been reached.
 */
export function stepAt(lesson: Lesson, now: number): number {
  if (now >= at(lesson.until)) return lesson.captions.length;
  return captionAt(lesson, now / 1000)?.index ?? -1;
}

/** Simulated time (µs) where step `k` begins. */
function timeOfStep(lesson: Lesson, k: number): number {
  if (k >= lesson.captions.length) return at(lesson.until);
  if (k < 0) return 0;
  return at(lesson.captions[k].at);
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

/** Runs (forward only) to simulated time `target` µs and stays paused there. */
function runTo(target: number): void {
  const s = playground.getState();
  s.pause();
  const now = s.now;
  if (target > now) s.runFor((target - now) / 1000);
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
    const s = playground.getState();
    const step = stepAt(lesson, s.now);
    if (step >= lesson.captions.length) return;
    runTo(timeOfStep(lesson, step + 1));
  },
  back() {
    const lesson = lessonOf(get().name);
    if (!lesson) return;
    const step = stepAt(lesson, playground.getState().now);
    const target = timeOfStep(lesson, Math.max(0, step - 1));
    load(lesson, false);
    runTo(target);
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
  if (lesson && s.playing && s.now >= at(lesson.until) && prev.now < at(lesson.until))
    queueMicrotask(() => playground.getState().pause());
});
