/**
 * The simulation session in Node: the playback clock, stepping and time travel, acting in
 * the past, breakpoints, loading, and above all that every snapshot it publishes is one
 * consistent picture of the engine (view, position, run index and log agree).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, faults, type ScenarioInput } from '../../algorithms/index';
import type { Breakpoint } from '../debug/debugStore';
import { createPlaygroundStore } from '../store/store';
import type { SimView } from '../store/view';
import {
  FRAME_BUDGET_MS,
  LOG_CAP,
  MAX_FRAME_MS,
  SEEK_SLICE_MS,
  SEEK_TASK_SLICE_MS,
  SEEK_PROGRESS_MS,
  SimulationSession,
  type Notice,
  type SessionHost,
  type SessionSnapshot,
} from './session';

const scenario = (extra: Partial<ScenarioInput> = {}): ScenarioInput => ({
  v: 1,
  algorithm: 'raft',
  params: {},
  nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
  network: { latency: { min: 30, max: 60 }, loss: 0, fifo: false },
  seed: 2,
  actions: [],
  ...extra,
});

/** A clock and a frame scheduler the test drives by hand. */
function fakeHost() {
  let t = 0;
  /** Real ms each reading of the clock adds (simulates work taking time). */
  let tick = 0;
  const frames = new Map<number, (ts: number) => void>();
  let handle = 0;
  const host: SessionHost = {
    now: () => (t += tick),
    requestFrame: (cb) => {
      frames.set(++handle, cb);
      return handle;
    },
    cancelFrame: (h) => void frames.delete(h),
  };
  return {
    host,
    setTick(ms: number) {
      tick = ms;
    },
    /** Runs the frame callbacks pending, at real time `ts` ms. */
    frame(ts: number) {
      const cbs = [...frames.values()];
      frames.clear();
      for (const cb of cbs) cb(ts);
    },
    get pending() {
      return frames.size;
    },
  };
}

const sessions: SimulationSession[] = [];
function make(input = scenario(), speed = 1) {
  const h = fakeHost();
  const s = new SimulationSession(input, { host: h.host, speed });
  sessions.push(s);
  const notices: Notice[] = [];
  s.onNotice((n) => notices.push(n));
  return { s, h, notices };
}
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

/** Everything a snapshot claims, checked against the engine it was taken from. */
function checkConsistent(s: SimulationSession, snap: SessionSnapshot): void {
  const sim = s.simulationForTestHook();
  const { position: p, view, runIndex, log } = snap;
  expect(p.index).toBe(sim.index);
  expect(view.events).toBe(p.index);
  expect(p.max).toBe(Math.max(sim.history?.maxIndex ?? sim.index, sim.index));
  expect(runIndex.end).toBe(p.max);
  expect(view.leader).toBe(sim.leader);
  expect(snap.now).toBe(sim.now);
  // the log window ends with the current event (or a leader line right after it)
  const events = log.filter((e) => e.kind !== 'leader');
  if (p.index === 0) expect(events).toEqual([]);
  else {
    expect(events.length).toBeGreaterThan(0);
    expect(events[events.length - 1].rec!.i).toBe(p.index - 1);
    // (the trace keeps records compactly and decodes them on demand: equal, not the same object)
    expect(events[events.length - 1].rec).toEqual(runIndex.trace.at(p.index - 1));
    for (let k = 1; k < events.length; k++) expect(events[k].rec!.i).toBe(events[k - 1].rec!.i + 1);
  }
  expect(log.length).toBeLessThanOrEqual(LOG_CAP);
}

/** A view without the keys of bookkeeping that differ between two equal states. */
const picture = (v: SimView) => ({ ...v, nodes: v.nodes, byId: [...v.byId.entries()] });

