/**
 * A guided lesson: a scenario (with a fixed seed, so every run tells the same story) and
 * captions, each tied to a moment of the run by a predicate ("the first event at which
 * node 5 leads"), never to a fixed time. A caption may carry claims (roles, votes, the
 * leader, counts) that the tests check against the exact state the view shows when the
 * caption is on screen; counts quoted in a caption are computed from the run.
 *
 * The Lessons panel steps through the captions with Next / Back (exact time travel to
 * each caption's event); each lesson is also a preset for `npm run sim -- run <name>`.
 */
import type { ScenarioInput } from '../scenario/schema';
import type { TraceRecord } from '../sim/trace';
import type { NodeId, NodeSummary } from '../sim/types';

/** One node as a caption's moment and claims see it, right after an event. */
export interface ProbeNode extends NodeSummary {
  id: NodeId;
  alive: boolean;
  paused: boolean;
  /** The machine's state ("candidate", "worker.leading"), "dead" when down. */
  state: string;
  context: unknown;
}

/** The run right after one event: what the view shows at that moment. */
export interface LessonProbe {
  /** Events processed so far (the view stands here). */
  readonly index: number;
  /** Simulated time of the last event, ms. */
  readonly timeMs: number;
  /** The event just processed (null before the first). */
  readonly record: TraceRecord | null;
  /** The cluster's leader as the status line shows it. */
  readonly leader: NodeId | null;
  node(id: NodeId): ProbeNode;
  readonly nodes: readonly ProbeNode[];
  /** Messages in flight (sent, not yet delivered or dropped). */
  readonly inFlight: readonly { type: string; from: NodeId; to: NodeId }[];
  /** Messages sent so far, by type. */
  readonly sentByType: Readonly<Record<string, number>>;
  /** Messages sent by type at the moment of each earlier caption, in order (for counts since then). */
  readonly marks: readonly Readonly<Record<string, number>>[];
  /** Invariant violations and warnings recorded so far. */
  readonly violations: readonly { invariant: string; nodes: readonly NodeId[] }[];
}

/** A fact a caption states about its moment, checked by the tests. */
export type Claim =
  /** Node `node` has this role (a summary role, or dead). */
  | { kind: 'role'; node: NodeId; role: NodeSummary['role'] | 'dead' }
  /** The cluster's leader (null: none), as the status line shows it. */
  | { kind: 'leader'; node: NodeId | null }
  /** Node `node` is in `term` (or epoch, revision). */
  | { kind: 'term'; node: NodeId; term: number }
  /** Candidate `node` holds `count` votes, its own included (as its vote counter shows). */
  | { kind: 'votes'; node: NodeId; count: number }
  /** Anything else: a sentence and a test of it. */
  | { kind: 'fact'; text: string; holds: (p: LessonProbe) => boolean };

export interface Caption {
  /**
   * The caption's moment: the first event, after the previous caption's moment, at which
   * this holds. The first caption's moment is the start of the run when `when` is absent.
   */
  when?: (p: LessonProbe) => boolean;
  /** The text; a function when it quotes something computed from the run. */
  text: string | ((p: LessonProbe) => string);
  /** What the caption says about its moment, checked against the state the view shows. */
  claims?: Claim[];
}

export interface Lesson {
  name: string;
  title: string;
  algorithm: string;
  summary: string;
  scenario: ScenarioInput;
  captions: Caption[];
  /** Where the story ends (ms). */
  until: number;
}

// ---- moments that read like the story ------------------------------------------------

/** The scenario action (a fault) at `timeMs` has just been applied. */
export const actionAt =
  (timeMs: number) =>
  (p: LessonProbe): boolean =>
    p.record?.kind === 'fault' && p.record.t === Math.round(timeMs * 1000);

/** Node `id` has just taken `role` (the event that made it so). */
export const becomes =
  (id: NodeId, role: NodeSummary['role']) =>
  (p: LessonProbe): boolean =>
    p.record?.node === id && p.node(id).role === role;

/** Every id in `ids` now has `role`. */
export const allAre =
  (ids: readonly NodeId[], role: NodeSummary['role']) =>
  (p: LessonProbe): boolean =>
    ids.every((id) => p.node(id).alive && p.node(id).role === role);

/** Claims that each id in `ids` has `role`. */
export const roles = (ids: readonly NodeId[], role: NodeSummary['role'] | 'dead'): Claim[] =>
  ids.map((node) => ({ kind: 'role', node, role }));
