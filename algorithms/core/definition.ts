/**
 * AlgorithmDefinition: everything the engine, the CLI, the experiments and the app need
 * to know about one algorithm, declared in one object by the algorithm's own folder (its
 * index.ts). Nothing outside that folder guesses an algorithm's behaviour from its name,
 * its state names or its message labels: it reads the definition.
 *
 * The engine's part is `AlgorithmModel` (sim/types.ts: machines, input, persistence,
 * summary, labels, timing, own invariants); the rest is for people: words, message kinds,
 * narration, inspector facts, presets and lessons.
 */
import type { z } from 'zod';
import type {
  AlgorithmModel,
  MessageBody,
  MessageKind,
  NodeId,
  NodeSummary,
  Role,
} from '../sim/types';

export type { MessageKind };
import type { TraceRecord } from '../sim/trace';
import type { Lesson } from './lesson';
import type { AlgorithmExperiments } from '../experiments/types';
import type { Preset } from './preset';

export interface MessageInfo {
  /** The kind of most messages of this type; `kindOf` may refine it per message. */
  kind: MessageKind;
  /** Every kind `kindOf` can give this type (default: just `kind`), for the legend. */
  kinds?: MessageKind[];
  /** One sentence for tooltips and the breakpoint picker. */
  text: string;
}

/** How a node's role reads on screen: the word beside it and the glyph inside it. */
export interface RoleLook {
  /** Upper-case word ("LEADER", "COORDINATOR", "STORE"). */
  text: string;
  glyph: string;
  /**
   * The colour family when it is not the role's own: `system` for the coordination
   * service a recipe runs on (a store), `service` for a service the leader acts on.
   */
  tone?: 'system' | 'service';
}

/** A role as the scrubber's role bands and the statechart colour it. */
export type RoleClass = 'leader' | 'candidate' | 'follower' | 'other';

/**
 * Who everyone should name as leader once the network has been quiet:
 * - `term`: any one node, as long as all agree and it leads (Raft: the leader of the newest term);
 * - `highest-id`: the highest id alive in the component (Bully, Ring);
 * - `lowest-revision`: the holder of the lowest create revision in the store, which the
 *   store itself names (lease election on etcd).
 */
export type LeaderRule = 'term' | 'highest-id' | 'lowest-revision';

export interface Vocabulary {
  /** "leader" or "coordinator". */
  leader: string;
  /** What the monotone number is called: "term", "epoch", "revision". */
  epoch: string;
}

/** A replicated log, for the log strips under the nodes and the inspector's log list. */
export interface ReplicatedLog {
  entries: readonly { term: number; command: number }[];
  /** Entries up to this index (from 1) are committed. */
  commit: number;
}

/** A line of the inspector's per-node facts (plain text; the app may draw richer ones). */
export interface Fact {
  label: string;
  value: string;
  /** A tooltip that explains the term. */
  hint?: string;
}

/** What the app needs to know of a node to describe it (a read-only view of the engine's). */
export interface NodeFactsInput {
  id: NodeId;
  alive: boolean;
  state: string;
  context: unknown;
  summary: NodeSummary;
}

