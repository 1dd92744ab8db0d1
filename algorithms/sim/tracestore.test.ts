import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import { findPreset, presetNames } from '../scenario/presets';
import {
  HASH_SEED,
  hashHex,
  hashRecord,
  hashString,
  type EventKind,
  type TraceRecord,
} from './trace';
import { TraceStore } from './tracestore';
import type { MessageKind } from './types';

const KINDS: EventKind[] = ['deliver', 'drop', 'timer', 'fault', 'hold'];
const MKS: MessageKind[] = [
  'request',
  'granted',
  'refused',
  'heartbeat',
  'announcement',
  'ack',
  'other',
];

/** Integers of every size a column meets: small, at the column limits, beyond 32 bits, negative. */
const anyInt = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.constantFrom(0, 0xfffc, 0xfffd, 0xfffe, 0xffff, 253, 254, 255, 0xfffffffd, 0xfffffffe),
  fc.constantFrom(0xffffffff, 2 ** 40, Number.MAX_SAFE_INTEGER),
  fc.integer({ min: -1000, max: -1 }),
  fc.integer(),
);
/** Odd values too: fractions, -0 is not kept apart from 0 by the columns, so it is left out. */
const anyNumber = fc.oneof(
  { weight: 6, arbitrary: anyInt },
  {
    weight: 1,
    arbitrary: fc
      .double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 })
      .filter((x) => !Object.is(x, -0)),
  },
);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const optNull = <T>(a: fc.Arbitrary<T>) => fc.oneof(fc.constant(undefined), fc.constant(null), a);
const text = fc.oneof(
  fc.constantFrom('RequestVote', 'Heartbeat t3', 'leader', 'candidate', 'dead', 'loss', ''),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Every field of a record, each with its own chance of being unused. */
const fields = fc.record({
  dt: fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(0xffffffff, 0x100000000, 2 ** 45) },
  ),
  kind: fc.constantFrom(...KINDS),
  node: anyNumber,
  from: opt(anyNumber),
  msg: opt(anyNumber),
  type: text,
  reason: opt(text),
  before: opt(text),
  after: opt(text),
  sent: opt(anyNumber),
  label: opt(text),
  mk: opt(fc.constantFrom(...MKS)),
  note: opt(text),
  term: opt(anyNumber),
  votedFor: optNull(anyNumber),
  leader: optNull(anyNumber),
});

type Fields = typeof fields extends fc.Arbitrary<infer F> ? F : never;

/** Records with consecutive indexes and times that never go back. */
function toRecords(fs: Fields[], t0: number): TraceRecord[] {
  let t = t0;
  return fs.map(({ dt, ...f }, i) => {
    t += dt;
    return { i, t, ...f };
  });
}

/** A record as decoding gives it back: every field present, undefined when unused. */
function full(r: TraceRecord): TraceRecord {
  return {
    i: r.i,
    t: r.t,
    kind: r.kind,
    node: r.node,
    from: r.from,
    msg: r.msg,
    type: r.type,
    reason: r.reason,
    before: r.before,
    after: r.after,
    sent: r.sent,
    label: r.label,
    mk: r.mk,
    note: r.note,
    term: r.term,
    votedFor: r.votedFor,
    leader: r.leader,
  };
}

