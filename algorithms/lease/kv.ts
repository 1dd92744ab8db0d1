/**
 * An etcd-like key-value store as plain data and pure functions, with no machine and no
 * timers, so that any coordination-service recipe (this lease election, a ZooKeeper-like
 * service with sessions and ephemeral nodes) can run on it:
 *
 * - a **revision** counter that grows by one on every change of the keys, and never goes
 *   back (it is durable: a restarted store keeps it);
 * - **leases** with a time to live, owned by a client; a lease's keys live as long as it;
 * - **put-if-absent** of a key bound to a lease (etcd's `Txn(CreateRevision(key) == 0)`),
 *   which records the revision that created the key;
 * - **prefix watches**: who is told when a key under a prefix appears or disappears.
 *
 * Every function returns a new state (the input is never mutated) and says which keys it
 * changed; the caller turns that into messages (watch events) and timers (lease expiry).
 * The whole state is what survives a restart: a caller re-arms every lease's expiry with
 * its full TTL when it recovers, as etcd does.
 */
import type { NodeId } from '../sim/types';

export interface Lease {
  owner: NodeId;
  /** Time to live, µs: the lease dies this long after its last keep-alive. */
  ttl: number;
}

export interface KvEntry {
  key: string;
  /** The client that created the key. */
  owner: NodeId;
  /** The lease the key is bound to: it is deleted when the lease ends. */
  lease: number;
  /** The store revision that created the key. */
  createRevision: number;
}

export interface Watcher {
  node: NodeId;
  prefix: string;
}

export interface KvState {
  revision: number;
  nextLease: number;
  /** lease id -> lease */
  leases: Record<number, Lease>;
  keys: KvEntry[];
  watchers: Watcher[];
}

export function emptyKv(): KvState {
  return { revision: 0, nextLease: 1, leases: {}, keys: [], watchers: [] };
}

/** The keys under `prefix`, in creation order. */
export function range(st: KvState, prefix: string): KvEntry[] {
  return st.keys.filter((k) => k.key.startsWith(prefix));
}

/** Lease ids in ascending order (the order a recovering store re-arms their expiry in). */
export function leaseIds(st: KvState): number[] {
  return Object.keys(st.leases)
    .map(Number)
    .sort((a, b) => a - b);
}

export function grantLease(
  st: KvState,
  owner: NodeId,
  ttl: number,
): { state: KvState; lease: number } {
  const lease = st.nextLease;
  return {
    lease,
    state: { ...st, nextLease: lease + 1, leases: { ...st.leases, [lease]: { owner, ttl } } },
  };
}

/** Whether `lease` is alive and belongs to `owner` (a keep-alive from anyone else is refused). */
export function ownsLease(st: KvState, lease: number, owner: NodeId): boolean {
  return st.leases[lease]?.owner === owner;
}

export type PutResult =
  /** The key was created at `createRevision`. */
  | { ok: true; created: true; state: KvState; createRevision: number }
  /** The key already existed, bound to the same lease: the request was a retry. */
  | { ok: true; created: false; state: KvState; createRevision: number }
  /** The lease is not the owner's (expired or unknown), or the key belongs to another lease. */
  | { ok: false; created: false; state: KvState; createRevision: number };

/** Creates `key` bound to `lease` if it is absent and the lease is `owner`'s. */
export function putIfAbsent(st: KvState, key: string, owner: NodeId, lease: number): PutResult {
  if (!ownsLease(st, lease, owner))
    return { ok: false, created: false, state: st, createRevision: 0 };
  const existing = st.keys.find((k) => k.key === key);
  if (existing)
    return existing.lease === lease
      ? { ok: true, created: false, state: st, createRevision: existing.createRevision }
      : { ok: false, created: false, state: st, createRevision: existing.createRevision };
  const revision = st.revision + 1;
  return {
    ok: true,
    created: true,
    createRevision: revision,
    state: {
      ...st,
      revision,
      keys: [...st.keys, { key, owner, lease, createRevision: revision }],
    },
  };
}

/**
 * Ends `lease` (expired or revoked) and deletes its keys; one revision for the whole
 * deletion, as etcd does. `deleted` lists the keys that went.
 */
export function endLease(st: KvState, lease: number): { state: KvState; deleted: string[] } {
  if (st.leases[lease] === undefined) return { state: st, deleted: [] };
  const leases = { ...st.leases };
  delete leases[lease];
  const keys = st.keys.filter((k) => k.lease !== lease);
  const deleted = st.keys.filter((k) => k.lease === lease).map((k) => k.key);
  return {
    deleted,
    state: { ...st, leases, keys, revision: deleted.length > 0 ? st.revision + 1 : st.revision },
  };
}

/** Registers `node` as a watcher of `prefix` (once). */
export function watch(st: KvState, node: NodeId, prefix: string): KvState {
  return st.watchers.some((w) => w.node === node && w.prefix === prefix)
    ? st
    : { ...st, watchers: [...st.watchers, { node, prefix }] };
}

/** The watchers to tell after `changed` keys changed, each once per prefix. */
export function watchersOf(st: KvState, changed: readonly string[]): Watcher[] {
  return st.watchers.filter((w) => changed.some((k) => k.startsWith(w.prefix)));
}
