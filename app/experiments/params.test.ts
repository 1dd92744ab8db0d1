import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import {
  compactExperimentParams,
  decodeExperimentParams,
  defaultExperimentParams,
  experimentParams,
  experiments,
} from './params';
import { experimentLinkPart, experimentValue, openExperimentFromFragment } from './link';

describe('experiment parameters in links', () => {
  it('round-trips through the link part, and only non-defaults are written', () => {
    const p = defaultExperimentParams();
    p.tab = 'downtime';
    p.downtime = { ...p.downtime, axis: 'latency', values: [5, 25], trials: 7 };
    expect(compactExperimentParams(p)).toEqual({
      tab: 'downtime',
      downtime: { axis: 'latency', values: [5, 25], trials: 7 },
    });
    experiments.getState().setParams(p, true);
    const part = experimentLinkPart();
    expect(part).toMatch(/^&exp=/);
    experiments.getState().setParams(defaultExperimentParams(), false);
    expect(experimentLinkPart()).toBe('');
    expect(openExperimentFromFragment(`#v1=abc&e=4${part}`)).toEqual([]);
    expect(experiments.getState().open).toBe(true);
    expect(experimentParams()).toEqual(p);
  });

  it('keeps the good fields of a bad link and says what it dropped; never throws', () => {
    const { params, problems } = decodeExperimentParams({
      tab: 'messages',
      messages: { trials: -3, ns: [4, 12], metric: 'election', extra: 1 },
      fig16: 'nonsense',
    });
    expect(params.tab).toBe('messages');
    expect(params.messages.ns).toEqual([4, 12]);
    expect(params.messages.metric).toBe('election');
    expect(params.messages.trials).toBe(defaultExperimentParams().messages.trials);
    expect(params.cdf.fig16).toEqual(defaultExperimentParams().cdf.fig16);
    expect(problems.join(' | ')).toMatch(/messages\.trials/);
    expect(problems.join(' | ')).toMatch(/fig16: not an object/);

    expect(decodeExperimentParams(null).problems).toEqual(['not an object']);
    expect(decodeExperimentParams({ tab: 'nope' }).problems[0]).toMatch(/unknown experiment/);
    expect(
      decodeExperimentParams({ fig16: { lines: [[300, 150]] } }).params.cdf.fig16.lines,
    ).toEqual(defaultExperimentParams().cdf.fig16.lines);
    for (const junk of ['exp=', 'exp=%%%', `exp=${'A'.repeat(5000)}`, 'exp=N4Ig'])
      expect(() => openExperimentFromFragment(junk)).not.toThrow();
    expect(openExperimentFromFragment('#v1=abc&e=4')).toBeNull();
    const notJson = LZString.compressToEncodedURIComponent('{not json');
    expect(openExperimentFromFragment(`exp=${notJson}`)?.[0]).toMatch(/damaged/);
    expect(experimentValue('#v1=x&exp=abc&t=1')).toBe('abc');
  });

  it('links written before the experiments came from the definitions still open as they did', () => {
    // the tabs, series ids and algorithm names old links carry
    const old = {
      tab: 'fig16',
      fig16: {
        lines: [
          [150, 155],
          [12, 24],
        ],
        trials: 50,
        seed: 3,
      },
      messages: { series: ['bully-random', 'cr-one', 'ci-all'], ns: [4, 8], trials: 5 },
      downtime: { algorithms: ['raft', 'ring'], axis: 'latency', values: [5, 20] },
    };
    const { params, problems } = decodeExperimentParams(old);
    expect(problems).toEqual([]);
    expect(params.tab).toBe('fig16');
    expect(params.cdf.fig16).toEqual({
      lines: [
        [150, 155],
        [12, 24],
      ],
      trials: 50,
      seed: 3,
    });
    expect(params.messages.series).toEqual(['bully-random', 'cr-one', 'ci-all']);
    expect(params.downtime.algorithms).toEqual(['raft', 'ring']);
    for (const tab of ['fig16', 'messages', 'downtime'])
      expect(decodeExperimentParams({ tab }).params.tab).toBe(tab);
    // and a link written now has the same shape as before: the CDF tab's params under its id
    const p = defaultExperimentParams();
    p.cdf.fig16 = { ...p.cdf.fig16, trials: 7 };
    expect(compactExperimentParams(p)).toEqual({ tab: 'fig16', fig16: { trials: 7 } });
    // the defaults: every declared line of Figure 16 once, the series that are not optional,
    // every algorithm that says how often its leader speaks
    expect(p.cdf.fig16.lines).toHaveLength(10);
    expect(p.messages.series).toEqual([
      'bully-lowest',
      'bully-random',
      'bully-highest',
      'cr-all',
      'cr-one',
    ]);
    expect(p.downtime.algorithms).toEqual(['raft', 'bully', 'ring']);
    // an algorithm that is not offered is refused
    expect(decodeExperimentParams({ downtime: { algorithms: ['lease'] } }).problems[0]).toMatch(
      /downtime\.algorithms/,
    );
  });
});
