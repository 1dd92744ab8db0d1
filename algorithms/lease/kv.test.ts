import { describe, expect, it } from 'vitest';
import {
  emptyKv,
  endLease,
  grantLease,
  leaseIds,
  ownsLease,
  putIfAbsent,
  range,
  watch,
  watchersOf,
} from './kv';

describe('key-value store', () => {
  it('creates a key once per lease, at a new revision, and a retry returns the same revision', () => {
    let st = emptyKv();
    const a = grantLease(st, 2, 5000);
    const b = grantLease(a.state, 3, 5000);
    st = b.state;
    expect([a.lease, b.lease]).toEqual([1, 2]);
    const p = putIfAbsent(st, '/e/2', 2, a.lease);
    expect(p).toMatchObject({ ok: true, created: true, createRevision: 1 });
    st = p.state;
    expect(putIfAbsent(st, '/e/2', 2, a.lease)).toMatchObject({
      ok: true,
      created: false,
      createRevision: 1,
      state: st,
    });
    // the key is taken by another lease; a lease that is not the sender's is refused
    expect(putIfAbsent(st, '/e/2', 3, b.lease)).toMatchObject({ ok: false, createRevision: 1 });
    expect(putIfAbsent(st, '/e/3', 3, a.lease)).toMatchObject({ ok: false, createRevision: 0 });
    expect(ownsLease(st, a.lease, 3)).toBe(false);
    st = putIfAbsent(st, '/e/3', 3, b.lease).state;
    expect(st.revision).toBe(2);
    expect(range(st, '/e/').map((k) => k.createRevision)).toEqual([1, 2]);
  });

  it('ending a lease deletes its keys in one revision; ending it again changes nothing', () => {
    let st = emptyKv();
    const g = grantLease(st, 2, 5000);
    st = putIfAbsent(g.state, '/e/2', 2, g.lease).state;
    st = putIfAbsent(st, '/f/2', 2, g.lease).state;
    const before = st;
    const e = endLease(st, g.lease);
    expect(e.deleted).toEqual(['/e/2', '/f/2']);
    expect(e.state.revision).toBe(3);
    expect(e.state.keys).toEqual([]);
    expect(leaseIds(e.state)).toEqual([]);
    expect(endLease(e.state, g.lease).state).toBe(e.state);
    // pure: the input is untouched
    expect(before.keys).toHaveLength(2);
    // a lease without keys ends without a new revision
    const bare = grantLease(emptyKv(), 4, 5000);
    expect(endLease(bare.state, bare.lease).state.revision).toBe(0);
  });

  it('tells only the watchers whose prefix covers a changed key, each once', () => {
    let st = watch(emptyKv(), 2, '/e/');
    st = watch(st, 3, '/f/');
    expect(watch(st, 2, '/e/')).toBe(st);
    expect(watchersOf(st, ['/e/7']).map((w) => w.node)).toEqual([2]);
    expect(watchersOf(st, ['/e/7', '/f/1']).map((w) => w.node)).toEqual([2, 3]);
    expect(watchersOf(st, ['/g/1'])).toEqual([]);
  });
});
