/**
 * The foundation benchmark workload, the same as RaftScope's defaults and the anchor in
 * shared/anchors/raftscope: 5-node Raft, election timeout 100-200 ms, latency 10-15 ms,
 * heartbeat 50 ms; N rounds of { run until a leader exists; kill it; run until a new
 * leader; restart the old one }.
 */
import { createSimulation, faults } from '../index';
import type { DriverPath } from '../sim/driver';
import { ms, toMs } from '../sim/time';
import { internals } from '../sim/simulation';

export interface ElectionsResult {
  workload: string;
  driver: DriverPath;
  elections: number;
  events: number;
  /** Of `events`, the kills and restarts the workload applied (RaftScope does not count these). */
  faultEvents: number;
  wallMs: number;
  eventsPerSec: number;
  electionsPerSec: number;
  heapUsedMB: number;
  electionTimeMs: { p50: number; p99: number; max: number };
  traceHash: string;
}

export const WORKLOAD =
  'raft 5 nodes, election 100-200 ms, latency 10-15 ms, heartbeat 50 ms: elect, kill leader, re-elect, restart';

export function electionsWorkload(
  rounds: number,
  seed: number,
  driver: DriverPath,
  now: () => number,
): ElectionsResult {
  const sim = createSimulation(
    {
      v: 1,
      algorithm: 'raft',
      params: { electionTimeout: { min: 100, max: 200 }, heartbeat: 50 },
      nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
      network: { latency: { min: 10, max: 15 }, loss: 0, fifo: false },
      seed,
      actions: [],
    },
    { driver, keepTrace: false },
  );
  const world = internals(sim).world;
  const horizon = ms(86_000_000);
  const times: number[] = [];
  const t0 = now();
  for (let r = 0; r < rounds; r++) {
    if (!sim.runWhileNot(() => world.leader !== null, horizon))
      throw new Error('no leader elected');
    const old = world.leader as number;
    sim.apply(faults.kill(old));
    const crashAt = world.now;
    if (!sim.runWhileNot(() => world.leader !== null && world.leader !== old, horizon))
      throw new Error('no new leader elected');
    times.push(world.now - crashAt);
    sim.apply(faults.restart(old));
  }
  const wallMs = now() - t0;
  times.sort((a, b) => a - b);
  const pick = (q: number) => toMs(times[Math.min(times.length - 1, Math.floor(q * times.length))]);
  const events = world.counters.events;
  return {
    workload: WORKLOAD,
    driver,
    elections: rounds,
    events,
    faultEvents: 2 * rounds,
    wallMs: Math.round(wallMs),
    eventsPerSec: Math.round((events / wallMs) * 1000),
    electionsPerSec: Math.round((rounds / wallMs) * 1000),
    heapUsedMB: 0,
    electionTimeMs: { p50: pick(0.5), p99: pick(0.99), max: toMs(times[times.length - 1]) },
    traceHash: sim.traceHash(),
  };
}
