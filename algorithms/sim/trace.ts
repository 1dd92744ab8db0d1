/**
 * Compact trace records (one per event, no snapshots) and the trace hash: FNV-1a over
 * the records' integer fields and interned string hashes, identical in Node and in
 * every browser because it uses only Math.imul and 32-bit integer operations.
 */
import type { Time } from './time';
import type { MessageKind, NodeId } from './types';

export type EventKind = 'deliver' | 'drop' | 'timer' | 'fault' | 'hold';

export interface TraceRecord {
  /** Event index, from 0. */
  i: number;
  t: Time;
  kind: EventKind;
  /** The node the event happened at (receiver, timer owner, fault target; 0 for network-wide faults). */
  node: NodeId;
  /** Sender of a delivered or dropped message. */
  from?: NodeId;
  /** Message id, for deliver/drop/hold of a message. */
  msg?: number;
  /** Message type, timer event type, or fault action type. */
  type: string;
  /** Drop reason, or a note on a fault that changed nothing ("already dead"). */
  reason?: string;
  /** State value before and after, for events handled by a machine. */
  before?: string;
  after?: string;
  /** Messages sent while handling this event. */
  sent?: number;
  /** The message's short label ("RequestVote t3"), for message events. */
  label?: string;
  /** What the message does (the algorithm's `kindOf`), for its colour; not hashed. */
  mk?: MessageKind;
  /** The algorithm's note on what the event did that the states do not show; not hashed. */
  note?: string;
  /** The node's term, vote and believed leader after a machine-handled event. */
  term?: number;
  votedFor?: NodeId | null;
  leader?: NodeId | null;
}

/**
 * Builds a record with every field present (undefined when unused), so all records share
 * one shape and filling in the optional fields later allocates nothing more.
 */
export function makeRecord(
  i: number,
  t: Time,
  kind: EventKind,
  node: NodeId,
  type: string,
  from?: NodeId,
  msg?: number,
): TraceRecord {
  return {
    i,
    t,
    kind,
    node,
    from,
    msg,
    type,
    reason: undefined,
    before: undefined,
    after: undefined,
    sent: undefined,
    label: undefined,
    mk: undefined,
    note: undefined,
    term: undefined,
    votedFor: undefined,
    leader: undefined,
  };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

const stringHashes = new Map<string, number>();

export function hashString(s: string): number {
  let h = stringHashes.get(s);
  if (h !== undefined) return h;
  h = FNV_OFFSET;
  for (let k = 0; k < s.length; k++) {
    h ^= s.charCodeAt(k);
    h = Math.imul(h, FNV_PRIME);
  }
  h >>>= 0;
  if (stringHashes.size < 100_000) stringHashes.set(s, h);
  return h;
}

/** FNV-1a over whole 32-bit words, with an xor-shift so high bits reach the low ones. */
function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, FNV_PRIME);
  return h ^ (h >>> 15);
}

export const HASH_SEED = FNV_OFFSET;

/**
 * The last string hashed for each string field of a record, and its hash: consecutive
 * records mostly repeat their kind, type and state, and comparing with the last one costs
 * less than a lookup in the table.
 */
const lastStr: (string | undefined)[] = [undefined, undefined, undefined];
const lastHash = [0, 0, 0];

function fieldHash(field: number, s: string): number {
  if (s === lastStr[field]) return lastHash[field];
  const h = hashString(s);
  lastStr[field] = s;
  lastHash[field] = h;
  return h;
}

/** Folds one record into the running hash. */
export function hashRecord(h: number, r: TraceRecord): number {
  h = mix(h, r.i);
  h = mix(h, r.t % 0x100000000);
  h = mix(h, Math.floor(r.t / 0x100000000));
  h = mix(h, fieldHash(0, r.kind));
  h = mix(h, r.node);
  h = mix(h, r.from ?? 0);
  h = mix(h, r.msg ?? 0);
  h = mix(h, fieldHash(1, r.type));
  h = mix(h, r.reason === undefined ? 0 : hashString(r.reason));
  h = mix(h, r.after === undefined ? 0 : fieldHash(2, r.after));
  h = mix(h, r.sent ?? 0);
  h = mix(h, r.term ?? 0);
  return h >>> 0;
}

export function hashHex(h: number): string {
  return (h >>> 0).toString(16).padStart(8, '0');
}