describe('playback clock', () => {
  it('advances simulated time by real elapsed time x speed, frame by frame', () => {
    const { s, h } = make(scenario(), 0.5);
    s.play();
    expect(s.snapshot().playing).toBe(true);
    expect(h.pending).toBe(1);
    h.frame(1000); // the first frame counts as 16 ms
    expect(s.snapshot().now).toBe(16 * 1000 * 0.5);
    h.frame(1050);
    expect(s.snapshot().now).toBe((16 + 50) * 1000 * 0.5);
    h.frame(1050 + 40); // a frame of 40 ms
    expect(s.snapshot().now).toBe((16 + 50 + 40) * 1000 * 0.5);
    h.frame(5000); // a long gap (a background tab) counts as MAX_FRAME_MS
    expect(s.snapshot().now).toBe((16 + 50 + 40 + MAX_FRAME_MS) * 1000 * 0.5);
    s.setSpeed(2);
    h.frame(5000 + 10);
    expect(s.snapshot().now).toBe((16 + 50 + 40 + MAX_FRAME_MS) * 500 + 10 * 2000);
    s.pause();
    expect(h.pending).toBe(0);
    h.frame(6000);
    expect(s.snapshot().now).toBe((16 + 50 + 40 + MAX_FRAME_MS) * 500 + 10 * 2000);
  });

  it('carries fractions of a microsecond between frames', () => {
    const { s, h } = make(scenario(), 0.01);
    s.play();
    h.frame(1000); // 16 ms x 0.01 = 160 µs
    for (let k = 1; k <= 30; k++) h.frame(1000 + k * 0.3); // 0.3 ms x 0.01 = 3 µs each
    expect(s.snapshot().now).toBe(160 + 30 * 3);
  });

  it('processes events within the frame budget and says it is lagging', () => {
    const { s, h } = make(scenario(), 100);
    s.play();
    h.frame(1000);
    h.frame(1100); // 100 ms x 100 = 10 s of simulated time wanted, with a free clock
    const free = s.snapshot();
    expect(free.lagging).toBe(false);
    expect(free.now).toBe((16 + 100) * 1000 * 100);
    // now every reading of the real clock costs 1 ms: the budget runs out
    h.setTick(1);
    const before = free.position.index;
    h.frame(1200);
    const tight = s.snapshot();
    expect(tight.lagging).toBe(true);
    const done = tight.position.index - before;
    expect(done).toBeGreaterThan(0);
    // the clock is read every 32 events: at most one batch past the budget
    expect(done).toBeLessThanOrEqual(32 * (FRAME_BUDGET_MS + 1));
    // simulated time stays at the last event processed, behind what was asked
    expect(tight.now).toBeLessThan(free.now + 100 * 1000 * 100);
    expect(tight.now).toBe(tight.runIndex.trace.time(tight.position.index - 1));
    checkConsistent(s, tight);
    h.setTick(0);
    h.frame(1300);
    expect(s.snapshot().lagging).toBe(false);
  });

  it('publishes nothing new when a frame changes nothing', () => {
    const { s } = make();
    const seen: SessionSnapshot[] = [];
    s.subscribe((x) => seen.push(x));
    s.pause();
    s.setSpeed(s.snapshot().speed);
    expect(seen).toEqual([]);
  });
});

describe('one consistent snapshot', () => {
  it('the view, the position, the run index and the log agree at every published point', () => {
    const { s, h } = make(scenario(), 0.5);
    let count = 0;
    s.subscribe((snap) => {
      checkConsistent(s, snap);
      count++;
    });
    s.play();
    for (let k = 0; k < 400; k++) h.frame(1000 + k * 16);
    expect(s.snapshot().position.index).toBeGreaterThan(50);
    s.pause();
    for (let k = 0; k < 25; k++) s.step();
    s.runFor(300);
    s.seek(40);
    s.stepBack();
    s.apply(faults.kill(3));
    s.runUntilLeaderChange();
    s.seek(s.snapshot().position.max);
    s.play();
    for (let k = 0; k < 100; k++) h.frame(20_000 + k * 16);
    expect(count).toBeGreaterThan(400);
  });

  it('while playing, the first event is in the log and the scrubber as soon as it is in the view', () => {
    const { s, h } = make(scenario(), 1);
    s.play();
    let first: SessionSnapshot | null = null;
    for (let k = 0; k < 1000 && !first; k++) {
      h.frame(1000 + k * 16);
      if (s.snapshot().view.events > 0) first = s.snapshot();
    }
    expect(first).not.toBeNull();
    expect(first!.position.index).toBe(first!.view.events);
    expect(first!.position.max).toBe(first!.view.events);
    expect(first!.log.filter((e) => e.kind !== 'leader').length).toBe(first!.view.events);
  });

  it('a read model is a new object exactly when it changed', () => {
    const { s } = make();
    s.runFor(400);
    const a = s.snapshot();
    s.runFor(0); // nothing happens
    expect(s.snapshot()).toBe(a);
    s.setSpeed(3);
    const b = s.snapshot();
    expect(b).not.toBe(a);
    expect(b.view).toBe(a.view);
    expect(b.position).toBe(a.position);
    expect(b.runIndex).toBe(a.runIndex);
    expect(b.log).toBe(a.log);
    s.step();
    const c = s.snapshot();
    expect(c.view).not.toBe(b.view);
    expect(c.position).not.toBe(b.position);
    expect(c.log).not.toBe(b.log);
    expect(c.runIndex).not.toBe(b.runIndex);
    // markers only change when a marker was added
    expect(c.runIndex.markers).toBe(b.runIndex.markers);
  });
});

