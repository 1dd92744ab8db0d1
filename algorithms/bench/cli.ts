/**
 * `npm run bench [-- --json] [--elections N] [--seed S] [--no-anchor] [--no-history]`: headless
 * throughput of the foundation workload (see workload.ts) on the fast transition path,
 * the same workload on XState's official transition() for comparison, and RaftScope's
 * model (shared/anchors/raftscope) run in the same process tree right after, so that the
 * ratio comes from one run on one machine; then the time-travel memory benchmark (a
 * 1,000,000-event run with history, heap and seek times). Prints one JSON object.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electionsWorkload } from './workload';
import { historyBench } from './history';

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
const now = () => performance.now();

// warm-up so that both paths are measured with optimised code
electionsWorkload(300, seed + 1, 'fast', now);
electionsWorkload(50, seed + 1, 'official', now);

const fast = electionsWorkload(elections, seed, 'fast', now);
const heapUsedMB = Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
const official = electionsWorkload(Math.max(1, Math.floor(elections / 5)), seed, 'official', now);

const here = dirname(fileURLToPath(import.meta.url));
const anchorScript = resolve(here, '../../../shared/anchors/raftscope/run.sh');
let anchor: Record<string, unknown> | null = null;
if (!process.argv.includes('--no-anchor') && existsSync(anchorScript)) {
  const runs = ['jquery', 'values'].map((map) => {
    const out = execFileSync(
      'bash',
      [anchorScript, '--elections', String(elections), '--seed', String(seed), '--map', map],
      {
        encoding: 'utf8',
      },
    );
    return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, number | string>;
  });
  anchor = { raftscope: runs[0], raftscopeValuesMap: runs[1] };
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMB = () => {
  gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1048576) * 10) / 10;
};
const history = process.argv.includes('--no-history')
  ? null
  : historyBench(arg('history-events', 1_000_000), now, heapMB);

const ratio = (x: number, y: unknown) =>
  typeof y === 'number' && y > 0 ? Math.round((x / y) * 100) / 100 : null;
const r = anchor as {
  raftscope: { electionsPerSec: number };
  raftscopeValuesMap: { electionsPerSec: number };
} | null;
const result = {
  ...fast,
  heapUsedMB,
  officialTransition: {
    elections: official.elections,
    events: official.events,
    wallMs: official.wallMs,
    eventsPerSec: official.eventsPerSec,
    electionsPerSec: official.electionsPerSec,
  },
  anchor,
  history,
  ratios: {
    fastVsOfficialElectionsPerSec: ratio(fast.electionsPerSec, official.electionsPerSec),
    vsRaftScopeElectionsPerSec: ratio(fast.electionsPerSec, r?.raftscope.electionsPerSec),
    vsRaftScopeValuesMapElectionsPerSec: ratio(
      fast.electionsPerSec,
      r?.raftscopeValuesMap.electionsPerSec,
    ),
  },
};

if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(result) + '\n');
else process.stdout.write(JSON.stringify(result, null, 2) + '\n');
