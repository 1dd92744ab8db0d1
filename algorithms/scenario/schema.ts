/**
 * Scenario format, version 1: the contract for URLs, files, presets and the CLI
 * (docs/architecture.md, "Scenario format"). Per-algorithm params are validated by the
 * algorithm's own schema from its definition; here they are only an object.
 */
import { z } from 'zod';
import { algorithmNames } from '../registry';
import type { Action as EngineAction, SimScenario } from '../sim/actions';

export const MAX_NODES = 64;
export const MAX_ACTIONS = 10_000;
/** One simulated day is far beyond any demo or experiment and keeps µs in safe integers. */
export const MAX_TIME_MS = 86_400_000;

const nodeId = z.number().int().min(1).max(999);
const timeMs = z.number().finite().min(0).max(MAX_TIME_MS);
const latencyMs = z.number().finite().min(0).max(60_000);
const probability = z.number().finite().min(0).max(1);

export const latencyRange = z
  .object({ min: latencyMs, max: latencyMs })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

const nodeSchema = z.object({
  id: nodeId,
  label: z.string().max(40).optional(),
  x: z.number().finite().min(-10_000).max(10_000).optional(),
  y: z.number().finite().min(-10_000).max(10_000).optional(),
});

const linkSchema = z.object({
  from: nodeId,
  to: nodeId,
  latency: latencyRange.optional(),
  loss: probability.optional(),
});

export const networkSchema = z.object({
  latency: latencyRange,
  loss: probability.default(0),
  fifo: z.boolean().default(false),
  duplicate: probability.optional(),
  /**
   * ms: every timer fires up to this much late (uniform), as real schedulers do. Without
   * it, candidates with equal timeouts can stay in lockstep forever.
   */
  timerJitter: z.number().finite().min(0).max(1000).optional(),
  links: z.array(linkSchema).max(4096).optional(),
});

const nodeAction = z.object({
  at: timeMs,
  type: z.enum(['kill', 'restart', 'pause', 'resume', 'timeout']),
  node: nodeId,
});
const linkAction = z.object({
  at: timeMs,
  type: z.enum(['cut', 'heal']),
  from: nodeId,
  to: nodeId,
  oneWay: z.boolean().optional(),
});
const partitionAction = z.object({
  at: timeMs,
  type: z.literal('partition'),
  groups: z.array(z.array(nodeId).max(MAX_NODES)).min(1).max(MAX_NODES),
});
const healAllAction = z.object({ at: timeMs, type: z.literal('healAll') });
const setLatencyAction = z
  .object({
    at: timeMs,
    type: z.literal('setLatency'),
    min: latencyMs,
    max: latencyMs,
    from: nodeId.optional(),
    to: nodeId.optional(),
  })
  .refine((a) => a.min <= a.max, { message: 'min must not exceed max' })
  .refine((a) => (a.from === undefined) === (a.to === undefined), {
    message: 'give both from and to, or neither',
  });
const setLossAction = z
  .object({
    at: timeMs,
    type: z.literal('setLoss'),
    loss: probability,
    from: nodeId.optional(),
    to: nodeId.optional(),
  })
  .refine((a) => (a.from === undefined) === (a.to === undefined), {
    message: 'give both from and to, or neither',
  });

/**
 * Manual delivery (step-through debugging): instead of the earliest event, deliver or
 * drop a chosen message in flight now, or fire a chosen timer now. Message ids are
 * assigned deterministically, so the same choices replay exactly.
 */
const messageChoice = z.object({
  at: timeMs,
  type: z.enum(['deliver', 'drop']),
  msg: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
const timerChoice = z.object({
  at: timeMs,
  type: z.literal('fire'),
  node: nodeId,
  timer: z.string().min(1).max(200),
});

/** Clock drift: the node's timers run `rate` times as fast as true time (0.1 to 10). */
const clockAction = z.object({
  at: timeMs,
  type: z.literal('clock'),
  node: nodeId,
  rate: z.number().finite().min(0.1).max(10),
});

/** A client request to the leader (or to `node`): Raft appends `command` to its log. */
const requestAction = z.object({
  at: timeMs,
  type: z.literal('request'),
  command: z.number().int().min(0).max(1_000_000_000),
  node: nodeId.optional(),
});

export const ACTION_TYPES = [
  'kill',
  'restart',
  'pause',
  'resume',
  'timeout',
  'cut',
  'heal',
  'partition',
  'healAll',
  'setLatency',
  'setLoss',
  'deliver',
  'drop',
  'fire',
  'clock',
  'request',
] as const;

export const actionSchema = z.discriminatedUnion(
  'type',
  [
    nodeAction,
    linkAction,
    partitionAction,
    healAllAction,
    setLatencyAction,
    setLossAction,
    messageChoice,
    timerChoice,
    clockAction,
    requestAction,
  ],
  { error: `expected an action type: one of ${ACTION_TYPES.join(', ')}` },
);

/** The registered algorithms' names, in registry order. */
export const ALGORITHMS = algorithmNames() as [string, ...string[]];

export const scenarioSchema = z
  .object({
    v: z.literal(1),
    algorithm: z.enum(ALGORITHMS),
    params: z.record(z.string(), z.unknown()).default({}),
    nodes: z.array(nodeSchema).min(1).max(MAX_NODES),
    network: networkSchema,
    seed: z.number().int().min(0).max(0xffffffff),
    actions: z.array(actionSchema).max(MAX_ACTIONS).default([]),
  })
  .superRefine((s, ctx) => {
    const ids = new Set<number>();
    s.nodes.forEach((n, i) => {
      if (ids.has(n.id))
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', i, 'id'],
          message: `duplicate node id ${n.id}`,
        });
      ids.add(n.id);
    });
    const known = (id: number | undefined, path: (string | number)[]) => {
      if (id !== undefined && !ids.has(id))
        ctx.addIssue({ code: 'custom', path, message: `unknown node id ${id}` });
    };
    s.network.links?.forEach((l, i) => {
      known(l.from, ['network', 'links', i, 'from']);
      known(l.to, ['network', 'links', i, 'to']);
    });
    s.actions.forEach((a, i) => {
      if ('node' in a) known(a.node, ['actions', i, 'node']);
      if ('from' in a) known(a.from, ['actions', i, 'from']);
      if ('to' in a) known(a.to, ['actions', i, 'to']);
      if (a.type === 'partition')
        a.groups.forEach((g, gi) =>
          g.forEach((id, k) => known(id, ['actions', i, 'groups', gi, k])),
        );
    });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action['type'];
export type NetworkConfig = z.infer<typeof networkSchema>;

// The engine declares what it runs (sim/actions.ts); what this schema validates must be
// exactly that, both ways, or this stops compiling.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameActions: Same<Action, EngineAction> = true;
const sameScenario: Same<Scenario, SimScenario> = true;
void sameActions;
void sameScenario;
