/**
 * A guided lesson: a scenario (with a fixed seed, so every run tells the same story) and
 * captions tied to moments of the run. The Lessons panel steps through the captions with
 * Next / Back; each lesson is also a preset for `npm run sim -- run <name>`.
 */
import type { ScenarioInput } from '../scenario/schema';

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
