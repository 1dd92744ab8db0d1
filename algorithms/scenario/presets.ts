/**
 * Named scenarios for the page's preset picker and `npm run sim -- run <name>`: every
 * algorithm's presets and lessons, from its definition.
 */
import type { Preset } from '../core/preset';
import { algorithms } from '../registry';

export type { Preset };

/** Every algorithm's presets (not its lessons). */
export const presets: Preset[] = algorithms.flatMap((a) => a.presets);

/** Every lesson of every algorithm. */
export const lessonList = () => algorithms.flatMap((a) => a.lessons);

/** Built-in presets and every lesson's scenario, by name. */
export function findPreset(name: string): Preset | undefined {
  const lesson = lessonList().find((l) => l.name === name);
  if (lesson)
    return {
      name: lesson.name,
      title: lesson.title,
      description: lesson.summary,
      scenario: lesson.scenario,
    };
  return presets.find((p) => p.name === name);
}

export function presetNames(): string[] {
  return [...presets.map((p) => p.name), ...lessonList().map((l) => l.name)];
}