describe('stepping and time travel', () => {
  it('lands on exact event indices and restores the same view', () => {
    const { s } = make();
    const views: SimView[] = [s.snapshot().view];
    const logs = [s.snapshot().log];
    for (let k = 1; k <= 60; k++) {
      expect(s.step()).toBe(true);
      expect(s.snapshot().position.index).toBe(k);
      views.push(s.snapshot().view);
      logs.push(s.snapshot().log);
    }
    for (let k = 59; k >= 0; k--) {
      expect(s.stepBack()).toBe(true);
      const snap = s.snapshot();
      expect(snap.position.index).toBe(k);
      expect(snap.position.max).toBe(60);
      expect(snap.position.hasFuture).toBe(true);
      expect(picture(snap.view)).toEqual(picture(views[k]));
      const strip = (l: (typeof logs)[number]) => l.map(({ key: _key, ...e }) => e);
      expect(strip(snap.log)).toEqual(strip(logs[k]));
    }
    expect(s.stepBack()).toBe(false);
    for (const k of [37, 3, 60, 0, 59]) {
      s.seek(k);
      expect(s.snapshot().position.index).toBe(k);
      expect(picture(s.snapshot().view)).toEqual(picture(views[k]));
    }
  });

  it('a seek deep into a run shows what a straight run there shows', () => {
    const { s } = make();
    s.runFor(15_000);
    const end = s.snapshot().position.index;
    expect(end).toBeGreaterThan(LOG_CAP * 2);
    const target = Math.floor(end * 0.6);
    s.seek(target);
    const sought = s.snapshot();
    const straight = make().s;
    straight.runToEvent(target);
    const ref = straight.snapshot();
    expect(sought.position.index).toBe(target);
    const strip = (snap: SessionSnapshot) => snap.log.map(({ key: _key, ...e }) => e);
    expect(strip(sought)).toEqual(strip(ref));
    // timers that started before the replayed window may differ in their start only
    const noStart = (v: SimView) =>
      v.nodes.map((n) => ({ ...n, timer: n.timer && { id: n.timer.id, due: n.timer.due } }));
    expect(noStart(sought.view)).toEqual(noStart(ref.view));
    expect(sought.view.inFlight).toEqual(ref.view.inFlight);
    expect(s.traceHash()).toBe(straight.traceHash());
  });

  it('says when there is nothing before the start', () => {
    const { s, notices } = make();
    expect(s.stepBack()).toBe(false);
    expect(notices.at(-1)?.kind).toBe('info');
    expect((notices.at(-1) as { text: string }).text).toMatch(/start/);
  });
});

