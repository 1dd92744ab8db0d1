/**
 * Turns unknown input (a file, a URL payload, a preset) into a validated scenario plus
 * its algorithm's resolved params, or a ScenarioError whose message names the path of
 * each wrong field and what was expected.
 */
import { z } from 'zod';
import { registry } from '../registry';
import { scenarioSchema, type NetworkConfig, type Scenario } from './schema';
import type { NetworkTiming } from '../sim/types';

export class ScenarioError extends Error {
  readonly issues: { path: string; message: string }[];
  constructor(issues: { path: string; message: string }[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function issuesOf(err: z.ZodError, prefix: PropertyKey[] = []) {
  return err.issues.map((i) => ({ path: pathOf([...prefix, ...i.path]), message: i.message }));
}

export interface ParsedScenario {
  scenario: Scenario;
  params: unknown;
}

export function parseScenario(input: unknown): ParsedScenario {
  const r = scenarioSchema.safeParse(input);
  if (!r.success) throw new ScenarioError(issuesOf(r.error));
  const entry = registry[r.data.algorithm];
  if (!entry)
    throw new ScenarioError([
      {
        path: 'algorithm',
        message: `"${r.data.algorithm}" is not available yet (available: ${Object.keys(registry).join(', ')})`,
      },
    ]);
  const p = entry.params.safeParse(r.data.params);
  if (!p.success) throw new ScenarioError(issuesOf(p.error, ['params']));
  if (entry.minNodes !== undefined && r.data.nodes.length < entry.minNodes)
    throw new ScenarioError([
      {
        path: 'nodes',
        message: `${entry.title} needs at least ${entry.minNodes} nodes, got ${r.data.nodes.length}`,
      },
    ]);
  const invalid =
    entry.validate?.(
      p.data,
      r.data.nodes.map((n) => n.id),
    ) ?? [];
  if (invalid.length > 0) throw new ScenarioError(invalid);
  const timing = networkTiming(r.data.network);
  const params = entry.resolveParams ? entry.resolveParams(p.data, timing) : p.data;
  return { scenario: r.data, params };
}

/** The network as timing defaults see it: the widest latency range any link can have. */
export function networkTiming(network: NetworkConfig): NetworkTiming {
  let min = network.latency.min;
  let max = network.latency.max;
  for (const l of network.links ?? [])
    if (l.latency) {
      min = Math.min(min, l.latency.min);
      max = Math.max(max, l.latency.max);
    }
  return { latency: { min, max }, loss: network.loss, duplicate: network.duplicate ?? 0 };
}
