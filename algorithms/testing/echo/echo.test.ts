/**
 * The echo algorithm, defined only in this folder and registered with one line, goes
 * through every layer that reads definitions: the engine (both drivers), the scenario
 * schema, the CLI summary, the narration, the inspector facts and the app's view code.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSimulation, narrate, registry } from '../../index';
import { main } from '../../cli';
import { buildView } from '../../../app/store/view';
import { roleLook } from '../../../app/topology/palette';

const scenario = {
  v: 1,
  algorithm: 'echo',
  nodes: [{ id: 1 }, { id: 2 }, { id: 3 }],
  network: { latency: { min: 10, max: 10 } },
  seed: 1,
};

afterEach(() => vi.restoreAllMocks());

describe('echo through every layer', () => {
  it('the engine runs it: exact messages on a small case, the same on both drivers', () => {
    const sim = createSimulation(scenario);
    sim.runUntil(125);
    const lines = sim
      .trace()
      .filter((r) => r.kind === 'deliver' || r.kind === 'timer')
      .map((r) => `${r.t / 1000} ${r.kind} ${r.type} ${r.from ?? '-'}->${r.node}`);
    expect(lines).toEqual([
      '10 deliver PING 1->2',
      '10 deliver PING 1->3',
      '20 deliver ECHO 2->1',
      '20 deliver ECHO 3->1',
      '100 timer TICK -->1',
      '110 deliver PING 1->2',
      '110 deliver PING 1->3',
      '120 deliver ECHO 2->1',
      '120 deliver ECHO 3->1',
    ]);
    expect(sim.leader).toBe(1);
    const oracle = createSimulation(scenario, { driver: 'official' });
    oracle.runUntil(125);
    expect(oracle.traceHash()).toBe(sim.traceHash());
  });

  it('narration and the inspector facts come from its definition', () => {
    const sim = createSimulation(scenario);
    sim.runUntil(125);
    const said = sim.trace().map((r) => narrate(r, 'echo'));
    expect(said).toContain('Node 2 hears a PING from node 1 and echoes it');
    expect(said).toContain('Node 1 pings everyone again');
    const facts = registry.echo.facts!({
      id: 1,
      alive: true,
      state: 'leading',
      context: sim.node(1).context,
      summary: sim.summaryOf(1),
    });
    expect(facts).toEqual([expect.objectContaining({ label: 'heard', value: '4' })]);
  });

  it('the CLI runs a scenario file of it and prints its summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'echo-'));
    const file = join(dir, 'echo.json');
    writeFileSync(file, JSON.stringify(scenario));
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(console, 'log').mockImplementation((...a) => void (out += a.join(' ') + '\n'));
    const code = await main(['run', file, '--until', '500', '--json']);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const s = JSON.parse(out);
    expect(s).toMatchObject({ algorithm: 'echo', nodes: 3, timeMs: 500, violations: [] });
    expect(s.leaders).toEqual([{ timeMs: 0, node: 1 }]);
    // 5 rounds of 2 PINGs and 2 ECHOes
    expect(s.messages.delivered).toBe(20);
  });

  it("the app's view code draws its roles from the definition", () => {
    const sim = createSimulation(scenario);
    sim.runUntil(50);
    const view = buildView(sim, new Map());
    expect(view.leader).toBe(1);
    const looks = view.nodes.map((n) => roleLook(n, registry.echo).text);
    expect(looks[0]).toMatch(/LEADER/);
    expect(looks.slice(1).every((t) => /FOLLOWER/.test(t))).toBe(true);
  });
});
