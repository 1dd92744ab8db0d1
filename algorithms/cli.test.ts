import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './cli';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  vi.spyOn(console, 'log').mockImplementation((...a) => void (out += a.join(' ') + '\n'));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

afterEach(() => vi.restoreAllMocks());

describe('npm run sim', () => {
  it('run <preset> --json prints the run summary', async () => {
    const { code, out } = await run('run', 'raft-leader-crash', '--json');
    expect(code).toBe(0);
    const s = JSON.parse(out);
    expect(Object.keys(s)).toEqual([
      'algorithm',
      'nodes',
      'seed',
      'timeMs',
      'events',
      'messages',
      'leaders',
      'violations',
      'warnings',
      'traceHash',
    ]);
    expect(s).toMatchObject({
      warnings: [],
      algorithm: 'raft',
      nodes: 5,
      seed: 1,
      timeMs: 10_000,
      violations: [],
    });
    // the leader crashes at 1 s: there is a moment without one, then a new leader in a higher term
    const afterCrash = s.leaders.filter((l: { timeMs: number }) => l.timeMs >= 1000);
    expect(afterCrash[0]).toEqual({ timeMs: 1000, node: null });
    expect(afterCrash[1].term).toBeGreaterThan(s.leaders[0].term);
    expect(s.messages.dropped.dead).toBeGreaterThan(0);
    expect(s.traceHash).toMatch(/^[0-9a-f]{8}$/);
  });

  it('run <file> --until stops there; the same file gives the same hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const file = join(dir, 's.json');
    writeFileSync(
      file,
      JSON.stringify({
        v: 1,
        algorithm: 'raft',
        nodes: [{ id: 1 }, { id: 2 }, { id: 3 }],
        network: { latency: { min: 5, max: 9 } },
        seed: 7,
      }),
    );
    const a = JSON.parse((await run('run', file, '--until', '1500', '--json')).out);
    const b = JSON.parse((await run('run', file, '--until=1500', '--json')).out);
    expect(a.timeMs).toBe(1500);
    expect(a.traceHash).toBe(b.traceHash);
  });

  it.each([
    [['run', 'no-such-preset'], 'unknown preset "no-such-preset"'],
    [['run', 'raft-basic', '--until', 'soon'], '--until: "soon" is not a non-negative number'],
    [['run', 'raft-basic', '--colour'], 'unknown flag --colour'],
    [['run', '/nonexistent/x.json'], 'cannot read scenario file'],
    [['experiment', 'election-time', '--nodes', '5'], 'missing --election-timeout'],
    [
      ['experiment', 'election-time', '--nodes', '5', '--election-timeout', '300-150'],
      'min above max',
    ],
    [
      [
        'experiment',
        'election-time',
        '--nodes',
        '1',
        '--election-timeout',
        '150-300',
        '--latency',
        '5-10',
        '--trials',
        '3',
        '--seed',
        '1',
      ],
      '--nodes must be between 2 and 64',
    ],
    [['experiment', 'flux'], 'unknown experiment "flux"'],
    [
      [
        'experiment',
        'messages',
        '--algorithm',
        'paxos',
        '--nodes',
        '5',
        '--trials',
        '1',
        '--seed',
        '1',
      ],
      '--algorithm must be bully, ring or zookeeper',
    ],
    [
      [
        'experiment',
        'messages',
        '--algorithm',
        'ring',
        '--variant',
        'zigzag',
        '--nodes',
        '5',
        '--trials',
        '1',
        '--seed',
        '1',
      ],
      '--variant must be chang-roberts or collect-ids',
    ],
    [
      [
        'experiment',
        'messages',
        '--algorithm',
        'bully',
        '--nodes',
        '5',
        '--initiators',
        'nobody',
        '--trials',
        '1',
        '--seed',
        '1',
      ],
      '--initiators must be one of',
    ],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('bad input %j: exit 2 and one readable message', async (argv, text) => {
    const { code, err, out } = await run(...argv);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toContain(text);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
    expect(out).toBe('');
  });

  it('an invalid scenario file names the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        v: 1,
        algorithm: 'raft',
        nodes: [{ id: 1 }],
        network: { latency: { min: 5, max: 1 } },
        seed: 1,
      }),
    );
    const { code, err } = await run('run', file);
    expect(code).toBe(2);
    expect(err).toContain('invalid scenario: network.latency: min must not exceed max');
  });

  it('experiment messages: Bully worst case is quadratic, as in the literature', async () => {
    const { code, out } = await run(
      'experiment',
      'messages',
      '--algorithm',
      'bully',
      '--nodes',
      '6',
      '--initiators',
      'lowest',
      '--trials',
      '3',
      '--seed',
      '1',
      '--json',
    );
    expect(code).toBe(0);
    const r = JSON.parse(out);
    // a 6-node cluster whose top crashed, detected by the lowest: n^2 - n - 1 = 29
    expect(r).toMatchObject({ trials: 3, mean: 29, min: 29, max: 29 });
    expect(Object.keys(r.byType).sort()).toEqual(['ANSWER', 'COORDINATOR', 'ELECTION']);
  });

  it('experiment election-time: 1000 trials, median between 100 and 400 ms', async () => {
    const { code, out } = await run(
      'experiment',
      'election-time',
      '--algorithm',
      'raft',
      '--nodes',
      '5',
      '--election-timeout',
      '150-300',
      '--latency',
      '5-10',
      '--trials',
      '1000',
      '--seed',
      '1',
      '--json',
    );
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.trials).toBe(1000);
    expect(r.p50).toBeGreaterThan(100);
    expect(r.p50).toBeLessThan(400);
    expect(r.p50).toBeLessThanOrEqual(r.p90);
    expect(r.p90).toBeLessThanOrEqual(r.p99);
    expect(r.p99).toBeLessThanOrEqual(r.max);
    expect(r.splitVotes).toBeGreaterThan(0);
  });
});
