/**
 * The algorithms: each folder exports one AlgorithmDefinition from its index.ts, and this
 * list is the only place that names them. Everything else (the scenario schema, the CLI,
 * the app's pickers and views) reads the definitions.
 */
import { complete, type AlgorithmDefinition } from './core/definition';
import { raft } from './raft';
import { bully } from './bully';
import { ring } from './ring';
import { lease } from './lease';
import { paxos } from './paxos';
import { zookeeper } from './zookeeper';
import { echo } from './testing/echo';

export const algorithms: readonly AlgorithmDefinition[] = (
  [raft, bully, ring, lease, paxos, zookeeper, echo] as AlgorithmDefinition[]
).map(complete);

/** Name -> definition. */
export const registry: Readonly<Record<string, AlgorithmDefinition>> = Object.fromEntries(
  algorithms.map((a) => [a.name, a]),
);

export function algorithmNames(): string[] {
  return algorithms.map((a) => a.name);
}

export type { AlgorithmDefinition };
