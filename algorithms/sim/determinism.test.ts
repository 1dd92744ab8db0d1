import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import { at, cutLink, healAll, kill, partition, pause, restart, resume } from './faults';
import { raftScenario } from '../testing/scenarios';
import { findPreset, presetNames } from '../scenario/presets';
import { lessons } from '../scenario/lessons';
import type { DriverPath } from './driver';
import { ms } from './time';
import { internals } from './simulation';

const stormy = raftScenario({
  seed: 42,
  loss: 0.05,
  actions: [
    ...at(400, kill(1)),
    ...at(700, partition([2, 3], [4, 5])),
    ...at(900, pause(2), cutLink(3, 4, true)),
    ...at(1500, resume(2), healAll()),
    ...at(1800, restart(1)),
  ],
});

describe('determinism', () => {
  it('the same scenario gives the same trace hash and the same trace', () => {
    const a = createSimulation(stormy);
    const b = createSimulation(stormy);
    a.runUntil(5000);
    b.runUntil(5000);
    expect(a.counters().events).toBeGreaterThan(100);
    expect(a.traceHash()).toBe(b.traceHash());
    expect(a.trace()).toEqual(b.trace());
  });

  it('another seed gives another trace', () => {
    const a = createSimulation(stormy);
    const b = createSimulation({ ...stormy, seed: 43 });
    a.runUntil(5000);
    b.runUntil(5000);
    expect(a.traceHash()).not.toBe(b.traceHash());
  });

  it("the fast and compiled transition paths give exactly the official transition()'s trace", () => {
    for (const seed of [1, 2, 3]) {
      const s = { ...stormy, seed };
      const official = createSimulation(s, { driver: 'official' });
      official.runUntil(4000);
      expect(official.trace().length).toBeGreaterThan(50);
      for (const driver of ['fast', 'compiled'] as const) {
        const other = createSimulation(s, { driver });
        other.runUntil(4000);
        expect(other.trace()).toEqual(official.trace());
        expect(other.traceHash()).toBe(official.traceHash());
        expect(other.state().nodes.map((n) => n.context)).toEqual(
          official.state().nodes.map((n) => n.context),
        );
      }
    }
  });

  it.each(presetNames())(
    '%s: the same trace hash through the official, fast and compiled paths',
    (name) => {
      const preset = findPreset(name)!;
      const lesson = lessons.find((l) => l.name === name);
      const until = lesson?.until ?? 3000;
      const run = (driver: DriverPath) => {
        const sim = createSimulation(preset.scenario, { driver });
        sim.runUntil(until);
        return sim;
      };
      const official = run('official');
      expect(official.counters().events).toBeGreaterThan(10);
      for (const driver of ['fast', 'compiled'] as const) {
        const other = run(driver);
        expect(other.traceHash(), driver).toBe(official.traceHash());
        expect(other.trace(), driver).toEqual(official.trace());
      }
    },
  );

  it('compiled is the default path', () => {
    expect(internals(createSimulation(stormy)).rt.drivers[0].path).toBe('compiled');
  });

  it('an action applied live replays identically from the recorded scenario', () => {
    const live = createSimulation(raftScenario({ seed: 9 }));
    live.runUntil(600);
    // step into the middle of a burst of same-time events before acting
    live.step();
    live.apply(kill(live.leader ?? 1));
    live.runUntil(1200);
    live.apply(cutLink(2, 3));
    live.runUntil(3000);
    const replay = createSimulation(live.scenario);
    replay.runUntil(3000);
    expect(replay.trace()).toEqual(live.trace());
    expect(replay.traceHash()).toBe(live.traceHash());
  });

  it('message bodies stay immutable: the delivery draw goes into the event, not the body', () => {
    // duplicates and broadcasts share one body between several messages in flight
    const sim = createSimulation(
      { ...stormy, network: { ...stormy.network, duplicate: 0.3 } },
      {
        history: true,
      },
    );
    const inFlight = () =>
      internals(sim).world.queue.flatMap((ev) => (ev.kind === 'deliver' ? [ev.msg.body] : []));
    const seen = new Set<object>();
    while (sim.now < ms(4000) && sim.step()) for (const b of inFlight()) seen.add(b);
    expect(sim.counters().delivered).toBeGreaterThan(200);
    expect(seen.size).toBeGreaterThan(100);
    // every body seen in flight, delivered since or not, never got a rand
    for (const b of seen) expect(Object.keys(b)).not.toContain('rand');
    // after stepping back, what is in flight is what was in flight then
    sim.seek(300);
    for (const b of inFlight()) expect(Object.keys(b)).not.toContain('rand');
  });
});
