import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  poolGeneration,
  runTasks,
  setWorkerAllowance,
  terminateWorkers,
  withWorkers,
  type Task,
} from './pool';

/** A stand-in Worker: the pool only creates, listens to and terminates it in these tests. */
class FakeWorker {
  static made = 0;
  static all: FakeWorker[] = [];
  terminated = false;
  /** The methods called on this worker through comlink, in order. */
  calls: string[] = [];
  constructor() {
    FakeWorker.made++;
    FakeWorker.all.push(this);
  }
  addEventListener() {}
  removeEventListener() {}
  postMessage(m: { type?: string; path?: string[] }) {
    if (m?.type === 'APPLY' && m.path) this.calls.push(m.path.join('.'));
  }
  start() {}
  terminate() {
    this.terminated = true;
  }
}

beforeAll(() => {
  (globalThis as unknown as { Worker: unknown }).Worker = FakeWorker;
});

afterEach(() => {
  setWorkerAllowance(() => Infinity);
  terminateWorkers();
});

const tick = () => new Promise((r) => setTimeout(r, 5));

/**
 * Tasks that record which worker (the api object handed to them) ran them and how many
 * were in flight on it at once; each finishes when the test releases it.
 */
function tracked(n: number) {
  const log: { task: number; api: object }[] = [];
  const inFlight = new Map<object, number>();
  let maxInFlight = 0;
  const waiting: (() => void)[] = [];
  const results: number[] = new Array(n);
  const tasks: Task<number>[] = Array.from({ length: n }, (_, i) => ({
    trials: 1,
    run: (api) =>
      new Promise<number[]>((resolve) => {
        log.push({ task: i, api });
        const k = (inFlight.get(api) ?? 0) + 1;
        inFlight.set(api, k);
        maxInFlight = Math.max(maxInFlight, k);
        waiting.push(() => {
          inFlight.set(api, inFlight.get(api)! - 1);
          resolve([i * 10]);
        });
      }),
    done: (rs) => (results[i] = rs[0]),
  }));
  const releaseAll = async () => {
    while (waiting.length > 0) {
      waiting.splice(0).forEach((f) => f());
      await tick();
    }
  };
  const releaseOnce = async () => {
    waiting.splice(0).forEach((f) => f());
    await tick();
  };
  return { tasks, log, results, releaseAll, releaseOnce, maxInFlight: () => maxInFlight };
}

describe('the trial worker pool', () => {
  it('stops a calibration under way in every started worker when a run starts', async () => {
    // a calibration holds both workers (it answers when the run has stopped it)
    void withWorkers(2, () => new Promise(() => {}));
    await tick();
    const started = FakeWorker.all.filter((w) => !w.terminated);
    expect(started.length).toBe(2);
    expect(started.every((w) => !w.calls.includes('stopCalibration'))).toBe(true);
    const t = tracked(2);
    void runTasks(t.tasks, 2, () => {});
    await tick();
    expect(started.map((w) => w.calls.includes('stopCalibration'))).toEqual([true, true]);
    await t.releaseAll();
  });

  it('keeps two chunks in flight per worker and lands every result by task', async () => {
    const t = tracked(9);
    const run = runTasks(t.tasks, 2, () => {});
    await tick();
    // both workers hold two chunks each before any result is back
    expect(t.log.length).toBe(4);
    expect(new Set(t.log.map((l) => l.api)).size).toBe(2);
    expect(t.maxInFlight()).toBe(2);
    await t.releaseAll();
    expect(await run.promise).toMatchObject({ status: 'done' });
    expect(t.results).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(t.maxInFlight()).toBe(2);
  });

  it('starts new chunks only on the workers the allowance leaves, and on all once it lifts', async () => {
    let allowed = 1;
    setWorkerAllowance(() => allowed);
    const t = tracked(12);
    const made = FakeWorker.made;
    const run = runTasks(t.tasks, 2, () => {});
    await tick();
    expect(t.log.length).toBe(2);
    // the worker that may not take chunks is not even started
    expect(FakeWorker.made - made).toBe(1);
    expect(new Set(t.log.map((l) => l.api)).size).toBe(1);
    // while only one worker may take chunks, the other one gets none
    for (let i = 0; i < 2; i++) await t.releaseOnce();
    expect(t.log.length).toBe(6);
    expect(new Set(t.log.map((l) => l.api)).size).toBe(1);
    allowed = Infinity;
    // the second worker polls the allowance and joins in
    await new Promise((r) => setTimeout(r, 250));
    expect(new Set(t.log.map((l) => l.api)).size).toBe(2);
    await t.releaseAll();
    expect(await run.promise).toMatchObject({ status: 'done' });
    expect(t.results.every((r, i) => r === i * 10)).toBe(true);
  });

  it('reports the workers taking chunks and, when done, the ones that ran any', async () => {
    let allowed = 1;
    setWorkerAllowance(() => allowed);
    const seen: { workers: number; working: number }[] = [];
    const t = tracked(6);
    const run = runTasks(t.tasks, 2, (p) => seen.push({ workers: p.workers, working: p.working }));
    await t.releaseAll();
    // the allowance held all through: one worker ran everything, and the run says so
    expect(await run.promise).toMatchObject({ status: 'done', workersUsed: 1 });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p) => p.workers === 2 && p.working === 1)).toBe(true);
    allowed = Infinity;
    const t2 = tracked(6);
    const seen2: number[] = [];
    const run2 = runTasks(t2.tasks, 2, (p) => seen2.push(p.working));
    await t2.releaseAll();
    expect(await run2.promise).toMatchObject({ status: 'done', workersUsed: 2 });
    expect(seen2.every((w) => w === 2)).toBe(true);
  });

  it('a run on fewer workers leaves the others alive (and warm) for the next run', async () => {
    const t1 = tracked(4);
    const made = FakeWorker.made;
    const gen = poolGeneration();
    const r1 = runTasks(t1.tasks, 2, () => {});
    await t1.releaseAll();
    await r1.promise;
    const t2 = tracked(4);
    const r2 = runTasks(t2.tasks, 1, () => {});
    await t2.releaseAll();
    await r2.promise;
    expect(new Set(t2.log.map((l) => l.api)).size).toBe(1);
    const t3 = tracked(4);
    const r3 = runTasks(t3.tasks, 2, () => {});
    await t3.releaseAll();
    await r3.promise;
    // the second run did not end the second worker: the third one found it
    expect(FakeWorker.made - made).toBe(2);
    expect(new Set([...t1.log, ...t3.log].map((l) => l.api)).size).toBe(2);
    expect(poolGeneration()).toBe(gen);
    terminateWorkers();
    expect(poolGeneration()).toBe(gen + 1);
  });
});
