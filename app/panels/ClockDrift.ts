/**
 * Clock drift (issue 9): a node's timers run fast or slow by a factor, recorded as a
 * `clock` action so that a link replays it. The node menu cycles a node through true
 * time, fast ×2 and slow ×0.5.
 */
import { faults } from '../../algorithms/index';
import { playground } from '../store/store';

/** A node's clock rate (1 = true time); issue 9's clock drift. */
export function clockRateOf(id: number): number {
  const { session, view } = playground.getState();
  return session.nodeDetails(view, id)?.clockRate ?? 1;
}

const DRIFT_STEPS = [1, 2, 0.5];

/** The next clock rate in the cycle normal → fast ×2 → slow ×0.5 → normal. */
export function nextClockRate(rate: number): number {
  const i = DRIFT_STEPS.findIndex((r) => Math.abs(r - rate) < 1e-9);
  return DRIFT_STEPS[(i + 1) % DRIFT_STEPS.length];
}

export function rateText(rate: number): string {
  return rate === 1 ? 'true time' : rate > 1 ? `fast ×${rate}` : `slow ×${rate}`;
}

/** Clock drift: the node's timers run fast or slow (recorded as a `clock` action). */
export function cycleClock(id: number): void {
  const rate = nextClockRate(clockRateOf(id));
  playground.getState().apply(faults.clockRate(id, rate));
  playground
    .getState()
    .showToast(
      `Node ${id}'s clock now runs ${rateText(rate)}: its timers fire ${rate === 1 ? 'on time' : rate > 1 ? `${rate}× as often` : `${1 / rate}× as slowly`}.`,
    );
}

/** The node menu's item for clock drift. */
export function clockItem(id: number, alive: boolean) {
  const rate = clockRateOf(id);
  const next = nextClockRate(rate);
  return {
    label: rate === 1 ? 'Clock drift' : `Clock drift (${rateText(rate)})`,
    hint: `make its timers run ${rateText(next)}`,
    disabled: !alive,
    run: () => cycleClock(id),
    testid: 'menu-clock',
  };
}
