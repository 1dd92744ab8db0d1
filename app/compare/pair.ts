/**
 * Two simulation sessions (left and right) behind one transport: the same nodes, network,
 * seed and fault story, two algorithms (or one with two settings).
 *
 * They are kept in step by SIMULATED TIME, not by event index: the two runs have
 * different numbers of events, so "event 40" means different moments on each side, while
 * "1.2 s" means the same moment of the same fault story. The pair owns one clock `t`
 * (µs); every move (play, pause, step, seek, End) sets `t` and each side stands at `t`:
 * every event due at or before `t` processed, none after. Step forward goes to the time
 * of the next event of either side (both sides process everything due then); step back
 * to the time of the latest explored event of either side before `t`.
 *
 * A fault is applied to both sessions at `t`, so it is recorded in both scenarios and a
 * share link (which carries one list of actions) replays it on both.
 */
import {
  browserHost,
  type SessionHost,
  type SimulationSession,
  type UntimedAction,
} from '../session/session';

export interface PairSnapshot {
  /** The shared simulated clock, µs. */
  t: number;
  playing: boolean;
  speed: number;
  /** The end of what either side has explored, µs (the scrubber's span). */
  end: number;
}

/** Real time a frame may advance the clock by at most (a background tab). */
const MAX_FRAME_MS = 100;

export class ComparePair {
  private t = 0;
  private playing = false;
  private speed: number;
  private raf = 0;
  private lastFrame: number | null = null;
  private snap: PairSnapshot;
  private readonly listeners = new Set<(s: PairSnapshot) => void>();
  private readonly host: SessionHost;

  constructor(
    readonly left: SimulationSession,
    readonly right: SimulationSession,
    opts: { host?: SessionHost; speed?: number; t?: number } = {},
  ) {
    this.host = opts.host ?? browserHost();
    this.speed = opts.speed ?? left.snapshot().speed;
    left.pause();
    right.pause();
    this.t = opts.t ?? left.snapshot().now;
    this.align(false);
    this.snap = this.compose();
  }

  snapshot(): PairSnapshot {
    return this.snap;
  }

  subscribe(fn: (s: PairSnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The shared clock, µs. */
  time(): number {
    return this.t;
  }

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.lastFrame = null;
    if (this.host.requestFrame) this.raf = this.host.requestFrame((ts) => this.frame(ts));
    this.publish();
  }

  pause(): void {
    if (this.raf) this.host.cancelFrame(this.raf);
    this.raf = 0;
    if (!this.playing) return;
    this.playing = false;
    this.publish();
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.left.setSpeed(speed);
    this.right.setSpeed(speed);
    this.publish();
  }

  /** One animation frame at real time `ts` (ms): the shared clock advances by elapsed x speed. */
  frame(ts: number): void {
    this.raf = 0;
    if (!this.playing) return;
    const dt = this.lastFrame === null ? 16 : Math.min(ts - this.lastFrame, MAX_FRAME_MS);
    this.lastFrame = ts;
    this.t += Math.floor(dt * 1000 * this.speed);
    this.align(true);
    this.publish();
    if (this.playing && this.host.requestFrame)
      this.raf = this.host.requestFrame((x) => this.frame(x));
  }

  /** Both sides at shared time `t` (µs), pausing first. */
  seekTime(t: number): void {
    this.pause();
    this.t = Math.max(0, Math.floor(t));
    this.align(false);
    this.publish();
  }

  /** Runs both sides `ms` of simulated time further. */
  runFor(ms: number): void {
    this.seekTime(this.t + Math.round(ms * 1000));
  }

  /** To the time of the next event of either side; false when neither has one. */
  step(): boolean {
    const a = this.left.nextEventTime();
    const b = this.right.nextEventTime();
    if (a === undefined && b === undefined) {
      this.pause();
      return false;
    }
    this.seekTime(Math.min(a ?? Number.POSITIVE_INFINITY, b ?? Number.POSITIVE_INFINITY));
    return true;
  }

  /** To the time of the latest explored event of either side before the clock; false at 0. */
  stepBack(): boolean {
    const a = this.left.eventTimeBefore(this.t);
    const b = this.right.eventTimeBefore(this.t);
    if (a === null && b === null) {
      if (this.t === 0) return false;
      this.seekTime(0);
      return true;
    }
    this.seekTime(Math.max(a ?? 0, b ?? 0));
    return true;
  }

  /** To the end of what either side has explored. */
  toEnd(): void {
    this.seekTime(Math.max(this.t, this.endTime()));
  }

  /** Applies a fault to both sides at the shared clock: recorded in both scenarios. */
  apply(action: UntimedAction): void {
    this.align(false);
    this.left.apply(action);
    this.right.apply(action);
    this.publish();
  }

  /** Stops the clock for good (leaving compare mode). */
  dispose(): void {
    this.pause();
    this.listeners.clear();
  }

  private endTime(): number {
    return Math.max(this.left.exploredEndTime(), this.right.exploredEndTime());
  }

  private align(live: boolean): void {
    this.left.moveToTime(this.t, { live });
    this.right.moveToTime(this.t, { live });
  }

  private compose(): PairSnapshot {
    const end = Math.max(this.endTime(), this.t);
    const p = this.snap as PairSnapshot | undefined;
    if (
      p &&
      p.t === this.t &&
      p.playing === this.playing &&
      p.speed === this.speed &&
      p.end === end
    )
      return p;
    return { t: this.t, playing: this.playing, speed: this.speed, end };
  }

  private publish(): void {
    const next = this.compose();
    if (next === this.snap) return;
    this.snap = next;
    for (const fn of [...this.listeners]) fn(next);
  }
}
