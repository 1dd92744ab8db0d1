import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../index';
import { narrate } from '../../narration';
import { lessons } from './index';
import { playLesson, stepAtIndex } from './play';
import { PREVOTE_OFF_TERM_AT_HEAL } from '../../raft/lessons';
import { encodeFragment } from '../url';
import { parseScenario } from '../parse';
import { chargesOf } from '../../lease/counts';
import type { PaymentBook } from '../../lease/rules';

/**
 * Every lesson is true to its run: each caption's moment comes, in order, before the story
 * ends; every claim a caption makes holds in exactly the state the view shows while that
 * caption is on screen; and the "try it" steps work as they say.
 */
describe('lessons', () => {
  it.each(lessons.map((l) => [l.name, l] as const))(
    '%s: every caption comes, in order, and every claim holds at its moment',
    (_, lesson) => {
      const played = playLesson(lesson);
      expect(played.unreached, 'captions whose moment never came').toEqual([]);
      expect(played.steps).toHaveLength(lesson.captions.length);
      let last = -1;
      for (const step of played.steps) {
        expect(step.index).toBeGreaterThanOrEqual(last);
        last = step.index;
        expect(step.text.length).toBeGreaterThan(20);
        const failed = step.claims.filter((c) => !c.holds).map((c) => `${c.text} (${c.actual})`);
        expect(failed, `"${step.text}"`).toEqual([]);
      }
      expect(played.endIndex).toBeGreaterThanOrEqual(last);
      // the caption in force at a caption's own index is that caption
      played.steps.forEach((step, k) => {
        const later = played.steps.slice(k + 1).find((s) => s.index === step.index);
        if (!later) expect(stepAtIndex(played, step.index)).toBe(k);
      });
    },
  );

  it('every caption that quotes a message count computes it from its run', () => {
    // a text function, not a literal: change the run and the number follows
    for (const l of lessons)
      for (const c of l.captions)
        if (typeof c.text === 'string')
          expect(c.text, `${l.name}: a number in a literal caption`).not.toMatch(
            /\b\d+ (messages?|ELECTION)\b/,
          );
  });

  it('claims can fail: a caption that says the wrong leader is caught', () => {
    const l = lessons.find((x) => x.name === 'lesson-raft-election')!;
    const wrong = {
      ...l,
      captions: l.captions.map((c, k) =>
        k === 3 ? { ...c, claims: [{ kind: 'leader' as const, node: 4 }] } : c,
      ),
    };
    const step = playLesson(wrong).steps[3];
    expect(step.claims[0]).toMatchObject({ holds: false, actual: 'node 3 leads' });
  });

  it('pre-vote, try it: the same run with pre-vote off disrupts the cluster as the caption says', () => {
    const l = lessons.find((x) => x.name === 'lesson-raft-prevote')!;
    const off = createSimulation({
      ...l.scenario,
      params: { ...l.scenario.params, preVote: false },
    });
    off.runUntil(3000);
    expect(off.summaryOf(1)).toMatchObject({ role: 'candidate', term: PREVOTE_OFF_TERM_AT_HEAL });
    const step = playLesson(l).steps.find((s) => s.text.includes('pre-vote off'))!;
    expect(step.text).toContain(`term ${PREVOTE_OFF_TERM_AT_HEAL}`);
    off.runUntil(l.until);
    // node 1 forced a new election: the leader of term 1 lost its place
    expect(
      off
        .summary()
        .leaders.filter((x) => x.timeMs >= 3000)
        .map((x) => x.term),
    ).toContain(PREVOTE_OFF_TERM_AT_HEAL + 1);
  });

  it('the stories happen as told', () => {
    const run = (name: string, until: number) => {
      const l = lessons.find((x) => x.name === name)!;
      const sim = createSimulation(l.scenario);
      sim.runUntil(until);
      return sim;
    };
    expect(run('lesson-raft-election', 400).summary().leaders).toEqual([
      { timeMs: 183.794, node: 3, term: 1 },
    ]);
    const split = run('lesson-raft-split-vote', 300);
    expect(split.summary().leaders).toEqual([{ timeMs: 247.59, node: 1, term: 2 }]);
    const part = run('lesson-raft-partition', 4200);
    expect(part.summary().leaders).toEqual([
      { timeMs: 183.794, node: 3, term: 1 },
      { timeMs: 1152.012, node: 2, term: 2 },
    ]);
    expect(part.trace().map((r) => narrate(r, 'raft'))).toContain(
      'Node 3 hears from node 2, the leader of term 2, and steps down to follower',
    );
    const pre = run('lesson-raft-prevote', 3200);
    expect(pre.summary().leaders).toEqual([{ timeMs: 210.367, node: 3, term: 1 }]);
    expect(pre.summaryOf(1)).toMatchObject({ role: 'follower', term: 1, leader: 3 });
  });

  it('the payment lessons charge twice without fencing and reject the stale charge with it', () => {
    const book = (name: string) => {
      const l = lessons.find((x) => x.name === name)!;
      const sim = createSimulation(l.scenario);
      sim.runUntil(l.until);
      return (sim.state().nodes[4].context as { book: { duplicates: number; rejected: number } })
        .book;
    };
    expect(book('lesson-payment-no-fencing')).toMatchObject({ duplicates: 1, rejected: 0 });
    expect(book('lesson-payment-fencing')).toMatchObject({ duplicates: 0, rejected: 1 });
  });

  it('fencing without idempotency: the cut-off leader charges first and the customer pays twice', () => {
    const l = lessons.find((x) => x.name === 'lesson-payment-fencing-not-idempotent')!;
    const sim = createSimulation(l.scenario);
    const at = (t: number) => {
      sim.runUntil(t);
      return {
        book: (sim.state().nodes[4].context as { book: PaymentBook }).book,
        leading: sim
          .state()
          .nodes.filter((n) => n.role === 'leader')
          .map((n) => n.id),
      };
    };
    expect(at(2499)).toMatchObject({ leading: [2], book: { maxToken: 1, duplicates: 0 } });
    // node 3 leads while node 2, cut off from the store, still believes it does
    expect(at(6684.723)).toMatchObject({ leading: [2, 3], book: { maxToken: 1 } });
    // node 2's token-1 charge for period 7 passes fencing, then node 3's token-2 one
    expect(at(7006.2).book).toMatchObject({ maxToken: 1, rejected: 0 });
    expect(chargesOf(at(7006.2).book.charged, 1, 7)).toBe(1);
    expect(at(7008.463).book).toMatchObject({ maxToken: 2, duplicates: 1 });
    expect(chargesOf(at(7008.463).book.charged, 1, 7)).toBe(2);
    expect(at(8005.845).book).toMatchObject({ rejected: 1, duplicates: 1 });
    expect(at(10_014.511)).toMatchObject({ leading: [3] });
    expect(at(l.until).book).toMatchObject({ fencing: true, idempotent: false, duplicates: 1 });
    expect(sim.summaryOf(2)).toMatchObject({ role: 'follower', leader: 3 });
    expect(sim.summary().violations).toEqual([
      expect.objectContaining({ invariant: 'split-brain', nodes: [2, 3], untilMs: 10_014.511 }),
      expect.objectContaining({
        invariant: 'duplicate-charge',
        severity: 'warning',
        timeMs: 7008.463,
        nodes: [5, 3],
      }),
    ]);
    // the same run with an idempotent service: the second charge is refused as already paid
    const cured = createSimulation({
      ...l.scenario,
      params: { ...l.scenario.params, idempotent: true },
    });
    cured.runUntil(l.until);
    const curedBook = (cured.state().nodes[4].context as { book: PaymentBook }).book;
    expect(curedBook).toMatchObject({ duplicates: 0, alreadyCharged: 1 });
    expect(chargesOf(curedBook.charged, 1, 7)).toBe(1);
  });

  it('Bully and Ring lessons tell what happens', () => {
    const run = (name: string) => {
      const l = lessons.find((x) => x.name === name)!;
      const sim = createSimulation(l.scenario);
      sim.runUntil(l.until);
      return sim;
    };
    expect(
      run('lesson-bully-recovery')
        .summary()
        .leaders.map((l) => l.node),
    ).toEqual([5, null, 4, 5]);
    const split = run('lesson-bully-partition').summary().violations;
    expect(split).toEqual([
      expect.objectContaining({ invariant: 'split-brain', nodes: [3, 5], untilMs: 3010.061 }),
    ]);
    const cr = run('lesson-ring-chang-roberts');
    const ci = run('lesson-ring-collect-ids');
    expect(cr.leader).toBe(4);
    expect(ci.leader).toBe(4);
    // the last captions quote the election's cost since the crash: collect-ids costs more
    const cost = (name: string) => {
      const step = playLesson(lessons.find((x) => x.name === name)!).steps.at(-1)!;
      return Number(/cost (\d+) ELECTION/.exec(step.text)?.[1]);
    };
    expect(cost('lesson-ring-collect-ids')).toBeGreaterThan(cost('lesson-ring-chang-roberts'));
  });

  it('every lesson makes a short link', () => {
    for (const l of lessons) {
      const link = encodeFragment(parseScenario(l.scenario).scenario);
      expect(link.length, l.name).toBeLessThan(600);
    }
  });
});