describe('a run to a far event', () => {
  /** Everything two sessions standing on the same event must agree on. */
  function sameMoment(a: SessionSnapshot, b: SessionSnapshot): void {
    expect(a.position).toEqual(b.position);
    expect(a.now).toBe(b.now);
    const strip = (snap: SessionSnapshot) => snap.log.map(({ key: _key, ...e }) => e);
    expect(strip(a)).toEqual(strip(b));
    // timers that started before the replayed window may differ in their start only
    const noStart = (v: SimView) =>
      v.nodes.map((n) => ({ ...n, timer: n.timer && { id: n.timer.id, due: n.timer.due } }));
    expect(noStart(a.view)).toEqual(noStart(b.view));
    expect(a.view.inFlight).toEqual(b.view.inFlight);
    expect(a.runIndex.markers).toEqual(b.runIndex.markers);
    expect(a.runIndex.end).toBe(b.runIndex.end);
  }

  it('goes on in slices, one per frame, publishing its progress, and lands where a straight run lands', () => {
    const { s, h } = make();
    h.setTick(1); // every reading of the clock: 1 ms of real time
    const target = 20_000;
    let done = 0;
    s.runToEvent(target, () => done++);
    const first = s.snapshot();
    expect(first.seeking).toMatchObject({ from: 0, target });
    expect(first.seeking!.index).toBeGreaterThan(0);
    expect(first.seeking!.index).toBeLessThan(target);
    // the picture stays the moment it started from until it lands
    expect(first.position.index).toBe(0);
    expect(first.log).toEqual([]);
    expect(done).toBe(0);
    expect(h.pending).toBe(1);
    let frames = 0;
    let last = first.seeking!.index;
    while (s.snapshot().seeking) {
      h.frame(++frames * 16);
      const snap = s.snapshot();
      if (snap.seeking) {
        expect(snap.seeking.index).toBeGreaterThan(last);
        // the engine asks the clock every 64 events, each reading 1 ms here
        expect(snap.seeking.index - last).toBeLessThanOrEqual((SEEK_SLICE_MS + 1) * 64);
        last = snap.seeking.index;
        expect(snap.view).toBe(first.view);
        expect(snap.position).toBe(first.position);
      }
      expect(frames).toBeLessThan(2000);
    }
    expect(frames).toBeGreaterThan(5);
    expect(done).toBe(1);
    const landed = s.snapshot();
    expect(landed.position.index).toBe(target);
    checkConsistent(s, landed);

    const straight = make().s; // the clock never moves: all at once, event by event
    straight.runToEvent(target);
    expect(straight.snapshot().seeking).toBeNull();
    sameMoment(landed, straight.snapshot());
    expect(s.traceHash()).toBe(straight.traceHash());
  });

  it('with tasks, slices follow one another without waiting for frames, and the bar moves only on frames', () => {
    const h = fakeHost();
    const tasks: (() => void)[] = [];
    const host: SessionHost = {
      ...h.host,
      yieldTask: (cb) => tasks.push(cb),
      cancelTask: () => {},
    };
    const s = new SimulationSession(scenario(), { host, speed: 1 });
    sessions.push(s);
    h.setTick(1);
    const target = 20_000;
    let done = 0;
    let published = 0;
    s.subscribe(() => published++);
    s.runToEvent(target, () => done++);
    const first = s.snapshot().seeking!.index;
    expect(tasks.length).toBe(1);
    expect(h.pending).toBe(0);
    // two slices in a row, no frame between them: the bar stays, one frame is asked for
    tasks.shift()!();
    const afterOne = s.simulationForTestHook().index;
    expect(afterOne).toBeGreaterThan(first);
    expect(afterOne - first).toBeLessThanOrEqual((SEEK_TASK_SLICE_MS + 1) * 64);
    tasks.shift()!();
    expect(s.simulationForTestHook().index).toBeGreaterThan(afterOne);
    expect(s.snapshot().seeking!.index).toBe(first);
    expect(h.pending).toBe(1);
    const before = published;
    h.frame(16);
    expect(published).toBe(before + 1);
    expect(s.snapshot().seeking!.index).toBe(s.simulationForTestHook().index);
    let n = 0;
    while (tasks.length > 0 && n++ < 5000) tasks.shift()!();
    expect(done).toBe(1);
    expect(h.pending).toBe(0); // the bar's frame was given back on landing
    const landed = s.snapshot();
    expect(landed.seeking).toBeNull();
    expect(landed.position.index).toBe(target);
    checkConsistent(s, landed);
    const straight = make().s;
    straight.runToEvent(target);
    sameMoment(landed, straight.snapshot());
    expect(s.traceHash()).toBe(straight.traceHash());
  });

  it('with tasks, the bar moves at most every SEEK_PROGRESS_MS of real time, even with a frame after every slice', () => {
    const h = fakeHost();
    const tasks: (() => void)[] = [];
    let clock = 0;
    const host: SessionHost = {
      ...h.host,
      now: () => (clock = h.host.now()),
      yieldTask: (cb) => tasks.push(cb),
      cancelTask: () => {},
    };
    const s = new SimulationSession(scenario(), { host, speed: 1 });
    sessions.push(s);
    h.setTick(1);
    const shownAt: number[] = [];
    s.subscribe((snap) => {
      if (snap.seeking) shownAt.push(clock);
    });
    s.runToEvent(40_000);
    let slices = 0;
    let ts = 0;
    while (tasks.length > 0 && slices < 5000) {
      tasks.shift()!();
      slices++;
      h.frame((ts += 16));
    }
    expect(s.snapshot().position.index).toBe(40_000);
    expect(shownAt.length).toBeGreaterThan(2);
    expect(shownAt.length).toBeLessThan(slices);
    for (let k = 1; k < shownAt.length; k++)
      expect(shownAt[k] - shownAt[k - 1]).toBeGreaterThanOrEqual(SEEK_PROGRESS_MS);
  });

  it('can be cancelled: it stops where it is, lands there, and onDone never runs', () => {
    const { s, h } = make();
    h.setTick(1);
    let done = 0;
    s.runToEvent(20_000, () => done++);
    h.frame(16);
    h.frame(32);
    const at = s.snapshot().seeking!.index;
    s.cancelSeek();
    const snap = s.snapshot();
    expect(snap.seeking).toBeNull();
    expect(snap.position.index).toBe(at);
    checkConsistent(s, snap);
    expect(h.pending).toBe(0);
    h.frame(48);
    expect(s.snapshot().position.index).toBe(at);
    expect(done).toBe(0);
    // and the state there is the run's own
    const straight = make().s;
    straight.runToEvent(at);
    sameMoment(snap, straight.snapshot());
  });

  it('another move settles it first: a step goes one event on from where it stood', () => {
    const { s, h } = make();
    h.setTick(1);
    s.runToEvent(20_000);
    h.frame(16);
    const at = s.snapshot().seeking!.index;
    s.step();
    expect(s.snapshot().seeking).toBeNull();
    expect(s.snapshot().position.index).toBe(at + 1);
    checkConsistent(s, s.snapshot());
    expect(h.pending).toBe(0);
    // a seek abandons it and goes where it was asked
    s.runToEvent(20_000);
    expect(s.snapshot().seeking).not.toBeNull();
    s.seek(100);
    expect(s.snapshot().seeking).toBeNull();
    expect(s.snapshot().position.index).toBe(100);
    expect(h.pending).toBe(0);
  });

  it('an event beyond the end of the run lands on its last event and says so', () => {
    // every node dies at 30 s: nothing is left to happen after that
    const dying = scenario({
      actions: [1, 2, 3, 4, 5].map((id) => ({ ...faults.kill(id), at: 30_000 })),
    });
    const { s, h, notices } = make(dying);
    h.setTick(1);
    let done = 0;
    s.runToEvent(1_000_000, () => done++);
    expect(s.snapshot().seeking).not.toBeNull();
    for (let f = 1; s.snapshot().seeking && f < 2000; f++) h.frame(f * 16);
    const snap = s.snapshot();
    expect(snap.seeking).toBeNull();
    expect(done).toBe(1);
    expect(s.nextEventTime()).toBeUndefined();
    checkConsistent(s, snap);
    const end = snap.position.index;
    expect(end).toBeLessThan(1_000_000);
    expect(notices.at(-1)).toEqual({
      kind: 'info',
      text: `Event 1,000,000 lies beyond the end of this run: showing its last event (${end.toLocaleString('en')}).`,
    });
    // the same at once, without frames
    const straight = make(dying).s;
    straight.runToEvent(1_000_000);
    sameMoment(snap, straight.snapshot());
  });

  it('without frames (Node, no scheduler) it finishes in the call', () => {
    const s = new SimulationSession(scenario(), {
      host: {
        now: (
          (t) => () =>
            (t += 1)
        )(0),
        requestFrame: null,
        cancelFrame: () => {},
      },
    });
    sessions.push(s);
    s.runToEvent(5000);
    expect(s.snapshot().seeking).toBeNull();
    expect(s.snapshot().position.index).toBe(5000);
    checkConsistent(s, s.snapshot());
  });
});

