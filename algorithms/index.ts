/** The public API of the simulation, shared by the app, the CLI, workers and tests. */
import { parseScenario } from './scenario/parse';
import { registry } from './registry';
import { Simulation, type SimulationOptions } from './sim/simulation';

export { Simulation } from './sim/simulation';
export type {
  NodeView,
  MessageView,
  SimState,
  RunSummary,
  SimulationOptions,
  SeekOptions,
  ExploredRun,
} from './sim/simulation';
export type { TraceRecord, EventKind } from './sim/trace';
export type { NodeId, Role, NodeSummary, Message, DropReason, NetworkTiming } from './sim/types';
export type { TraceView } from './sim/tracestore';
export { SeekError, HISTORY_WINDOW } from './sim/history';
export type { Scenario, ScenarioInput, Action } from './scenario/schema';
export { ScenarioError, parseScenario } from './scenario/parse';
export { registry, algorithmNames, algorithms } from './registry';
export type {
  AlgorithmDefinition,
  MessageKind,
  RoleClass,
  RoleLook,
  Fact,
  LeaderRule,
  ReplicatedLog,
} from './core/definition';
export { kindOfMessage, nodeEpoch, termWords } from './core/definition';
export * as faults from './sim/faults';
export { ms, toMs, fmt } from './sim/time';

/**
 * Validates `input` once and returns a maker of simulations of it that differ only in
 * their seed: experiments run thousands of trials of one scenario, and validating it
 * for each one would cost more than a short trial.
 */
export function simulationFactory(
  input: unknown,
  opts: SimulationOptions = {},
): (seed: number) => Simulation {
  const { scenario, params } = parseScenario(input);
  const model = registry[scenario.algorithm];
  return (seed) => new Simulation({ ...scenario, seed: seed >>> 0 }, model, params, opts);
}

/** Validates `input` (throws ScenarioError naming the bad field) and builds a simulation. */
export function createSimulation(input: unknown, opts: SimulationOptions = {}): Simulation {
  const { scenario, params } = parseScenario(input);
  return new Simulation(scenario, registry[scenario.algorithm], params, opts);
}

// ---- what the app and its workers use besides the simulation itself ----
export { narrate } from './narration';
export {
  compact,
  decodeFragment,
  encodeFragment,
  MAX_DECODED_BYTES,
  type Decoded,
  type DecodeErrorKind,
} from './scenario/url';
export {
  findLesson,
  lessons,
  playedLesson,
  stepAtIndex,
  type Lesson,
  type Caption,
  type PlayedLesson,
  type LessonStep,
} from './scenario/lessons';
export {
  decodeComparePart,
  encodeComparePart,
  playedCompareLesson,
  rightScenario,
  type CompareDecoded,
  type CompareLesson,
  type CompareSecond,
  type CompareStep,
  type PlayedCompareLesson,
  type Side,
} from './scenario/compare';
export { compareLessons, findCompareLesson } from './scenario/compareLessons';
export { checkAgreement, type AgreementReport } from './invariants/agreement';
export type { Violation } from './sim/world';
export * from './experiments';
