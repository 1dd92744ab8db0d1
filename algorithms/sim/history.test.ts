import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../index';
import type { Action } from '../scenario/schema';
import { at, cutLink, kill, partition, pause, resume } from './faults';
import { persistWorld } from './world';
import { raftScenario } from '../testing/scenarios';
import { internals } from './simulation';

const canonical = (sim: Simulation) => persistWorld(internals(sim).world, internals(sim).rt);

const scheduled = fc.record({
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  nodes: fc.integer({ min: 3, max: 6 }),
  loss: fc.integer({ min: 0, max: 200 }).map((p) => p / 1000),
  faults: fc.array(
    fc.oneof(
      fc.record({
        at: fc.integer({ min: 0, max: 1500 }),
        type: fc.constantFrom('kill', 'restart', 'pause', 'resume'),
        node: fc.integer({ min: 1, max: 3 }),
      }),
      fc.record({
        at: fc.integer({ min: 0, max: 1500 }),
        type: fc.constant('cut'),
        from: fc.integer({ min: 1, max: 3 }),
        to: fc.integer({ min: 1, max: 3 }),
        oneWay: fc.boolean(),
      }),
    ) as fc.Arbitrary<Action>,
    { maxLength: 8 },
  ),
});

describe('history: seek and step back are exact', () => {
  it('stepping back k events and forward k gives the same World and trace hash', () => {
    fc.assert(
      fc.property(
        scheduled,
        fc.integer({ min: 1, max: 700 }),
        fc.integer({ min: 1, max: 600 }),
        (s, n, k) => {
          const sim = createSimulation(raftScenario({ ...s, actions: s.faults }), {
            history: { interval: 64 },
          });
          for (let i = 0; i < n && sim.step(); i++);
          const before = canonical(sim);
          const hash = sim.traceHash();
          const here = sim.index;
          const back = Math.min(k, here);
          for (let i = 0; i < back; i++) expect(sim.stepBack()).toBe(true);
          expect(sim.index).toBe(here - back);
          for (let i = 0; i < back; i++) sim.step();
          expect(sim.index).toBe(here);
          expect(sim.traceHash()).toBe(hash);
          expect(canonical(sim)).toEqual(before);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('seek to any index equals running from the start to that index', () => {
    fc.assert(
      fc.property(
        scheduled,
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 6 }),
        (s, targets) => {
          const scenario = raftScenario({ ...s, actions: s.faults });
          const sim = createSimulation(scenario, { history: { interval: 50 } });
          sim.runUntil(2500);
          for (const t of targets) {
            const target = Math.min(t, sim.history!.maxIndex);
            sim.seek(target);
            const fresh = createSimulation(scenario);
            for (let i = 0; i < target; i++) fresh.step();
            expect(sim.index).toBe(target);
            expect(sim.traceHash()).toBe(fresh.traceHash());
            expect(canonical(sim)).toEqual(canonical(fresh));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('live actions survive seeking back before them and replay at the same place', () => {
    const sim = createSimulation(raftScenario({ seed: 4 }), { history: { interval: 32 } });
    sim.runUntil(500);
    sim.apply(kill(sim.leader!));
    sim.runUntil(900);
    sim.apply(partition([1, 2]));
    sim.runUntil(1500);
    sim.seek(sim.index); // the clock back on the last event, as a seek lands
    const end = sim.index;
    const hash = sim.traceHash();
    const world = canonical(sim);
    sim.seek(3);
    sim.seek(end);
    expect(sim.traceHash()).toBe(hash);
    expect(canonical(sim)).toEqual(world);
    // and the recorded scenario replays the same run from scratch
    const replay = createSimulation(sim.scenario);
    replay.runUntil(1500);
    expect(replay.traceHash()).toBe(hash);
  });

  it('an action after stepping back discards the explored future, like undo', () => {
    const sim = createSimulation(
      raftScenario({ seed: 4, actions: at(2000, pause(5), resume(5)) }),
      { history: true },
    );
    sim.runUntil(600);
    sim.apply(cutLink(1, 2));
    sim.runUntil(1200);
    sim.apply(kill(3));
    sim.runUntil(3000);
    const scripted = 2;
    expect(sim.scenario.actions).toHaveLength(scripted + 2);
    // back to before the kill at 1200 ms, then act differently
    while (sim.now > 1000_000) sim.stepBack();
    expect(sim.history!.hasFuture).toBe(true);
    sim.apply(kill(4));
    expect(sim.lastDiscarded).toBe(1);
    expect(sim.scenario.actions.map((a) => a.type)).toEqual(['pause', 'resume', 'cut', 'kill']);
    expect(sim.scenario.actions[3]).toMatchObject({ type: 'kill', node: 4 });
    expect(sim.history!.hasFuture).toBe(false);
    sim.runUntil(3000);
    // the new timeline replays from the recorded scenario
    const replay = createSimulation(sim.scenario);
    replay.runUntil(3000);
    expect(replay.traceHash()).toBe(sim.traceHash());
  });
});

describe('manual delivery', () => {
  it('delivers a chosen message first, and the choice replays exactly', () => {
    const sim = createSimulation(raftScenario({ nodes: 3, seed: 5 }));
    sim.step(); // a candidate broadcasts RequestVote
    const [a, b] = sim.state().inFlight;
    expect(b.deliverAt).toBeGreaterThan(sim.now);
    sim.apply({ type: 'deliver', msg: b.id });
    const rec = sim.step()!;
    expect(rec).toMatchObject({ kind: 'fault', type: 'deliver', node: b.to });
    const delivered = sim.step()!;
    expect(delivered).toMatchObject({ kind: 'deliver', msg: b.id, t: rec.t });
    sim.apply({ type: 'drop', msg: a.id });
    sim.runUntil(1000);
    expect(sim.trace().some((r) => r.msg === a.id && r.kind === 'deliver')).toBe(false);
    expect(sim.summary().messages.dropped.manual).toBe(1);
    const replay = createSimulation(sim.scenario);
    replay.runUntil(1000);
    expect(replay.traceHash()).toBe(sim.traceHash());
  });

  it('fires a chosen timer now', () => {
    const sim = createSimulation(raftScenario({ nodes: 3, seed: 5 }));
    const node = sim.state().nodes[2];
    const timer = node.timers[0];
    expect(timer.due).toBeGreaterThan(0);
    sim.apply({ type: 'fire', node: node.id, timer: timer.id });
    sim.step(); // the choice
    const fired = sim.step()!;
    expect(fired).toMatchObject({ kind: 'timer', node: node.id, t: 0, after: 'candidate' });
  });
});
