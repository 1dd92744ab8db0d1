/**
 * Unit tests for the app side of sharing: scenario files decode like links and never
 * throw, the extra link options parse, the trace CSV is well formed, and lesson steps
 * follow simulated time.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeScenarioText, traceCsv } from './files';
import { parseExtras } from './link';
import { lessons, stepAt } from '../lessons/lessonStore';
import { encodeFragment, playedLesson } from '../../algorithms/index';
import { parseScenario, type TraceRecord } from '../../algorithms/index';

const scenario = parseScenario({
  v: 1,
  algorithm: 'raft',
  nodes: [{ id: 1 }, { id: 2, label: 'a, "quoted" label' }, { id: 3 }],
  network: { latency: { min: 10, max: 20 } },
  seed: 7,
  actions: [{ at: 100, type: 'kill', node: 1 }],
}).scenario;

describe('decodeScenarioText', () => {
  it('reads a scenario file, a pasted link and a bare fragment', () => {
    const json = JSON.stringify(scenario);
    const a = decodeScenarioText(json);
    expect(a.ok && a.scenario).toEqual(scenario);
    const frag = encodeFragment(scenario, { event: 3 });
    const b = decodeScenarioText(`http://example.org/#${frag}`);
    expect(b.ok && b.view.event).toBe(3);
    const c = decodeScenarioText(frag);
    expect(c.ok && c.scenario).toEqual(scenario);
  });

  it('says what is wrong, with the field path', () => {
    const bad = decodeScenarioText(JSON.stringify({ ...scenario, seed: -1 }));
    expect(bad).toMatchObject({ ok: false, kind: 'schema' });
    expect(!bad.ok && bad.message).toMatch(/^the scenario in the file is invalid: seed/);
    expect(decodeScenarioText('{"v":1,')).toMatchObject({ ok: false, kind: 'json' });
    expect(decodeScenarioText('   ')).toMatchObject({ ok: false, kind: 'empty' });
    expect(decodeScenarioText('x'.repeat(2_000_001))).toMatchObject({
      ok: false,
      kind: 'too-large',
    });
  });

  it('never throws on arbitrary text or damaged files', () => {
    const json = JSON.stringify(scenario);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.nat({ max: json.length }).map((n) => json.slice(0, n)),
          fc
            .tuple(fc.nat({ max: json.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }))
            .map(([i, ch]) => json.slice(0, i) + ch + json.slice(i + 1)),
        ),
        (text) => {
          const d = decodeScenarioText(text);
          expect(typeof d.ok).toBe('boolean');
          if (!d.ok) expect(d.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseExtras', () => {
  it('reads the lesson and the clock, ignores the rest', () => {
    const name = lessons[0].name;
    expect(parseExtras(`#v1=abc&e=4&lesson=${name}&t=1234567&zzz=1`)).toEqual({
      lesson: name,
      t: 1234567,
    });
    expect(parseExtras('v1=abc&lesson=nope&t=-3&lesson=%E0%A4%A')).toEqual({});
  });
});

describe('traceCsv', () => {
  it('quotes fields with commas and quotes and has one row per record', () => {
    const recs: TraceRecord[] = [
      { i: 0, t: 1500, kind: 'timer', node: 1, type: 'TIMEOUT', label: 'a, "b"' },
      { i: 1, t: 2000, kind: 'drop', node: 2, from: 1, msg: 3, type: 'X', reason: 'cut' },
    ];
    const lines = traceCsv(recs).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('0,1500,1.5,timer,1,,,TIMEOUT,"a, ""b""",,,,,,,');
    expect(lines[2].startsWith('1,2000,2,drop,2,1,3,X,,cut')).toBe(true);
  });
});

describe('stepAt', () => {
  it('follows the event index through every lesson', () => {
    for (const l of lessons) {
      const played = playedLesson(l);
      played.steps.forEach((s, k) => {
        // two captions may share an event; the later one is in force there
        const last = played.steps.findLastIndex((x) => x.index === s.index);
        expect(stepAt(l, s.index)).toBe(last);
        if (k > 0 && s.index > played.steps[k - 1].index)
          expect(stepAt(l, s.index - 1)).toBe(k - 1);
      });
      expect(stepAt(l, played.endIndex)).toBe(l.captions.length);
    }
  });
});
