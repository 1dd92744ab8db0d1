import type { Lesson } from '../core/lesson';
export const paxosLessons: Lesson[] = [];
