/**
 * Runs a node's XState v5 machine without an actor: the engine calls the machine's
 * pure transition for one event and collects the executable actions, which
 * world.ts interprets (delayed raise = timer, cancel, send/broadcast).
 *
 * Three paths give identical results (tests prove it on whole traces):
 * - `official`: xstate's `transition()` / `initialTransition()`, the reference;
 *   it builds a throwaway actor per call.
 * - `fast`: `machine.transition(snapshot, event, scope)` with one reused actor scope
 *   whose executor only records actions (~8x faster than official).
 * - `compiled` (the default): the machine's definition compiled once into dispatch
 *   tables and action lists (compiled/compile.ts); a machine that uses an XState
 *   feature the compiler does not support is rejected when its driver is created.
 */
import {
  initialTransition,
  transition,
  type AnyActorScope,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
} from 'xstate';
import { compileMachine, type CompiledMachine } from './compiled/compile';

export interface ExecutableAction {
  type: string;
  params?: unknown;
}

export interface MachineDriver {
  readonly path: DriverPath;
  readonly machine: AnyStateMachine;
  init(input: unknown): [AnyMachineSnapshot, readonly ExecutableAction[]];
  step(
    snapshot: AnyMachineSnapshot,
    event: EventObject,
  ): [AnyMachineSnapshot, readonly ExecutableAction[]];
}

export type DriverPath = 'compiled' | 'fast' | 'official';

export const DRIVER_PATHS: readonly DriverPath[] = ['compiled', 'fast', 'official'];

export class ModellingError extends Error {
  constructor(machine: AnyStateMachine, snapshot: AnyMachineSnapshot | undefined, detail: string) {
    const state = snapshot ? JSON.stringify(snapshot.value) : '(initial)';
    super(`modelling error in machine "${machine.id}" at state ${state}: ${detail}`);
    this.name = 'ModellingError';
  }
}

function checkStatus(machine: AnyStateMachine, snap: AnyMachineSnapshot): void {
  if (snap.status === 'error') {
    const err = snap.error instanceof Error ? snap.error.message : String(snap.error);
    throw new ModellingError(machine, snap, `the machine reported an error: ${err}`);
  }
}

function officialDriver(machine: AnyStateMachine): MachineDriver {
  return {
    path: 'official',
    machine,
    init(input) {
      const [snap, actions] = initialTransition(machine, input);
      checkStatus(machine, snap);
      return [snap, actions];
    },
    step(snapshot, event) {
      const [snap, actions] = transition(machine, snapshot, event);
      checkStatus(machine, snap);
      return [snap, actions];
    },
  };
}

const noop = () => {};

function fastDriver(machine: AnyStateMachine): MachineDriver {
  let sink: ExecutableAction[] = [];
  const self = {
    id: 'sim-node',
    sessionId: 'sim-node',
    send: () => {
      throw new ModellingError(machine, undefined, 'a machine may not send to itself through self');
    },
    getSnapshot: () => undefined,
  };
  const scope = {
    self,
    id: 'sim-node',
    sessionId: 'sim-node',
    logger: noop,
    defer: noop,
    emit: noop,
    stopChild: noop,
    system: { _sendInspectionEvent: noop, _clock: undefined, _logger: noop },
    actionExecutor: (action: ExecutableAction) => {
      sink.push(action);
    },
  } as unknown as AnyActorScope;
  return {
    path: 'fast',
    machine,
    init(input) {
      sink = [];
      const snap = machine.getInitialSnapshot(scope, input) as AnyMachineSnapshot;
      checkStatus(machine, snap);
      return [snap, sink];
    },
    step(snapshot, event) {
      sink = [];
      const snap = machine.transition(snapshot, event, scope) as AnyMachineSnapshot;
      checkStatus(machine, snap);
      return [snap, sink];
    },
  };
}

/** A machine is compiled once per process, whatever the number of simulations that run it. */
const compiledMachines = new WeakMap<AnyStateMachine, CompiledMachine>();

function compiledDriver(machine: AnyStateMachine): MachineDriver {
  let compiled = compiledMachines.get(machine);
  if (compiled === undefined) {
    compiled = compileMachine(machine);
    compiledMachines.set(machine, compiled);
  }
  return {
    path: 'compiled',
    machine,
    init: (input) => (compiled as CompiledMachine).init(input),
    step: (snapshot, event) => (compiled as CompiledMachine).step(snapshot, event),
  };
}

export function createDriver(
  machine: AnyStateMachine,
  path: DriverPath = 'compiled',
): MachineDriver {
  switch (path) {
    case 'compiled':
      return compiledDriver(machine);
    case 'fast':
      return fastDriver(machine);
    case 'official':
      return officialDriver(machine);
  }
}
