/**
 * Messages per leader change sit exactly on the model's formulas: 3 for the predecessor
 * recipe whatever the number of workers, 3(w − 1) for the herd.
 */
import { describe, expect, it } from 'vitest';
import {
  leaderChangeTheory,
  measureLeaderChange,
  RECIPES,
  wakeupsTheory,
  zookeeperExperiments,
} from './experiment';

describe('messages per leader change vs the number of workers', () => {
  it.each(RECIPES.map((r) => [r] as const))(
    '%s: every size from 2 to 8 workers gives the formula exactly, message types and woken workers included',
    (recipe) => {
      for (let w = 2; w <= 8; w++) {
        const got = measureLeaderChange(recipe, w);
        const k = wakeupsTheory(recipe, w);
        expect(got.total, `${recipe} w=${w}`).toBe(leaderChangeTheory(recipe, w));
        expect(got.byType).toEqual({ WatchEvent: k, GetChildren: k, Children: k });
        expect(got.woken).toBe(k);
        expect(got.leader).not.toBe(got.crashed);
      }
    },
  );

  it('the formulas hold on a slower network too (latency 120 ms)', () => {
    for (const recipe of RECIPES)
      expect(measureLeaderChange(recipe, 6, 120).total).toBe(leaderChangeTheory(recipe, 6));
  });

  it('herd grows linearly, predecessor stays flat', () => {
    expect([2, 4, 8, 16].map((w) => leaderChangeTheory('herd', w))).toEqual([3, 9, 21, 45]);
    expect([2, 4, 8, 16].map((w) => leaderChangeTheory('predecessor', w))).toEqual([3, 3, 3, 3]);
  });

  it('the zk-leader-change command runs both series and checks its flags', () => {
    const cmd = zookeeperExperiments.commands![0];
    const out = cmd.run({ workers: 4 });
    expect(out.json).toHaveLength(6);
    expect(out.lines.some((l) => /herd +w= 4: 9 messages \(theory 9\), 3 woken/.test(l))).toBe(
      true,
    );
    expect(() => cmd.run({})).toThrow(/missing --workers/);
    expect(() => cmd.run({ workers: 1 })).toThrow(/--workers must be/);
  });
});
