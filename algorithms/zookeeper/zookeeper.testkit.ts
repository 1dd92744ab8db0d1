/**
 * Test support for the ZooKeeper election (not part of the shipped API): scenarios and
 * reads of the nodes' contexts.
 */
import type { ScenarioInput } from '../scenario/schema';
import { leaseScenario, type LeaseScenarioOptions } from '../lease/lease.testkit';
import { internals, type Simulation } from '../sim/simulation';
import type { NodeId } from '../sim/types';
import type { ServiceContext } from './service';
import type { WorkerContext } from './worker';
import type { ZkState } from './zk';

/** Node 1 is the service, the last node the payment service, the others workers (6 nodes by default). */
export function zkScenario(o: LeaseScenarioOptions = {}): ScenarioInput {
  return { ...leaseScenario({ nodes: 6, params: {}, ...o }), algorithm: 'zookeeper' };
}

export function nodeOf(sim: Simulation, id: NodeId) {
  return internals(sim).world.nodes[internals(sim).rt.index.get(id) as number];
}

export function contextOf<T>(sim: Simulation, id: NodeId): T {
  return nodeOf(sim, id).snapshot.context as T;
}

/** The service's state (node 1 unless given). */
export function zkOf(sim: Simulation, service: NodeId = 1): ZkState {
  return contextOf<ServiceContext>(sim, service).zk;
}

/** The alive workers in the leading state. */
export function leading(sim: Simulation): NodeId[] {
  return internals(sim)
    .world.nodes.filter(
      (n) => n.alive && (n.snapshot.value as { worker?: string }).worker === 'leading',
    )
    .map((n) => n.id);
}

export const workerOf = (sim: Simulation, id: NodeId) => contextOf<WorkerContext>(sim, id);
