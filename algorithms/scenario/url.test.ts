import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { decodeFragment, encodeFragment, MAX_DECODED_BYTES } from './url';
import { parseScenario } from './parse';
import { scenarioArb } from '../testing/arbitraries';
import { presets } from './presets';

const checkResult = (r: ReturnType<typeof decodeFragment>) => {
  if (r.ok) expect(() => parseScenario(r.scenario)).not.toThrow();
  else {
    expect(typeof r.message).toBe('string');
    expect(r.message.length).toBeGreaterThan(10);
  }
};

describe('scenario URL codec', () => {
  it('encode then decode is the identity on valid scenarios, view options included', () => {
    fc.assert(
      fc.property(scenarioArb(), fc.nat({ max: 100_000 }), fc.boolean(), (s, event, embed) => {
        const canonical = parseScenario(s).scenario;
        const r = decodeFragment('#' + encodeFragment(canonical, { event, embed }));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.scenario).toEqual(canonical);
        expect(r.view.event ?? 0).toBe(event);
        expect(r.view.embed ?? false).toBe(embed);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on random strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string().map((s) => 'v1=' + s),
        ),
        (text) => {
          checkResult(decodeFragment(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws on truncations and character flips of valid links', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$%&=#';
    fc.assert(
      fc.property(
        scenarioArb(),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet)), { maxLength: 4 }),
        (s, cutAt, flips) => {
          const link = encodeFragment(parseScenario(s).scenario);
          const chars = link.slice(0, 3 + (cutAt % (link.length - 2))).split('');
          for (const [pos, c] of flips) chars[pos % chars.length] = c;
          checkResult(decodeFragment(chars.join('')));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws on valid payloads with mutated fields, and names the field', () => {
    const junk = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.integer()),
      fc.object(),
    );
    fc.assert(
      fc.property(
        scenarioArb(),
        fc.constantFrom('v', 'algorithm', 'seed', 'nodes', 'network', 'actions', 'params'),
        junk,
        (s, field, value) => {
          const raw = { ...parseScenario(s).scenario, [field]: value } as Record<string, unknown>;
          const r = decodeFragment(
            'v1=' + LZString.compressToEncodedURIComponent(JSON.stringify(raw)),
          );
          checkResult(r);
          if (!r.ok && r.kind === 'schema')
            expect(r.message).toMatch(new RegExp(field === 'v' ? 'v' : field));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['', 'empty', 'no scenario'],
    ['#v9=abc', 'version', 'version 9'],
    ['#hello', 'undecodable', 'version tag'],
    ['#v1=%%%%', 'undecodable', 'damaged or cut short'],
    ['#v1=' + LZString.compressToEncodedURIComponent('{"v":1,"algo'), 'json', 'not valid JSON'],
    [
      '#v1=' +
        LZString.compressToEncodedURIComponent(
          JSON.stringify({
            v: 1,
            algorithm: 'raft',
            nodes: [{ id: 1 }],
            network: { latency: { min: 1, max: 2 } },
            seed: -4,
          }),
        ),
      'schema',
      'seed',
    ],
    [
      '#v1=' + LZString.compressToEncodedURIComponent('x'.repeat(MAX_DECODED_BYTES + 1)),
      'too-large',
      'limit is 100000',
    ],
    ['#v1=abc&e=soon', 'undecodable', 'event position'],
    // a negative event says what is allowed, not only that it is not a whole number
    ['#v1=abc&e=-5', 'undecodable', 'must be a whole number of events from 0 (e=0 is the start'],
  ])('a broken link %# says what is wrong', (link, kind, text) => {
    const r = decodeFragment(link);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.kind).toBe(kind);
    expect(r.message).toContain(text);
  });

  it('a typical scenario (5 nodes with positions, 20 actions) makes a link under 600 characters', () => {
    const base = parseScenario(presets[0].scenario).scenario;
    const nodes = base.nodes.map((n, i) => ({ ...n, x: 100 + i * 37, y: 80 + i * 23 }));
    const actions = Array.from({ length: 20 }, (_, i) =>
      i % 4 === 0
        ? { at: 300 + i * 150, type: 'kill' as const, node: (i % 5) + 1 }
        : i % 4 === 1
          ? { at: 300 + i * 150, type: 'restart' as const, node: ((i - 1) % 5) + 1 }
          : i % 4 === 2
            ? { at: 300 + i * 150, type: 'cut' as const, from: 1, to: (i % 4) + 2 }
            : { at: 300 + i * 150, type: 'healAll' as const },
    );
    const link = encodeFragment({ ...base, nodes, actions }, { event: 412 });
    expect(link.length).toBeLessThan(600);
  });
});
