/**
 * The world's seeded PRNG. pure-rand's xoroshiro128plus mutates in place; its state is
 * four 32-bit integers, saved into the World after every draw so that a World copy
 * (checkpoint, replay) continues the exact same random sequence.
 */
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

export type RngState = readonly number[];

export interface Rng {
  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number;
  /** Uniform unsigned 32-bit integer. */
  u32(): number;
  /** True with probability p (0..1), resolved at 1e-6 granularity with integers only. */
  chance(p: number): boolean;
  state(): RngState;
}

export function seedState(seed: number): RngState {
  return xoroshiro128plus(seed >>> 0).getState();
}

export function rngFrom(state: RngState): Rng {
  const gen = xoroshiro128plusFromState(state);
  return {
    int: (from, to) => (from === to ? from : uniformInt(gen, from, to)),
    u32: () => gen.next() >>> 0,
    chance: (p) => {
      if (p <= 0) return false;
      if (p >= 1) return true;
      return uniformInt(gen, 0, 999_999) < Math.round(p * 1_000_000);
    },
    state: () => gen.getState(),
  };
}