describe('compact trace: encode / decode', () => {
  it('gives back every field of every record, across chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fields, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 16 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 40 })),
        (fs, chunk, t0) => {
          const recs = toRecords(fs, t0);
          const store = new TraceStore(chunk);
          for (const r of recs) store.put(r);
          expect(store.length).toBe(recs.length);
          // one record decoded into again and again, as a scan does: each time every field
          const out = {} as TraceRecord;
          for (const r of recs) {
            expect(store.at(r.i)).toStrictEqual(full(r));
            expect(store.time(r.i)).toBe(r.t);
            expect(store.into(r.i, out)).toBe(true);
            expect(out).toStrictEqual(full(r));
          }
          expect(store.into(recs.length, out)).toBe(false);
          expect(out).toStrictEqual(full(recs[recs.length - 1]));
          expect(store.at(recs.length)).toBeUndefined();
          expect(store.at(-1)).toBeUndefined();
          expect(Number.isNaN(store.time(recs.length))).toBe(true);
          expect(store.toArray()).toStrictEqual(recs.map(full));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('overwrites a slot in place and truncates, like an array indexed by event', () => {
    fc.assert(
      fc.property(
        fc.array(fields, { minLength: 2, maxLength: 40 }),
        fc.array(fields, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        (a, b, chunk, cutSeed) => {
          const first = toRecords(a, 1000);
          const store = new TraceStore(chunk);
          for (const r of first) store.put(r);
          const cut = cutSeed % first.length;
          store.truncate(cut);
          expect(store.length).toBe(cut);
          expect(store.at(cut)).toBeUndefined();
          // the new future starts at the cut, later than what was before it
          const tail = toRecords(b, first[first.length - 1].t).map((r) => ({ ...r, i: r.i + cut }));
          for (const r of tail) store.put(r);
          const expected = [...first.slice(0, cut), ...tail].map(full);
          expect(store.toArray()).toStrictEqual(expected);
          // replaying rewrites the same records over themselves
          for (const r of tail.slice(0, 5)) store.put(r);
          expect(store.toArray()).toStrictEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a slot rewritten with 70,000 different labels compacts its string table and still reads back', () => {
    // stepping back and acting again rewrites the same records: each new label takes an id
    // in the chunk's 16-bit string table until it is rebuilt from the strings still in use
    const store = new TraceStore(4);
    const rec = (i: number, j: number): TraceRecord => ({
      i,
      t: 0,
      kind: 'deliver',
      node: 1,
      type: 'AppendEntries',
      before: 'leader',
      label: `L${j}`,
      note: 'kept',
    });
    // a first version of the record whose strings take other ids than after the rebuild
    const other = { ...rec(0, 0), type: 'T', reason: 'R', before: 'B', after: 'A' };
    store.put(other);
    expect(store.at(0)).toStrictEqual(full(other));
    for (let j = 0; j < 70_000; j++) store.put(rec(0, j));
    store.put(rec(1, 1));
    expect(store.at(0)).toStrictEqual(full(rec(0, 69_999)));
    expect(store.at(1)).toStrictEqual(full(rec(1, 1)));
  });

  it('drops records from the front and keeps the rest readable', () => {
    fc.assert(
      fc.property(
        fc.array(fields, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        (fs, chunk, dropSeed) => {
          const recs = toRecords(fs, 0);
          const store = new TraceStore(chunk);
          for (const r of recs) store.put(r);
          const start = dropSeed % (recs.length + 1);
          store.dropBefore(start);
          expect(store.start).toBe(start);
          for (const r of recs)
            if (r.i < start) expect(store.at(r.i)).toBeUndefined();
            else expect(store.at(r.i)).toStrictEqual(full(r));
          expect(() => store.put({ ...recs[0], i: start - 1 })).toThrow(
            start > 0 ? /out of order/ : /./,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a record that would leave a hole', () => {
    const store = new TraceStore();
    expect(() => store.put({ i: 1, t: 0, kind: 'timer', node: 1, type: 'x' })).toThrow(
      /out of order/,
    );
  });

  it('the running hash folds every record by its documented fields, whatever came before', () => {
    // the formula written out again, with no shortcut: FNV-1a words with an xor-shift
    const mix = (h: number, v: number) => {
      h = Math.imul(h ^ v, 0x01000193);
      return h ^ (h >>> 15);
    };
    const str = (s: string | undefined) => (s === undefined ? 0 : hashString(s));
    const reference = (h: number, r: TraceRecord) => {
      for (const v of [r.i, r.t % 0x100000000, Math.floor(r.t / 0x100000000), str(r.kind)])
        h = mix(h, v);
      for (const v of [r.node, r.from ?? 0, r.msg ?? 0, str(r.type), str(r.reason), str(r.after)])
        h = mix(h, v);
      for (const v of [r.sent ?? 0, r.term ?? 0]) h = mix(h, v);
      return h >>> 0;
    };
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 40 }), (fs) => {
        // records repeating their strings, and changing them, in any order
        const recs = toRecords(fs, 0);
        let h = HASH_SEED;
        let ref = HASH_SEED;
        for (const r of [...recs, ...recs.slice().reverse()]) {
          h = hashRecord(h, r);
          ref = reference(ref, r);
          expect(h).toBe(ref);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every preset: the decoded records hash to the trace hash, at about 32 bytes an event', () => {
    for (const name of presetNames()) {
      const sim = createSimulation(findPreset(name)!.scenario);
      sim.runUntil(5000);
      let h = HASH_SEED;
      for (const r of sim.records()) h = hashRecord(h, r);
      expect(hashHex(h), name).toBe(sim.traceHash());
      expect(sim.traceLength).toBe(sim.index);
    }
    const big = createSimulation(
      findPreset(presetNames().find((n) => n.startsWith('raft'))!)!.scenario,
    );
    while (big.index < 20_000 && big.step());
    expect(big.traceBytes / big.index).toBeLessThan(40);
  });
});
