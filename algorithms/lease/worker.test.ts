/**
 * The worker machine on its own, fed messages in orders a network can produce, through
 * XState's pure transition functions (no simulation around it).
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { ElectionKey, LeaseMessage } from './messages';
import { workerMachine, type WorkerContext } from './worker';

const STORE = 1;
const ME = 2;

function boot(): AnyMachineSnapshot {
  const [snap] = initialTransition(workerMachine, {
    id: ME,
    store: STORE,
    stores: [STORE],
    payment: 9,
    ttl: 5_000_000,
    keepAlive: 1_666_667,
    billingPeriod: 1_000_000,
    customers: 1,
  });
  return snap;
}

function feed(snap: AnyMachineSnapshot, ...messages: LeaseMessage[]): AnyMachineSnapshot {
  for (const m of messages) [snap] = transition(workerMachine, snap, { ...m, rand: 0 });
  return snap;
}

const state = (s: AnyMachineSnapshot) => (s.value as { worker: string }).worker;
const ctx = (s: AnyMachineSnapshot) => s.context as WorkerContext;
const key = (owner: number, lease: number, createRevision: number): ElectionKey => ({
  key: `/election/${owner}-L${lease}`,
  owner,
  lease,
  createRevision,
});
const granted = (lease: number): LeaseMessage => ({
  type: 'LeaseGranted',
  from: STORE,
  lease,
  ttl: 5_000_000,
});
const result = (lease: number, createRevision: number, ok = true): LeaseMessage => ({
  type: 'CampaignResult',
  from: STORE,
  key: `/election/${ME}-L${lease}`,
  lease,
  ok,
  createRevision,
});
const watchEvent = (revision: number, keys: ElectionKey[]): LeaseMessage => ({
  type: 'WatchEvent',
  from: STORE,
  revision,
  keys,
});
const ack = (lease: number, ok: boolean, revision: number): LeaseMessage => ({
  type: 'KeepAliveAck',
  from: STORE,
  lease,
  ok,
  revision,
});

/** A worker that led with lease 1 and token 1, node 3 behind it with token 2. */
const leader = () =>
  feed(boot(), granted(1), result(1, 1), watchEvent(2, [key(ME, 1, 1), key(3, 7, 2)]));

describe('worker machine', () => {
  it('leads when the watch event lists its new key as the holder', () => {
    const s = leader();
    expect(state(s)).toBe('leading');
    expect(ctx(s)).toMatchObject({ lease: 1, token: 1, revision: 2 });
  });

  it('forgets its lease, token and keys when a keep-alive answer says the lease expired', () => {
    const s = feed(leader(), ack(1, false, 3));
    expect(state(s)).toBe('granting');
    expect(ctx(s)).toMatchObject({ lease: null, token: 0, keys: [], revision: 2 });
  });

  it('does not lead on a campaign answer while the keys it saw hold an older key of its own', () => {
    // a restarted worker sees its previous incarnation's key (lease 1, revision 1) as the
    // holder; its new key (lease 4, revision 5) is behind node 3's
    const fresh = feed(
      boot(),
      granted(4),
      watchEvent(5, [key(ME, 1, 1), key(3, 7, 2), key(ME, 4, 5)]),
    );
    const s = feed(fresh, result(4, 5));
    expect(state(s)).toBe('watching');
    expect(ctx(s).token).toBe(5);
    // nor on a watch event that still lists the old key first
    expect(state(feed(s, watchEvent(5, [key(ME, 1, 1), key(3, 7, 2), key(ME, 4, 5)])))).toBe(
      'watching',
    );
    // once the old key and node 3's are gone, it leads
    expect(state(feed(s, watchEvent(7, [key(ME, 4, 5)])))).toBe('leading');
  });

  it('ignores a late campaign answer made with an older lease', () => {
    // lease 1 lost before its campaign was answered; lease 2 granted, its campaign pending
    const s = feed(boot(), granted(1), ack(1, false, 0), granted(2));
    expect(state(s)).toBe('campaigning');
    const late = feed(s, result(1, 3));
    expect(state(late)).toBe('campaigning');
    expect(ctx(late)).toMatchObject({ lease: 2, token: 0 });
    // a refusal for the old lease does not throw away the new one either
    expect(ctx(feed(s, result(1, 0, false)))).toMatchObject({ lease: 2 });
  });

  it('ignores a watch event older than the newest one seen', () => {
    const s = feed(leader(), watchEvent(1, [key(3, 7, 2)]));
    expect(state(s)).toBe('leading');
    expect(ctx(s).revision).toBe(2);
  });

  it('asks for the keys again when a keep-alive answer shows a newer revision', () => {
    const [, actions] = transition(workerMachine, leader(), { ...ack(1, true, 4), rand: 0 });
    const sent = actions
      .filter((a) => a.type === 'send')
      .map((a) => (a.params as { message: LeaseMessage }).message.type);
    expect(sent).toEqual(['Watch']);
    const [, same] = transition(workerMachine, leader(), { ...ack(1, true, 2), rand: 0 });
    expect(same.filter((a) => a.type === 'send')).toEqual([]);
  });
});
