/**
 * Compare mode's store in Node: entering builds the right run from the left one, every
 * user action from either view goes to both runs (a lasso on one view partitions both
 * clusters), loading another scenario leaves compare mode, and leaving gives each store
 * its own actions back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { playground } from '../store/store';
import { compareStore, compareStepAt, findCompareLesson } from './compareStore';
import { playedCompareLesson } from '../../algorithms/index';

const bully = {
  v: 1 as const,
  algorithm: 'bully',
  params: {},
  nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
  network: { latency: { min: 10, max: 15 }, loss: 0, fifo: false },
  seed: 1,
  actions: [],
};

afterEach(() => compareStore.getState().leave());

describe('compare store', () => {
  it('a lasso on either view partitions both clusters at the same time', () => {
    playground.getState().load(bully, { ask: false });
    expect(compareStore.getState().enter({ algorithm: 'raft', params: {} }, { t: 400_000 })).toBe(
      true,
    );
    const { right, pair } = compareStore.getState();
    expect(right!.getState().scenario.algorithm).toBe('raft');
    // the lasso's store action, on the right view
    right!.getState().isolate([3]);
    const la = pair!.left.actions();
    expect(la).toEqual([{ type: 'partition', groups: [[1, 2, 4, 5], [3]], at: 400 }]);
    expect(pair!.right.actions()).toEqual(la);
    // a kill from the left view's menu lands in both too
    playground.getState().kill(5);
    expect(pair!.left.actions()).toHaveLength(2);
    expect(pair!.right.actions()).toEqual(pair!.left.actions());
    expect(right!.getState().view.byId.get(5)!.alive).toBe(false);
    expect(playground.getState().view.byId.get(5)!.alive).toBe(false);
  });

  it('loading another scenario leaves compare mode; the left store acts alone again', () => {
    playground.getState().load(bully, { ask: false });
    compareStore.getState().enter({ algorithm: 'raft', params: {} });
    const rightSession = compareStore.getState().pair!.right;
    playground.getState().load({ ...bully, seed: 2 }, { ask: false });
    expect(compareStore.getState().active).toBe(false);
    playground.getState().kill(1);
    expect(playground.getState().session.actions()).toHaveLength(1);
    expect(rightSession.actions()).toHaveLength(0);
  });

  it('a second run the scenario cannot have is refused, and compare mode stays off', () => {
    playground.getState().load(bully, { ask: false });
    expect(
      compareStore.getState().enter({ algorithm: 'raft', params: { electionMin: 'soon' } }),
    ).toBe(false);
    expect(compareStore.getState().active).toBe(false);
    expect(playground.getState().toast?.text).toMatch(/^Cannot compare: /);
  });

  it('a compare lesson opens both runs at its start; its captions follow the shared clock', () => {
    compareStore.getState().startLesson('compare-bully-raft-partition');
    const c = compareStore.getState();
    expect(c.active).toBe(true);
    expect(c.lesson).toBe('compare-bully-raft-partition');
    expect(c.clock.t).toBe(0);
    const lesson = findCompareLesson('compare-bully-raft-partition')!;
    const steps = playedCompareLesson(lesson).steps;
    c.pair!.seekTime(steps[3].timeUs);
    expect(compareStepAt(lesson, compareStore.getState().clock.t)).toBe(3);
    c.pair!.seekTime(steps[3].timeUs - 1);
    expect(compareStepAt(lesson, compareStore.getState().clock.t)).toBe(2);
  });
});
