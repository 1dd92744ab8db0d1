/**
 * Whether a long run stays as cheap per simulated second as its start: every registered
 * algorithm (and the lease with its store on Raft) on 7 nodes with history on, timed over
 * the simulated seconds 1,000-1,500 (compiled and warm) and 5,500-6,000. A table that
 * grows with the run and is copied on every update shows up as a late/early ratio well
 * above 1 (the lease on Raft's payment book and applied-entry list made it ~7, before
 * they became persistent tries); run-to-run noise is about ±0.4.
 */
import { createSimulation } from '../index';
import { registry } from '../registry';
import { ms } from '../sim/time';

export interface LongRunResult {
  workload: string;
  /** Per case: ms of wall time per 500 simulated seconds, early and late, and late/early. */
  cases: { name: string; earlyMs: number; lateMs: number; lateVsEarly: number }[];
  worstLateVsEarly: number;
}

export function longRunBench(now: () => number): LongRunResult {
  const cases: { name: string; algorithm: string; params: Record<string, unknown> }[] = [
    ...Object.keys(registry).map((a) => ({ name: a, algorithm: a, params: {} })),
    { name: 'lease, store on Raft', algorithm: 'lease', params: { storeNodes: 3 } },
  ];
  const out: LongRunResult['cases'] = [];
  for (const c of cases) {
    const sim = createSimulation({
      v: 1,
      algorithm: c.algorithm,
      params: c.params,
      nodes: [1, 2, 3, 4, 5, 6, 7].map((id) => ({ id })),
      network: { latency: { min: 30, max: 60 }, loss: 0, fifo: false },
      seed: 1,
      actions: [],
    });
    const span = (from: number, to: number) => {
      sim.runUntilTime(ms(from * 1000), Number.MAX_SAFE_INTEGER);
      // (a collection now, not one owed by the run so far, inside the span: with --expose-gc)
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = now();
      sim.runUntilTime(ms(to * 1000), Number.MAX_SAFE_INTEGER);
      return Math.round(now() - t0);
    };
    const earlyMs = span(1000, 1500);
    const lateMs = span(5500, 6000);
    out.push({
      name: c.name,
      earlyMs,
      lateMs,
      lateVsEarly: Math.round((lateMs / earlyMs) * 100) / 100,
    });
  }
  return {
    workload:
      '7 nodes, latency 30-60 ms, history on: wall ms per 500 simulated seconds at 1,000-1,500 s and at 5,500-6,000 s',
    cases: out,
    worstLateVsEarly: Math.max(...out.map((c) => c.lateVsEarly)),
  };
}
