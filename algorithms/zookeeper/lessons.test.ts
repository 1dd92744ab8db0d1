/** The herd-vs-predecessor lessons tell what happens, with counts taken from their runs. */
import { describe, expect, it } from 'vitest';
import { playLesson } from '../scenario/lessons/play';
import { zookeeperLessons } from './lessons';

const played = (name: string) => playLesson(zookeeperLessons.find((l) => l.name === name)!);

describe('the herd effect vs the predecessor watch', () => {
  it.each(zookeeperLessons.map((l) => [l.name] as const))(
    '%s: every caption comes, in order, and every claim holds',
    (name) => {
      const p = played(name);
      expect(p.unreached).toEqual([]);
      for (const s of p.steps)
        for (const c of s.claims) expect(c.holds, `${s.text}: ${c.text} (${c.actual})`).toBe(true);
      for (let i = 1; i < p.steps.length; i++)
        expect(p.steps[i].index).toBeGreaterThan(p.steps[i - 1].index);
    },
  );

  it('herd: the leader’s znode went away and 4 workers woke up; predecessor: 1 worker woke up', () => {
    const herd = played('lesson-zk-herd').steps.at(-1)!.text;
    const pred = played('lesson-zk-predecessor').steps.at(-1)!.text;
    expect(herd).toContain("The leader's znode went away and 4 workers woke up");
    expect(herd).toContain('12 messages for one leader change');
    expect(pred).toContain("The leader's znode went away and 1 worker woke up");
    expect(pred).toContain('3 messages for one leader change');
  });

  it('the expiry caption counts the watch events the service sent: 4 with the herd, 1 with the predecessor', () => {
    const expiry = (name: string) =>
      played(name).steps.find((s) => s.text.startsWith('The session expires'))!.text;
    expect(expiry('lesson-zk-herd')).toContain('4 watch events on their way');
    expect(expiry('lesson-zk-predecessor')).toContain('1 watch event on its way');
  });
});