describe('acting', () => {
  it('an action after stepping back discards the explored future and reports how much', () => {
    const { s, notices } = make();
    s.runToEvent(500);
    s.seek(200);
    expect(s.snapshot().position).toMatchObject({ index: 200, max: 500, hasFuture: true });
    const r = s.apply(faults.kill(3));
    expect(r).toEqual({ discarded: 300, discardedActions: 0 });
    const snap = s.snapshot();
    expect(snap.position.index).toBe(201);
    expect(snap.position.max).toBe(201);
    expect(snap.position.hasFuture).toBe(false);
    expect(snap.userActions).toBe(1);
    expect(snap.view.byId.get(3)!.alive).toBe(false);
    expect(notices.at(-1)).toEqual({
      kind: 'info',
      text: 'You acted in the past: the 300 explored events after this point were discarded.',
    });
    checkConsistent(s, snap);
  });

  it('counts recorded actions discarded with the future', () => {
    const { s } = make();
    s.runFor(500);
    s.apply(faults.pause(2));
    s.runFor(500);
    s.apply(faults.resume(2));
    s.runFor(200);
    s.seek(10);
    const r = s.apply(faults.kill(1))!;
    expect(r.discardedActions).toBe(2);
    expect(s.actions().map((a) => a.type)).toEqual(['kill']);
  });

  it('an action at the end of the run discards nothing and says nothing', () => {
    const { s, notices } = make();
    s.runFor(300);
    expect(s.apply(faults.kill(1))).toEqual({ discarded: 0, discardedActions: 0 });
    expect(notices).toEqual([]);
  });
});

