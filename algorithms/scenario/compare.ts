/**
 * Compare mode's pure half: two runs of one fault story (the same nodes, network, seed
 * and actions) with a second algorithm or second settings, kept in step by simulated
 * time.
 *
 * - The link part: a normal scenario link plus `&compare=<lz JSON {algorithm, params}>`
 *   (the right side's algorithm and params; everything else is the left scenario's) and
 *   `&ct=<µs>` (the shared clock). A broken part is reported in words, like a broken link.
 * - Compare lessons: a pair of scenarios and captions whose moments and claims look at
 *   both runs at the same simulated time; `playCompareLesson` pins them, and the tests
 *   check every claim against the run it names.
 */
import LZString from 'lz-string';
import { createSimulation } from '../index';
import type { Simulation } from '../sim/simulation';
import type { TraceRecord } from '../sim/trace';
import type { Claim, LessonProbe } from '../core/lesson';
import { checkClaim, probeOf, type ClaimResult } from './lessons/play';
import { parseScenario, ScenarioError } from './parse';
import type { Scenario, ScenarioInput } from './schema';

/** What the right side changes: its algorithm and its params. */
export interface CompareSecond {
  algorithm: string;
  params: Record<string, unknown>;
}

export type Side = 'left' | 'right';

/** The right side's scenario: the left one with the second algorithm and params (validated). */
export function rightScenario(left: ScenarioInput, second: CompareSecond): Scenario {
  return parseScenario({ ...left, algorithm: second.algorithm, params: second.params }).scenario;
}

/** `compare=<lz>` (and `&ct=<µs>` when the clock is past 0), to append to a link. */
export function encodeComparePart(second: CompareSecond, timeUs?: number): string {
  const body = JSON.stringify({ algorithm: second.algorithm, params: second.params });
  let out = `compare=${LZString.compressToEncodedURIComponent(body)}`;
  if (timeUs !== undefined && timeUs > 0) out += `&ct=${Math.floor(timeUs)}`;
  return out;
}

export type CompareDecoded =
  | { ok: true; second: CompareSecond; right: Scenario; timeUs: number }
  | { ok: false; message: string };

/**
 * The compare part of a fragment, checked against the left scenario; null when the
 * fragment has none. Never throws.
 */
export function decodeComparePart(fragment: string, left: ScenarioInput): CompareDecoded | null {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  let raw: string | null = null;
  let ct: string | null = null;
  for (const part of text.split('&').slice(1)) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    if (k === 'compare') raw = v;
    else if (k === 'ct') ct = v;
  }
  if (raw === null) return null;
  const bad = (why: string): CompareDecoded => ({
    ok: false,
    message: `the compare part of the link ${why}`,
  });
  let json: string | null;
  try {
    json = raw === '' ? null : LZString.decompressFromEncodedURIComponent(raw);
  } catch {
    json = null;
  }
  if (!json) return bad('is damaged or cut short and cannot be decompressed');
  if (json.length > 10_000) return bad(`is ${json.length} bytes long; the limit is 10000`);
  let obj: unknown;
  try {
    obj = JSON.parse(json);
  } catch {
    return bad('is damaged (it is not valid JSON)');
  }
  const o = obj as { algorithm?: unknown; params?: unknown } | null;
  if (!o || typeof o !== 'object' || typeof o.algorithm !== 'string')
    return bad('does not name a second algorithm');
  const params = o.params ?? {};
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    return bad('has params that are not an object');
  if (ct !== null && !/^\d{1,15}$/.test(ct))
    return bad(`has a clock "ct=${ct}" that is not a whole number of microseconds`);
  const second: CompareSecond = {
    algorithm: o.algorithm,
    params: params as Record<string, unknown>,
  };
  try {
    return { ok: true, second, right: rightScenario(left, second), timeUs: Number(ct ?? 0) };
  } catch (e) {
    if (e instanceof ScenarioError) return bad(`is invalid: ${e.message}`);
    return bad(`could not be read (${(e as Error)?.message ?? String(e)})`);
  }
}

// ---- compare lessons -------------------------------------------------------------------

/** A claim about one side's run at the caption's moment, or about both runs at once. */
export type SideClaim =
  | { side: Side; claim: Claim }
  | {
      side: 'both';
      text: string;
      holds: (left: LessonProbe, right: LessonProbe) => boolean;
    };

