/**
 * Guided lessons, gathered from every algorithm's definition, and the player that pins
 * each caption to its moment in the run (play.ts). lessons.test.ts checks every claim of
 * every caption at that moment.
 */
import type { Caption, Lesson } from '../../core/lesson';
import { algorithms } from '../../registry';

export type { Caption, Lesson };

export const lessons: Lesson[] = algorithms.flatMap((a) => a.lessons);

export function findLesson(name: string): Lesson | undefined {
  return lessons.find((l) => l.name === name);
}

export { playLesson, playedLesson, stepAtIndex, probeOf, checkClaim } from './play';
export type { PlayedLesson, LessonStep, ClaimResult } from './play';
