/**
 * Plays a lesson headless and pins each caption to its moment: the event index at which
 * its predicate first holds (after the previous caption's), its text as computed from the
 * run there, and whether each of its claims holds in exactly that state. The Lessons
 * panel travels to these event indices; the tests check every claim of every caption.
 */
import { createSimulation, type Simulation } from '../../index';
import type { Caption, Claim, Lesson, LessonProbe, ProbeNode } from '../../core/lesson';
import type { TraceRecord } from '../../sim/trace';
import type { NodeId } from '../../sim/types';

export interface ClaimResult {
  /** The claim in words ("node 5 is the leader"). */
  text: string;
  holds: boolean;
  /** What the run showed instead, when it does not hold. */
  actual: string;
  claim: Claim;
}

export interface LessonStep {
  /** Events processed when the caption is shown (the view stands here). */
  index: number;
  timeMs: number;
  text: string;
  claims: ClaimResult[];
}

export interface PlayedLesson {
  steps: LessonStep[];
  /** The event index at which the story ends (every event up to `until`). */
  endIndex: number;
  /** Captions whose moment never came before the end (a broken lesson). */
  unreached: string[];
}

/** The run right after the last processed event, as captions see it. */
export function probeOf(
  sim: Simulation,
  record: TraceRecord | null,
  marks: readonly Readonly<Record<string, number>>[] = [],
): LessonProbe {
  const cache = new Map<NodeId, ProbeNode>();
  const node = (id: NodeId): ProbeNode => {
    let n = cache.get(id);
    if (!n) {
      const v = sim.node(id);
      n = { ...v, role: v.alive ? v.role : 'idle' };
      cache.set(id, n);
    }
    return n;
  };
  return {
    index: sim.index,
    timeMs: sim.lastEventTime / 1000,
    record,
    leader: sim.leader,
    node,
    get nodes() {
      return sim.scenario.nodes.map((n) => node(n.id));
    },
    get inFlight() {
      return sim.state().inFlight.map((m) => ({ type: m.body.type, from: m.from, to: m.to }));
    },
    sentByType: sim.counters().sentByType,
    marks,
    violations: sim.violations(),
  };
}

function votesOf(n: ProbeNode): number | null {
  const c = n.context as { votes?: unknown } | undefined;
  return c && Array.isArray(c.votes) ? c.votes.length : null;
}

/** Whether `claim` holds at `p`, with the claim in words and what was seen instead. */
export function checkClaim(claim: Claim, p: LessonProbe): ClaimResult {
  switch (claim.kind) {
    case 'role': {
      const n = p.node(claim.node);
      const role = n.alive ? n.role : 'dead';
      return {
        claim,
        text: `node ${claim.node} is ${claim.role}`,
        holds: role === claim.role,
        actual: `node ${claim.node} is ${role}`,
      };
    }
    case 'leader':
      return {
        claim,
        text: claim.node === null ? 'nobody leads' : `node ${claim.node} leads`,
        holds: p.leader === claim.node,
        actual: p.leader === null ? 'nobody leads' : `node ${p.leader} leads`,
      };
    case 'term': {
      const t = p.node(claim.node).term;
      return {
        claim,
        text: `node ${claim.node} is in term ${claim.term}`,
        holds: t === claim.term,
        actual: `node ${claim.node} is in term ${t}`,
      };
    }
    case 'votes': {
      const v = votesOf(p.node(claim.node));
      return {
        claim,
        text: `node ${claim.node} holds ${claim.count} votes`,
        holds: v === claim.count,
        actual: `node ${claim.node} holds ${v ?? 'no'} votes`,
      };
    }
    case 'fact': {
      const holds = claim.holds(p);
      return { claim, text: claim.text, holds, actual: holds ? claim.text : `not: ${claim.text}` };
    }
  }
}

function textOf(c: Caption, p: LessonProbe): string {
  return typeof c.text === 'function' ? c.text(p) : c.text;
}

function stepOf(c: Caption, p: LessonProbe): LessonStep {
  return {
    index: p.index,
    timeMs: p.timeMs,
    text: textOf(c, p),
    claims: (c.claims ?? []).map((claim) => checkClaim(claim, p)),
  };
}

/** Runs the lesson to its end and pins every caption to the event of its moment. */
export function playLesson(lesson: Lesson): PlayedLesson {
  const sim = createSimulation(lesson.scenario);
  const until = Math.round(lesson.until * 1000);
  const captions = lesson.captions;
  const steps: LessonStep[] = [];
  const marks: Record<string, number>[] = [];
  const take = (c: Caption, p: LessonProbe) => {
    steps.push(stepOf(c, p));
    marks.push({ ...sim.counters().sentByType });
  };
  let k = 0;
  const first = captions[0];
  if (first && !first.when) {
    take(first, probeOf(sim, null, marks));
    k = 1;
  }
  for (;;) {
    if (k < captions.length) {
      // a moment may already hold at the start (before any event)
      const c = captions[k];
      const p = probeOf(sim, null, marks);
      if (steps.length === 0 && c.when?.(p)) {
        take(c, p);
        k++;
        continue;
      }
    }
    const next = sim.nextEventTime();
    if (next === undefined || next > until) break;
    const rec = sim.step();
    if (!rec) break;
    if (k >= captions.length) continue;
    const p = probeOf(sim, rec, marks);
    if (captions[k].when?.(p)) {
      take(captions[k], p);
      k++;
    }
  }
  return {
    steps,
    endIndex: sim.index,
    unreached: captions.slice(k).map((c) => (typeof c.text === 'string' ? c.text : '(computed)')),
  };
}

const played = new Map<string, PlayedLesson>();

/** playLesson, once per lesson (a lesson's run never changes). */
export function playedLesson(lesson: Lesson): PlayedLesson {
  let p = played.get(lesson.name);
  if (!p) played.set(lesson.name, (p = playLesson(lesson)));
  return p;
}

/** The caption in force at event index `index`, or -1 before the first. */
export function stepAtIndex(p: PlayedLesson, index: number): number {
  let found = -1;
  for (let k = 0; k < p.steps.length; k++) if (p.steps[k].index <= index) found = k;
  return found;
}
