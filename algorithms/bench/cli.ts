/**
 * `npm run bench:headless [-- --json] [--elections N] [--seed S] [--reps R] [--no-anchor]
 * [--no-history] [--history-events N] [--window N] [--window-events N] [--no-long-run]`: headless throughput of the foundation workload (see workload.ts) on
 * the three driver paths: compiled (the default), fast (XState's machine.transition with
 * one reused scope) and XState's official transition(), with elections/s and
 * events/election for each. RaftScope's model (shared/anchors/raftscope) runs in the same
 * process tree, interleaved with the compiled path (ours, anchor, ours, anchor, ...;
 * R rounds, medians), so that the ratio comes from one run on one machine under the same
 * load. Then the time-travel memory benchmark (a 1,000,000-event run with history: trace
 * bytes per event, heap with array buffers, seek times, a link opened at the last event by
 * the resumable seek, and a run six history windows long to show the heap bounded; see
 * history.ts). Then whether a long run of each algorithm costs as much per simulated
 * second late as early (longrun.ts). Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electionsWorkload, type ElectionsResult } from './workload';
import { historyBench } from './history';
import { longRunBench } from './longrun';
import type { DriverPath } from '../sim/driver';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`error: --${name} needs a positive integer\n`);
    process.exit(2);
  }
  return v;
}

const elections = arg('elections', 5000);
const seed = arg('seed', 1);
const reps = arg('reps', 3);
const now = () => performance.now();
const log = (m: string) => process.stderr.write(`bench:headless: ${m}\n`);

/** The anchor's run.sh: beside the repository (main checkout) or beside its parent (worktrees). */
function findAnchor(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromEnv = process.env.RAFTSCOPE_ANCHOR;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  let dir = resolve(here, '../..');
  for (let up = 0; up < 4; up++) {
    const candidate = resolve(dir, 'shared/anchors/raftscope/run.sh');
    if (existsSync(candidate)) return candidate;
    dir = resolve(dir, '..');
  }
  return null;
}

type AnchorRun = Record<string, number | string>;
function anchorRun(script: string, map: 'jquery' | 'values'): AnchorRun {
  const out = execFileSync(
    'bash',
    [script, '--elections', String(elections), '--seed', String(seed), '--map', map],
    { encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').pop() as string) as AnchorRun;
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round2 = (x: number) => Math.round(x * 100) / 100;

/** What the report shows of one path's runs: the median run's figures, and every run's rate. */
function summarise(runs: ElectionsResult[]) {
  const m = median(runs.map((r) => r.electionsPerSec));
  const mid = runs.reduce((a, b) =>
    Math.abs(b.electionsPerSec - m) < Math.abs(a.electionsPerSec - m) ? b : a,
  );
  return {
    driver: mid.driver,
    elections: mid.elections,
    events: mid.events,
    wallMs: mid.wallMs,
    eventsPerSec: mid.eventsPerSec,
    electionsPerSec: m,
    eventsPerElection: round2(mid.events / mid.elections),
    // what RaftScope counts: messages taken off the wire (also those to a dead node) and
    // timers fired, not the workload's kill and restart
    eventsPerElectionWithoutFaults: round2((mid.events - mid.faultEvents) / mid.elections),
    electionTimeMs: mid.electionTimeMs,
    traceHash: mid.traceHash,
    runsElectionsPerSec: runs.map((r) => r.electionsPerSec),
  };
}

// warm-up so that every path is measured with optimised code
for (const d of ['compiled', 'fast'] as DriverPath[]) electionsWorkload(300, seed + 1, d, now);
electionsWorkload(50, seed + 1, 'official', now);

const anchorScript = process.argv.includes('--no-anchor') ? null : findAnchor();
if (!process.argv.includes('--no-anchor') && anchorScript === null)
  log('RaftScope anchor not found (shared/anchors/raftscope/run.sh): no ratio');

const compiledRuns: ElectionsResult[] = [];
const anchorRuns: AnchorRun[] = [];
for (let k = 0; k < reps; k++) {
  log(`round ${k + 1}/${reps}: compiled${anchorScript ? ', RaftScope' : ''}`);
  compiledRuns.push(electionsWorkload(elections, seed, 'compiled', now));
  if (anchorScript) anchorRuns.push(anchorRun(anchorScript, 'jquery'));
}
const heapUsedMB = Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
log('fast path');
const fastRun = electionsWorkload(elections, seed, 'fast', now);
log('official path');
const officialRun = electionsWorkload(
  Math.max(1, Math.floor(elections / 5)),
  seed,
  'official',
  now,
);
const valuesMap = anchorScript ? anchorRun(anchorScript, 'values') : null;

const compiled = summarise(compiledRuns);
const fast = summarise([fastRun]);
const official = summarise([officialRun]);
const anchorRate = anchorRuns.length
  ? median(anchorRuns.map((r) => r.electionsPerSec as number))
  : null;
const anchorMid =
  anchorRate === null
    ? null
    : (anchorRuns.find((r) => r.electionsPerSec === anchorRate) ?? anchorRuns[0]);
const anchor = anchorMid
  ? {
      raftscope: {
        ...anchorMid,
        electionsPerSec: anchorRate,
        eventsPerElection: round2((anchorMid.events as number) / (anchorMid.elections as number)),
        runsElectionsPerSec: anchorRuns.map((r) => r.electionsPerSec),
      },
      raftscopeValuesMap: valuesMap,
    }
  : null;

const history = process.argv.includes('--no-history')
  ? null
  : historyBench(arg('history-events', 1_000_000), now, {
      window: arg('window', 200_000),
      windowEvents: arg('window-events', 1_200_000),
    });

const longRun = process.argv.includes('--no-long-run') ? null : longRunBench(now);

const ratio = (x: number, y: unknown) =>
  typeof y === 'number' && y > 0 ? Math.round((x / y) * 100) / 100 : null;
const result = {
  // the default (compiled) path's figures stay at the top level
  ...compiled,
  heapUsedMB,
  paths: { compiled, fast, official },
  // kept for readers of earlier reports: the official path's figures
  officialTransition: official,
  anchor,
  history,
  longRun,
  ratios: {
    vsRaftScopeElectionsPerSec: ratio(compiled.electionsPerSec, anchorRate),
    fastVsRaftScopeElectionsPerSec: ratio(fast.electionsPerSec, anchorRate),
    vsRaftScopeValuesMapElectionsPerSec: ratio(
      compiled.electionsPerSec,
      valuesMap?.electionsPerSec,
    ),
    compiledVsFastElectionsPerSec: ratio(compiled.electionsPerSec, fast.electionsPerSec),
    compiledVsOfficialElectionsPerSec: ratio(compiled.electionsPerSec, official.electionsPerSec),
    fastVsOfficialElectionsPerSec: ratio(fast.electionsPerSec, official.electionsPerSec),
    eventsPerElectionVsRaftScope: ratio(
      compiled.eventsPerElection,
      anchor?.raftscope.eventsPerElection,
    ),
    eventsPerElectionWithoutFaultsVsRaftScope: ratio(
      compiled.eventsPerElectionWithoutFaults,
      anchor?.raftscope.eventsPerElection,
    ),
    longRunWorstLateVsEarly: longRun?.worstLateVsEarly ?? null,
  },
  interleaving: anchorScript ? `compiled, RaftScope x ${reps}; medians` : null,
};

if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
else process.stdout.write(JSON.stringify(result, null, 2) + '\n');
