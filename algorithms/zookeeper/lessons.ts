/** Lessons of the ZooKeeper election (filled in below). */
import type { Lesson } from '../core/lesson';

export const zookeeperLessons: Lesson[] = [];
