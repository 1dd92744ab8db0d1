import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './parse';
import { presets } from './presets';
import { createSimulation } from '../index';

const valid = {
  v: 1,
  algorithm: 'raft',
  nodes: [{ id: 1 }, { id: 2 }, { id: 3 }],
  network: { latency: { min: 10, max: 15 } },
  seed: 1,
};

function errorOf(input: unknown): ScenarioError {
  try {
    parseScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario v1 validation', () => {
  it('fills defaults: params, loss, fifo, actions', () => {
    const { scenario, params } = parseScenario(valid);
    expect(scenario).toMatchObject({ params: {}, actions: [], network: { loss: 0, fifo: false } });
    expect(params).toEqual({
      electionTimeout: { min: 150, max: 300 },
      preVote: false,
      checkQuorum: false,
    });
  });

  it.each([
    [{ ...valid, v: 2 }, 'v', 'expected 1'],
    [{ ...valid, algorithm: 'zab' }, 'algorithm', 'raft'],
    [{ ...valid, nodes: [] }, 'nodes', '>=1'],
    [{ ...valid, nodes: Array.from({ length: 65 }, (_, i) => ({ id: i + 1 })) }, 'nodes', '<=64'],
    [{ ...valid, nodes: [{ id: 1 }, { id: 1 }] }, 'nodes[1].id', 'duplicate node id 1'],
    [{ ...valid, nodes: [{ id: 0 }] }, 'nodes[0].id', '>=1'],
    [
      { ...valid, network: { latency: { min: 20, max: 10 } } },
      'network.latency',
      'min must not exceed max',
    ],
    [{ ...valid, network: { latency: { min: 1, max: 2 }, loss: 1.5 } }, 'network.loss', '<=1'],
    [{ ...valid, seed: 2 ** 32 }, 'seed', '<=4294967295'],
    [
      { ...valid, actions: [{ at: 5, type: 'kill', node: 9 }] },
      'actions[0].node',
      'unknown node id 9',
    ],
    [{ ...valid, actions: [{ at: -1, type: 'kill', node: 1 }] }, 'actions[0].at', '>=0'],
    [
      { ...valid, actions: [{ at: 1, type: 'explode', node: 1 }] },
      'actions[0].type',
      'expected an action type: one of kill',
    ],
    [
      { ...valid, actions: Array.from({ length: 10_001 }, () => ({ at: 1, type: 'healAll' })) },
      'actions',
      '<=10000',
    ],
    [
      { ...valid, params: { electionTimeout: { min: 300, max: 150 } } },
      'params.electionTimeout',
      'min must not exceed max',
    ],
    [{ ...valid, params: { heartbeat: 'fast' } }, 'params.heartbeat', 'expected number'],
    [{ ...valid, params: { turbo: true } }, 'params', 'turbo'],
    [{ ...valid, nodes: [{ id: 1, x: Number.POSITIVE_INFINITY }] }, 'nodes[0].x', 'number'],
  ])('rejects a bad field, naming it: case %#', (input, path, text) => {
    const err = errorOf(input);
    const issue = err.issues.find((i) => i.path === path);
    expect(issue, `issues: ${err.message}`).toBeDefined();
    expect(err.message).toContain(text);
  });

  it('accepts every preset, and presets replay deterministically', () => {
    for (const p of presets) {
      const a = createSimulation(p.scenario);
      const b = createSimulation(p.scenario);
      a.runUntil(6000);
      b.runUntil(6000);
      expect(a.traceHash()).toBe(b.traceHash());
      expect(a.summary().leaders.length).toBeGreaterThan(0);
    }
  });
});