export interface SideClaimResult {
  side: Side | 'both';
  text: string;
  holds: boolean;
  actual: string;
}

/** Whether `c` holds when the left run shows `l` and the right one `r`. */
export function checkSideClaim(c: SideClaim, l: LessonProbe, r: LessonProbe): SideClaimResult {
  if (c.side === 'both') {
    const holds = c.holds(l, r);
    return { side: 'both', text: c.text, holds, actual: holds ? c.text : `not: ${c.text}` };
  }
  const res: ClaimResult = checkClaim(c.claim, c.side === 'left' ? l : r);
  return { side: c.side, text: res.text, holds: res.holds, actual: res.actual };
}

export interface CompareCaption {
  /**
   * The caption's moment: the first simulated time, after the previous caption's, at
   * which this holds of both runs (each standing at that time). The first caption's
   * moment is time 0 when absent.
   */
  when?: (left: LessonProbe, right: LessonProbe) => boolean;
  text: string | ((left: LessonProbe, right: LessonProbe) => string);
  claims?: SideClaim[];
}

export interface CompareLesson {
  name: string;
  title: string;
  summary: string;
  /** The left run; the right one is the same with `second`'s algorithm and params. */
  scenario: ScenarioInput;
  second: CompareSecond;
  captions: CompareCaption[];
  /** Where the story ends (ms). */
  until: number;
}

export interface CompareStep {
  /** The shared clock when the caption is shown, µs. */
  timeUs: number;
  text: string;
  claims: SideClaimResult[];
}

export interface PlayedCompareLesson {
  steps: CompareStep[];
  /** Captions whose moment never came before the end (a broken lesson). */
  unreached: string[];
}

/**
 * Plays both runs in step (to each next event time of either side, everything due then
 * processed on both) and pins every caption to the first such time at which it holds.
 */
export function playCompareLesson(lesson: CompareLesson): PlayedCompareLesson {
  const sims: Record<Side, Simulation> = {
    left: createSimulation(lesson.scenario),
    right: createSimulation(rightScenario(lesson.scenario, lesson.second)),
  };
  const marks: Record<Side, Record<string, number>[]> = { left: [], right: [] };
  const last: Record<Side, TraceRecord | null> = { left: null, right: null };
  const probes = () =>
    [
      probeOf(sims.left, last.left, marks.left),
      probeOf(sims.right, last.right, marks.right),
    ] as const;
  const until = Math.round(lesson.until * 1000);
  const steps: CompareStep[] = [];
  const take = (c: CompareCaption, l: LessonProbe, r: LessonProbe, t: number) => {
    steps.push({
      timeUs: t,
      text: typeof c.text === 'function' ? c.text(l, r) : c.text,
      claims: (c.claims ?? []).map((claim) => checkSideClaim(claim, l, r)),
    });
    marks.left.push({ ...sims.left.counters().sentByType });
    marks.right.push({ ...sims.right.counters().sentByType });
  };
  const captions = lesson.captions;
  let k = 0;
  let t = 0;
  for (;;) {
    // one caption per moment: the next one's moment comes strictly later
    if (k < captions.length) {
      const c = captions[k];
      const [l, r] = probes();
      if ((k === 0 && !c.when) || c.when?.(l, r)) {
        take(c, l, r, t);
        k++;
      }
    }
    if (k >= captions.length) break;
    const a = sims.left.nextEventTime();
    const b = sims.right.nextEventTime();
    const next = Math.min(a ?? Number.POSITIVE_INFINITY, b ?? Number.POSITIVE_INFINITY);
    if (next > until) break;
    t = next;
    for (const side of ['left', 'right'] as const) {
      const sim = sims[side];
      const before = sim.index;
      sim.runUntilTime(t);
      last[side] = sim.index > before ? (sim.record(sim.index - 1) ?? null) : null;
    }
  }
  return {
    steps,
    unreached: captions.slice(k).map((c) => (typeof c.text === 'string' ? c.text : '(computed)')),
  };
}

const played = new Map<string, PlayedCompareLesson>();

/** playCompareLesson, once per lesson (a lesson's runs never change). */
export function playedCompareLesson(lesson: CompareLesson): PlayedCompareLesson {
  let p = played.get(lesson.name);
  if (!p) played.set(lesson.name, (p = playCompareLesson(lesson)));
  return p;
}
