/**
 * Guided lessons: a scenario (with a fixed seed, so every run tells the same story) and
 * captions tied to simulated times. The Lessons panel steps through the captions with
 * Next / Back; each lesson is also a preset for `npm run sim -- run <name>`.
 * lessons.test.ts checks that every caption's claim happens in the run.
 */
import type { ScenarioInput } from '../schema';
import { raftLessons } from './raft';
import { leaseLessons } from './lease';
import { classicLessons } from './classic';

export interface Caption {
  /** Simulated time in ms at which the caption applies. */
  at: number;
  text: string;
}

export interface Lesson {
  name: string;
  title: string;
  algorithm: string;
  summary: string;
  scenario: ScenarioInput;
  captions: Caption[];
  /** Where the story ends (ms). */
  until: number;
}

export const lessons: Lesson[] = [...raftLessons, ...classicLessons, ...leaseLessons];

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
