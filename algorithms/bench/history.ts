/**
 * Memory and seek benchmark for time travel: a 5-node Raft run of `events` events with
 * history on (checkpoints + trace kept), then seeks to pseudo-random indexes. RaftScope
 * keeps a deep copy of its model per step (~10 KB each); we keep compact trace records
 * and a checkpoint every 256 events.
 */
import { createSimulation } from '../index';
import { rngFrom, seedState } from '../sim/rng';
import { percentile } from '../experiments/stats';
import { raftScenario } from '../testing/scenarios';

export interface HistoryBench {
  events: number;
  checkpoints: number;
  runMs: number;
  heapUsedMB: number;
  seekMs: { p50: number; p99: number; max: number; samples: number };
}

export function historyBench(
  events: number,
  now: () => number,
  heapMB: () => number,
): HistoryBench {
  const sim = createSimulation(raftScenario({ nodes: 5, seed: 1, loss: 0.01 }), { history: true });
  const t0 = now();
  while (sim.index < events && sim.step());
  const runMs = now() - t0;
  const heapUsedMB = heapMB();
  const rng = rngFrom(seedState(7));
  const times: number[] = [];
  for (let k = 0; k < 200; k++) {
    const target = rng.int(0, sim.index);
    const s = now();
    sim.seek(target);
    times.push(now() - s);
  }
  times.sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    events: sim.history!.maxIndex,
    checkpoints: sim.history!.size,
    runMs: Math.round(runMs),
    heapUsedMB,
    seekMs: {
      p50: r(percentile(times, 0.5)),
      p99: r(percentile(times, 0.99)),
      max: r(times[times.length - 1]),
      samples: times.length,
    },
  };
}
