/**
 * Guided lessons, gathered from every algorithm's definition. lessons.test.ts checks
 * that every caption's claim happens in the run.
 */
import type { Caption, Lesson } from '../../core/lesson';
import { algorithms } from '../../registry';

export type { Caption, Lesson };

export const lessons: Lesson[] = algorithms.flatMap((a) => a.lessons);

export function findLesson(name: string): Lesson | undefined {
  return lessons.find((l) => l.name === name);
}

/** The caption in force at `timeMs` (the last one whose time has come), or null before the first. */
export function captionAt(
  lesson: Lesson,
  timeMs: number,
): { index: number; caption: Caption } | null {
  let found = -1;
  lesson.captions.forEach((c, i) => {
    if (c.at <= timeMs) found = i;
  });
  return found < 0 ? null : { index: found, caption: lesson.captions[found] };
}
