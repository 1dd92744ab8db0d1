/**
 * Narration is checked against the record it tells: for every algorithm on random runs
 * with faults, every line names the node it happened at (and the sender of a message),
 * says "leader" or "coordinator" exactly when a node took the lead, never talks of a node
 * learning that it is someone else, and never prints a missing value. Then the wrong lines
 * that were found by hand, one by one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { algorithms, createSimulation, lessons, narrate, type TraceRecord } from './index';
import { at, healAll, kill, partition, pause, restart, resume } from './sim/faults';

function runOf(algorithm: string, n: number, seed: number, latency: number, faults: boolean) {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
  const actions = faults
    ? [
        ...at(400, kill(n)),
        ...at(
          700,
          partition(
            [1],
            nodes.slice(1).map((x) => x.id),
          ),
        ),
        ...at(900, pause(2)),
        ...at(1300, resume(2), healAll()),
        ...at(1500, restart(n)),
      ]
    : [];
  const sim = createSimulation({
    v: 1,
    algorithm,
    nodes,
    network: { latency: { min: latency, max: latency * 2 }, loss: 0.05 },
    seed,
    actions,
  });
  sim.runUntil(2500);
  return sim;
}

/** Is this record's state a leader's, as its algorithm's definition classifies it? */
const leads = (algorithm: string, state: string | undefined) =>
  state !== undefined &&
  state !== 'dead' &&
  algorithms.find((a) => a.name === algorithm)!.roleOf(state) === 'leader';

function checkLine(algorithm: string, r: TraceRecord): void {
  const line = narrate(r, algorithm);
  const ctx = `${algorithm} #${r.i} ${r.kind} ${r.type}: "${line}"`;
  expect(line.length, ctx).toBeGreaterThan(10);
  expect(line, ctx).not.toMatch(/undefined|null|NaN|\[object/);
  if (r.node !== 0)
    expect(line, ctx).toMatch(new RegExp(`[Nn]ode ${r.node}\\b|[Nn]ode ${r.node}'s`));
  if ((r.kind === 'deliver' || r.kind === 'drop') && r.from !== undefined && r.from !== r.node)
    expect(line, ctx).toMatch(new RegExp(`node ${r.from}\\b`));
  expect(line, ctx).not.toMatch(new RegExp(`Node ${r.node} learns that node ${r.node}\\b`));
  if (r.kind === 'deliver' || r.kind === 'timer') {
    const tookLead = !leads(algorithm, r.before) && leads(algorithm, r.after);
    if (tookLead) expect(line, ctx).toMatch(/leader|coordinator|leads/);
    // a node that did not change state does not "become" anything
    if (r.before === r.after) expect(line, ctx).not.toMatch(/\bbecomes (a|the)\b/);
  }
}

describe('narration is true to its record', () => {
  it.each(algorithms.filter((a) => !a.testOnly).map((a) => [a.name] as const))(
    '%s: every line of random runs with faults',
    (algorithm) => {
      fc.assert(
        fc.property(
          fc.integer({ min: 3, max: 6 }),
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.integer({ min: 1, max: 12 }),
          fc.boolean(),
          (n, seed, latency, faults) => {
            const sim = runOf(
              algorithm,
              Math.max(n, algorithm === 'lease' ? 4 : n),
              seed,
              latency,
              faults,
            );
            for (const r of sim.trace()) checkLine(algorithm, r);
          },
        ),
        { numRuns: 12 },
      );
    },
  );

  it('every lesson run narrates truly', () => {
    for (const l of lessons) {
      const sim = createSimulation(l.scenario);
      sim.runUntil(l.until);
      for (const r of sim.trace()) checkLine(l.algorithm, r);
    }
  });
});

describe('lines that used to be wrong', () => {
  const trace = (name: string) => {
    const l = lessons.find((x) => x.name === name)!;
    const sim = createSimulation(l.scenario);
    sim.runUntil(l.until);
    return { sim, lines: sim.trace().map((r) => [r, narrate(r, l.algorithm)] as const) };
  };

  it('the store answering "expired" to a keep-alive does not say it renewed the lease', () => {
    const { lines } = trace('lesson-payment-no-fencing');
    const expired = lines.filter(([r]) => r.type === 'KeepAlive' && r.note === 'expired');
    expect(expired.length).toBeGreaterThan(0);
    for (const [, line] of expired) {
      expect(line).toMatch(/has expired/);
      expect(line).not.toMatch(/renews|restarts/);
    }
    const renewed = lines.filter(([r]) => r.type === 'KeepAlive' && r.note === 'renewed');
    for (const [, line] of renewed) expect(line).toMatch(/renews/);
  });

  it('a worker that already started over is not told to start over again', () => {
    const { lines } = trace('lesson-payment-no-fencing');
    const again = lines.filter(
      ([r]) => r.type === 'KeepAliveAck' && r.label?.startsWith('Expired') && r.before === r.after,
    );
    expect(again.length).toBeGreaterThan(0);
    for (const [, line] of again) expect(line).toMatch(/already knew/);
  });

  it('collect-ids: a node whose own list came back says so, and whom it follows', () => {
    const { lines } = trace('lesson-ring-collect-ids');
    const back = lines.filter(
      ([r]) =>
        r.kind === 'deliver' &&
        r.type === 'ELECTION' &&
        r.label?.startsWith(`Election [${r.node} `) &&
        r.after === 'follower',
    );
    expect(back.length).toBeGreaterThan(0);
    for (const [r, line] of back) {
      expect(line).toMatch(/own list is back/);
      expect(line).toContain(`follows node ${r.leader}`);
      expect(line).not.toMatch(/passes an election message on/);
    }
  });

  it("the payment service's decisions are told as decisions", () => {
    const { lines } = trace('lesson-payment-fencing');
    expect(lines.map(([, l]) => l)).toContainEqual(
      expect.stringMatching(/rejects node 2's charge .* lower than the highest it has seen/),
    );
  });
});