// `any` by default: the registry holds definitions of different params types side by side,
// and each one's functions take its own params (unknown would not accept them).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface AlgorithmDefinition<P = any> extends AlgorithmModel<P> {
  title: string;
  /** A paragraph for pickers and tooltips. */
  description: string;
  /**
   * Params schema (ms in params); every field optional. Its output may leave timing
   * unset; `resolveParams` turns it into P for the network the scenario runs on.
   */
  params: z.ZodType;
  /** Params with every default filled in, for a fast network (latency 10-15 ms). */
  defaults: P;
  /** Fewest nodes the algorithm can run on. */
  minNodes?: number;
  /**
   * Param sets, beside the defaults, under which nodes run other machines (a service
   * replicated on Raft): the differential test runs each one too, so every machine the
   * definition can pick is compared with XState's own transition().
   */
  paramSets?: { name: string; params: Record<string, unknown>; minNodes: number }[];
  /**
   * Checks that need the scenario as well as the params (for example that a node the
   * params name exists); one message per problem, with the path of the field.
   */
  validate?(params: P, nodeIds: readonly NodeId[]): { path: string; message: string }[];
  /**
   * The nodes whose majority decides whether a side of a partition can make progress:
   * every node when omitted (Raft's voters, Paxos's acceptors, and the plain node count
   * for algorithms that ignore majorities), the replicas when a service runs on a Raft
   * group, the one store node when there is one. `who` names them ("store replicas").
   */
  quorum?(params: P, nodeIds: readonly NodeId[]): { members: NodeId[]; who: string };
  vocabulary: Vocabulary;
  leaderRule: LeaderRule;
  /**
   * The roles its nodes take (for the legend), in reading order; a role that reads
   * differently by state (the lease election's store and payment service) is listed once
   * per state.
   */
  roles: readonly (Role | { role: Role; state: string })[];
  /** How a role reads, when it differs from the generic words (COORDINATOR, STORE). */
  look?(summary: NodeSummary, state: string): RoleLook | undefined;
  /** Role class of a state value ("candidate", "worker.leading"), for role bands. */
  roleOf(state: string): RoleClass;
  /** How each state reads in a sentence ("a candidate", "waiting for a coordinator"). */
  stateWords: Record<string, string>;
  /** The machine's initial role, before any event (nodes boot into it). */
  initialRole: RoleClass;
  /** Every message type the algorithm sends. */
  messages: Record<string, MessageInfo>;
  /** Event types that come from timers or the user, never from the network, with a sentence each. */
  timers: Record<string, string>;
  /** The short text under a node's id: "term 3", "rev 7", "token 2"; '' for none. */
  epochText?(summary: NodeSummary, state: string): string;
  /**
   * A summary's term as a bare value, where the number alone would not read right (Paxos
   * packs round and proposer into one number: ballot 1.5); default: the number. Sentences
   * say it after the vocabulary's epoch word ("ballot 1.5").
   */
  termValue?(term: number): string;
  /**
   * What a node of this kind calls the number its summary carries as `term`, for the
   * inspector ("revision" for a store, "fencing token" for a worker); default: the
   * vocabulary's epoch word.
   */
  epochName?(state: string): string;
  /** A plain-language line for one of the algorithm's own records; null for the generic one. */
  narrate(record: TraceRecord): string | null;
  /** The node's replicated log, for algorithms that keep one (Raft). */
  log?(context: unknown): ReplicatedLog | null;
  /**
   * Messages go only to the successor in the scenario's order (a logical ring): the view
   * draws that ring stronger than the other links.
   */
  ringOrder?: boolean;
  /** Per-node facts for the inspector and the CLI (what the algorithm keeps). */
  facts?(node: NodeFactsInput): Fact[];
  /** The algorithm's own invariants (checked by `checkNode`): a title and what each promises. */
  invariants?: Record<string, { title: string; promise: string }>;
  /** Named scenarios that tell a small fault story (`npm run sim -- run <name>`). */
  presets: Preset[];
  /** Guided lessons (also presets). */
  lessons: Lesson[];
  /**
   * For the downtime experiments: how often the leader speaks (ms), so a crash can be
   * placed uniformly within one heartbeat interval.
   */
  heartbeatMs?(params: P): number;
  /** True while node's snapshot is still busy with an election (message experiments). */
  busy?(snapshot: import('xstate').AnyMachineSnapshot): boolean;
  /**
   * The experiments it takes part in beyond downtime vs network (which needs only
   * `heartbeatMs`): message counts, its own downtime CDFs, its own CLI commands.
   */
  experiments?: AlgorithmExperiments;
  /**
   * How the inspector lists a node's machine context: the fields that are parameters
   * (listed last, dimmed) and the fields that hold microseconds (times and durations,
   * shown in ms with the unit).
   */
  contextFields?: { config?: readonly string[]; micros?: readonly string[] };
  /** Hidden from pickers unless test algorithms are asked for (the echo algorithm of the tests). */
  testOnly?: boolean;
}

/** A term (epoch, ballot) as a sentence says it: "term 3", "ballot 1.5". */
export function termWords(def: AlgorithmDefinition, term: number): string {
  return `${def.vocabulary.epoch} ${def.termValue?.(term) ?? term}`;
}

/** The number a node's summary carries as its term, named as that node's kind says it. */
export function nodeEpoch(
  def: AlgorithmDefinition,
  state: string,
  term: number,
): { name: string; value: string } {
  return {
    name: def.epochName?.(state) ?? def.vocabulary.epoch,
    value: def.termValue?.(term) ?? String(term),
  };
}

/** The kind of one message, from its definition. */
export function kindOfMessage(def: AlgorithmDefinition, body: MessageBody): MessageKind {
  return def.kindOf?.(body) ?? def.messages[body.type]?.kind ?? 'other';
}

/**
 * A definition as the registry holds it: the optional parts the engine calls filled in
 * from the declared ones (a message's kind from its type's declared kind).
 */
export function complete<P>(def: AlgorithmDefinition<P>): AlgorithmDefinition<P> {
  const own = def.kindOf;
  return {
    ...def,
    kindOf: (body) => own?.(body) ?? def.messages[body.type]?.kind ?? 'other',
  };
}
