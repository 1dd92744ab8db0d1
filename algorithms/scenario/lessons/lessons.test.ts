import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../index';
import { narrate } from '../../narration';
import { captionAt, lessons } from './index';
import { ms } from '../../sim/time';
import { encodeFragment } from '../url';
import { parseScenario } from '../parse';

/** Every caption time must be the time of an event (or 0) in the lesson's run. */
describe('lessons', () => {
  it.each(lessons.map((l) => [l.name, l] as const))(
    '%s: captions fall on real events, in order',
    (_, lesson) => {
      const sim = createSimulation(lesson.scenario);
      sim.runUntil(lesson.until);
      const times = new Set(sim.trace().map((r) => r.t));
      let last = -1;
      for (const c of lesson.captions) {
        expect(c.at).toBeGreaterThan(last);
        last = c.at;
        if (c.at > 0)
          expect(times.has(ms(c.at)), `no event at ${c.at} ms for "${c.text}"`).toBe(true);
      }
      expect(captionAt(lesson, 0)?.index).toBe(0);
      expect(captionAt(lesson, lesson.until)?.index).toBe(lesson.captions.length - 1);
    },
  );

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
    expect(
      split
        .trace()
        .filter((r) => r.before === 'follower' && r.after === 'candidate' && r.term === 1)
        .map((r) => r.node),
    ).toEqual([1, 3]);
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
        book: (sim.state().nodes[4].context as { book: Record<string, unknown> }).book,
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
    expect(at(7006.2).book).toMatchObject({ charged: { '1:7': 1 }, maxToken: 1, rejected: 0 });
    expect(at(7008.463).book).toMatchObject({ charged: { '1:7': 2 }, maxToken: 2, duplicates: 1 });
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
    expect(
      (cured.state().nodes[4].context as { book: Record<string, unknown> }).book,
    ).toMatchObject({ duplicates: 0, alreadyCharged: 1, charged: { '1:7': 1 } });
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
    expect(cr.counters().sentByType.ELECTION).toBe(21);
    expect(ci.counters().sentByType.ELECTION).toBe(41);
    expect(cr.leader).toBe(4);
    expect(ci.leader).toBe(4);
  });

  it('every lesson makes a short link', () => {
    for (const l of lessons) {
      const link = encodeFragment(parseScenario(l.scenario).scenario);
      expect(link.length, l.name).toBeLessThan(600);
    }
  });
});
