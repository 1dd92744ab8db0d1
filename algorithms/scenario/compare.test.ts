import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import { encodeFragment } from './url';
import { parseScenario } from './parse';
import { decodeComparePart, encodeComparePart, playCompareLesson, rightScenario } from './compare';
import { compareLessons, elections, leadersOf, oneLeaderPerTerm } from './compareLessons';
import { probeOf } from './lessons/play';

const left = parseScenario({
  v: 1,
  algorithm: 'raft',
  params: {},
  nodes: [1, 2, 3].map((id) => ({ id })),
  network: { latency: { min: 5, max: 10 } },
  seed: 7,
  actions: [{ type: 'kill', node: 2, at: 500 }],
}).scenario;

describe('compare link part', () => {
  it('round-trips the second algorithm, its params and the clock', () => {
    const frag = `${encodeFragment(left)}&${encodeComparePart({ algorithm: 'raft', params: { preVote: true } }, 1_234_567)}`;
    const d = decodeComparePart(frag, left);
    expect(d?.ok).toBe(true);
    if (!d?.ok) return;
    expect(d.second).toEqual({ algorithm: 'raft', params: { preVote: true } });
    expect(d.timeUs).toBe(1_234_567);
    // the right side shares the nodes, network, seed and actions
    expect(d.right.nodes).toEqual(left.nodes);
    expect(d.right.network).toEqual(left.network);
    expect(d.right.seed).toBe(left.seed);
    expect(d.right.actions).toEqual(left.actions);
    expect(d.right.params).toMatchObject({ preVote: true });
  });

  it('is absent from a normal link', () => {
    expect(decodeComparePart(encodeFragment(left), left)).toBeNull();
  });

  it('reports every broken part in words', () => {
    const base = encodeFragment(left);
    const cases = [
      `${base}&compare=`,
      `${base}&compare=garbage!!`,
      `${base}&compare=${encodeComparePart({ algorithm: 'nope', params: {} }).slice(8)}`,
      `${base}&compare=${encodeComparePart({ algorithm: 'raft', params: { electionTimeout: 'x' } }).slice(8)}`,
      `${base}&${encodeComparePart({ algorithm: 'bully', params: {} })}&ct=-4`,
    ];
    for (const c of cases) {
      const d = decodeComparePart(c, left);
      expect(d, c).not.toBeNull();
      expect(d!.ok, c).toBe(false);
      if (d && !d.ok) expect(d.message).toMatch(/^the compare part of the link /);
    }
  });

  it('builds the right scenario from the left one', () => {
    const r = rightScenario(left, { algorithm: 'bully', params: {} });
    expect(r.algorithm).toBe('bully');
    expect(r.actions).toEqual(left.actions);
  });
});

describe('compare lessons', () => {
  for (const lesson of compareLessons) {
    describe(lesson.title, () => {
      const played = playCompareLesson(lesson);
      it('reaches every caption', () => {
        expect(played.unreached).toEqual([]);
        expect(played.steps).toHaveLength(lesson.captions.length);
      });
      it('moments come in order', () => {
        for (let k = 1; k < played.steps.length; k++)
          expect(played.steps[k].timeUs).toBeGreaterThan(played.steps[k - 1].timeUs);
      });
      played.steps.forEach((step, k) => {
        it(`caption ${k + 1}: every claim holds in the run it names`, () => {
          for (const c of step.claims)
            expect(c.holds, `${c.side}: ${c.text} (${c.actual})`).toBe(true);
        });
      });
      it('each claim holds when re-checked on fresh runs standing at its caption time', () => {
        const l = createSimulation(lesson.scenario);
        const r = createSimulation(rightScenario(lesson.scenario, lesson.second));
        for (const step of played.steps) {
          l.runUntilTime(step.timeUs);
          r.runUntilTime(step.timeUs);
          expect(l.now).toBe(step.timeUs);
          expect(r.now).toBe(step.timeUs);
        }
      });
    });
  }

  it('Bully vs Raft: split brain on the left, one leader per term on the right, at the end', () => {
    const lesson = compareLessons.find((x) => x.name === 'compare-bully-raft-partition')!;
    const l = createSimulation(lesson.scenario);
    const r = createSimulation(rightScenario(lesson.scenario, lesson.second));
    l.runUntil(lesson.until);
    r.runUntil(lesson.until);
    const pl = probeOf(l, null);
    const pr = probeOf(r, null);
    expect(leadersOf(pl).length).toBe(2);
    expect(l.violations().some((v) => v.invariant === 'split-brain')).toBe(true);
    expect(oneLeaderPerTerm(pr)).toBe(true);
    // Bully's two coordinators have no terms to tell them apart: the rule fails there
    expect(oneLeaderPerTerm(pl)).toBe(false);
    expect(leadersOf(pr).length).toBe(2);
    expect(r.violations().filter((v) => v.invariant !== 'split-brain')).toEqual([]);
  });

  it('Chang-Roberts vs collect-ids: the counts in the captions are those of the runs', () => {
    const lesson = compareLessons.find((x) => x.name === 'compare-ring-variants')!;
    const played = playCompareLesson(lesson);
    const at = played.steps[1].timeUs;
    const l = createSimulation(lesson.scenario);
    const r = createSimulation(rightScenario(lesson.scenario, lesson.second));
    l.runUntilTime(at);
    r.runUntilTime(at);
    const cr = elections(probeOf(l, null));
    const ci = elections(probeOf(r, null));
    expect(played.steps[1].text).toContain(`needed ${cr} ELECTION messages, collect-ids ${ci}`);
    expect(ci).toBeGreaterThan(cr);
  });
});