describe('breakpoints', () => {
  const leader: Breakpoint[] = [{ id: 1, kind: 'leader', enabled: true }];

  it('stop playback right after the matching event', () => {
    const { s, h, notices } = make(scenario(), 1);
    s.setBreakpoints(leader);
    s.play();
    for (let k = 0; k < 2000 && s.snapshot().playing; k++) h.frame(1000 + k * 16);
    const snap = s.snapshot();
    expect(snap.playing).toBe(false);
    expect(h.pending).toBe(0);
    // where a fresh run says the first leader is elected
    const ref = createSimulation(scenario());
    while (ref.leader === null) ref.step();
    expect(snap.position.index).toBe(ref.index);
    expect(snap.view.leader).toBe(ref.leader);
    expect(snap.now).toBe(snap.runIndex.trace.time(ref.index - 1));
    const n = notices.at(-1)!;
    expect(n).toMatchObject({ kind: 'breakpoint', index: ref.index, stopped: true });
    expect((n as { text: string }).text).toContain(`node ${ref.leader} was elected leader`);
    checkConsistent(s, snap);
  });

  it('stop run-for too, and are off once disabled', () => {
    const { s } = make();
    s.setBreakpoints(leader);
    s.runFor(3000);
    const ref = createSimulation(scenario());
    while (ref.leader === null) ref.step();
    expect(s.snapshot().position.index).toBe(ref.index);
    s.seek(0);
    s.setBreakpoints([{ ...leader[0], enabled: false }]);
    s.runFor(3000);
    expect(s.snapshot().position.index).toBeGreaterThan(ref.index);
  });
});

describe('timing warnings', () => {
  it('say when the network outgrows the timeouts the user set, and go when it no longer does', () => {
    const { s } = make(
      scenario({
        network: { latency: { min: 10, max: 15 }, loss: 0, fifo: false },
        params: { electionTimeout: { min: 150, max: 300 } },
      }),
    );
    const quiet = s.snapshot();
    expect(quiet.warnings).toEqual([]);
    s.runFor(300);
    expect(s.snapshot().warnings).toBe(quiet.warnings);
    s.apply(faults.setLatency(80, 150));
    const slow = s.snapshot();
    // the warning is the engine's own, for the network as it is now
    expect(slow.warnings).toEqual(s.simulationForTestHook().timingWarnings());
    expect(slow.warnings.join(' ')).toMatch(
      /election timeout 150-300 ms .*round trip of up to 300 ms/,
    );
    s.runFor(100);
    expect(s.snapshot().warnings).toBe(slow.warnings);
    s.apply(faults.setLatency(10, 15));
    expect(s.snapshot().warnings).toEqual([]);
  });

  it('timing left to the defaults follows the network and warns of nothing', () => {
    const { s } = make(
      scenario({ network: { latency: { min: 80, max: 150 }, loss: 0, fifo: false } }),
    );
    expect(s.snapshot().warnings).toEqual([]);
  });
});

describe('loading', () => {
  it('a bad scenario is refused with a readable error and the old run stays', () => {
    const { s } = make();
    s.runFor(500);
    const before = s.snapshot();
    const hash = s.traceHash();
    const r = s.load({ ...scenario(), nodes: [{ id: 1 }, { id: 1 }] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/node|id|duplicate/i);
    const r2 = s.load({ ...scenario(), algorithm: 'no-such-algorithm' });
    expect(r2.ok).toBe(false);
    expect(!r2.ok && r2.error).toMatch(/algorithm/i);
    expect(s.snapshot()).toBe(before);
    expect(s.traceHash()).toBe(hash);
    s.runFor(100);
    expect(s.snapshot().position.index).toBeGreaterThan(before.position.index);
  });

  it('a good scenario starts a new run at 0 ms with a new generation', () => {
    const { s } = make();
    s.runFor(500);
    s.apply(faults.kill(1));
    const g = s.snapshot().generation;
    expect(s.load(scenario({ nodes: [{ id: 1 }, { id: 2 }, { id: 3 }] })).ok).toBe(true);
    const snap = s.snapshot();
    expect(snap.generation).toBe(g + 1);
    expect(snap).toMatchObject({ now: 0, userActions: 0, log: [], drops: [] });
    expect(snap.position).toMatchObject({ index: 0, max: 0 });
    expect(snap.view.nodes.map((n) => n.id)).toEqual([1, 2, 3]);
  });

  it('replay runs the same story again: same events, same hash, the actions kept', () => {
    const { s } = make();
    s.runFor(700);
    s.apply(faults.kill(3));
    s.runFor(700);
    const index = s.snapshot().position.index;
    const hash = s.traceHash();
    expect(s.replay().ok).toBe(true);
    expect(s.snapshot().userActions).toBe(1);
    s.runToEvent(index);
    expect(s.traceHash()).toBe(hash);
    expect(s.loadedScenario().actions ?? []).toEqual([]);
  });
});

describe('the store over the session', () => {
  const scripted = scenario({ actions: [{ at: 1000, type: 'partition', groups: [[3]] }] });

  function store() {
    const h = fakeHost();
    const st = createPlaygroundStore(scripted, { host: h.host });
    sessions.push(st.getState().session);
    return st;
  }

  it('new parameters keep the scenario’s timed actions and drop only the user’s', () => {
    const st = store();
    st.getState().runFor(500);
    st.getState().kill(1);
    expect(st.getState().exportScenario().actions).toHaveLength(2);
    st.getState().setParams({ preVote: true }, 9);
    const c = st.getState().confirm!;
    expect(c.message).toContain('discards the 1 action(s) you applied');
    expect(c.message).toContain("The scenario's 1 timed action is kept.");
    st.getState().answerConfirm(true);
    const s = st.getState();
    expect(s.scenario.params).toEqual({ preVote: true });
    expect(s.scenario.seed).toBe(9);
    expect(s.exportScenario().actions).toEqual([{ at: 1000, type: 'partition', groups: [[3]] }]);
    expect(s.userActions).toBe(0);
    // and the partition still happens at 1 s
    st.getState().runFor(1001);
    expect(st.getState().view.groups).not.toBeNull();
  });

  it('new parameters without user actions restart at once, actions kept', () => {
    const st = store();
    st.getState().setParams({}, 5);
    expect(st.getState().confirm).toBeNull();
    expect(st.getState().exportScenario().actions).toHaveLength(1);
    expect(st.getState().scenario.seed).toBe(5);
  });

  it('mirrors every session snapshot consistently, and a refused load changes nothing', () => {
    const st = store();
    const seen: number[] = [];
    st.subscribe((s) => {
      expect(s.view.events).toBe(s.position.index);
      expect(s.runIndex.end).toBe(s.position.max);
      seen.push(s.position.index);
    });
    st.getState().step();
    st.getState().runFor(200);
    const before = st.getState();
    st.getState().load({ v: 1, algorithm: 'raft', nodes: [] }, { ask: false });
    const after = st.getState();
    expect(after.toast?.text).toMatch(/^Scenario not loaded: /);
    expect(after.generation).toBe(before.generation);
    expect(after.scenario).toBe(before.scenario);
    expect(after.view).toBe(before.view);
    expect(seen.length).toBeGreaterThan(1);
  });
});
