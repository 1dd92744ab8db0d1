/**
 * The trace in compact form: records are stored column by column in typed arrays, in
 * chunks of TRACE_CHUNK events, and decoded on demand (one record at a time, or a range).
 * About 32 bytes per event instead of ~200 for a record object.
 *
 * - Strings (type, reason, state before and after, label, note) are interned in a table per
 *   chunk, so a chunk dropped from the front of a bounded history takes its strings with
 *   it (labels carry terms, leases and periods: their variety grows with the run).
 * - Node ids, message ids, terms and the number of messages sent go into narrow integer
 *   columns; a value that does not fit (a huge id, a fraction, null where only numbers are
 *   expected) is stored beside the chunk under an escape code, so every record decodes to
 *   exactly what was stored.
 * - Times are offsets from the chunk's first time (32 bits: 71 minutes of simulated time);
 *   a chunk whose times do not fit switches to absolute 64-bit times.
 *
 * Decoding returns a fresh object with every field present (undefined when unused).
 */
import type { Time } from './time';
import type { EventKind, TraceRecord } from './trace';
import type { MessageKind, NodeId } from './types';

/** Events per chunk: the unit in which a bounded history frees records. */
export const TRACE_CHUNK = 4096;

const KINDS: readonly EventKind[] = ['deliver', 'drop', 'timer', 'fault', 'hold'];
/** An event kind's code (its index in KINDS), or -1. */
function kindCode(kind: string): number {
  switch (kind) {
    case 'deliver':
      return 0;
    case 'drop':
      return 1;
    case 'timer':
      return 2;
    case 'fault':
      return 3;
    case 'hold':
      return 4;
    default:
      return -1;
  }
}
const MKS: readonly (MessageKind | undefined)[] = [
  undefined,
  'request',
  'granted',
  'refused',
  'heartbeat',
  'announcement',
  'ack',
  'other',
];
const MK_CODE = new Map<string | undefined, number>(MKS.map((k, i) => [k, i]));

/** String fields, in their order within a record's slots of the string column. */
const STR_FIELDS = 6;
const S_TYPE = 0;
const S_REASON = 1;
const S_BEFORE = 2;
const S_AFTER = 3;
const S_LABEL = 4;
const S_NOTE = 5;

/** Number fields with escapes, for the escape map's keys (slot * 8 + field). */
const F_NODE = 0;
const F_FROM = 1;
const F_VOTED = 2;
const F_LEADER = 3;
const F_MSG = 4;
const F_TERM = 5;
const F_SENT = 6;

/** Node-id columns (Uint16): 0 undefined, 1 null, id + 2 for ids 0..0xfffc, 0xffff escaped. */
const ID_ESC = 0xffff;
const ID_MAX = 0xfffc;
/** Unsigned 32-bit columns: 0 undefined, v + 1 for v in 0..0xfffffffd, 0xffffffff escaped. */
const U32_ESC = 0xffffffff;
const U32_MAX = 0xfffffffd;
/** The sent column (Uint8): 0 undefined, v + 1 for v in 0..253, 255 escaped. */
const U8_ESC = 0xff;
const U8_MAX = 0xfd;
/** Largest offset kept in the 32-bit time column. */
const T_MAX = 0xffffffff;

interface Chunk {
  /** Event index of slot 0. */
  readonly first: number;
  /** Time of the chunk's first record; Uint32 times are offsets from it. */
  tBase: number;
  /** Time offsets (Uint32Array) or absolute times (Float64Array, once one did not fit). */
  t: Uint32Array | Float64Array;
  /** kind in bits 0-2, message kind (mk) in bits 3-5. */
  km: Uint8Array;
  /** node, from, votedFor, leader: 4 slots per record. */
  ids: Uint16Array;
  msg: Uint32Array;
  term: Uint32Array;
  sent: Uint8Array;
  /** type, reason, before, after, label, note: 6 slots per record, ids into `strings`. */
  str: Uint16Array;
  /** The chunk's string table: id -> string (id 0 is "undefined"). */
  strings: (string | undefined)[];
  strIds: Map<string, number>;
  /**
   * Per string field, the last string stored and its id: consecutive records repeat most
   * of their strings (the same type, states, reason), and comparing with the last one
   * costs less than hashing a string built afresh for each record.
   */
  lastStr: (string | undefined)[];
  lastId: Uint16Array;
  /** Values that did not fit their column, by slot * 8 + field. */
  escapes: Map<number, unknown> | null;
}

/** Bytes per record over all columns: t 4, msg 4, term 4, ids 8, str 12, km 1, sent 1. */
const RECORD_BYTES = 4 + 4 + 4 + 2 * 4 + 2 * STR_FIELDS + 1 + 1;

function newChunk(first: number, tBase: number, n: number): Chunk {
  // one buffer for all the columns: a chunk is one allocation, not seven
  const b = new ArrayBuffer(n * RECORD_BYTES);
  let at = 0;
  const take = (bytes: number) => {
    const o = at;
    at += n * bytes;
    return o;
  };
  return {
    first,
    tBase,
    t: new Uint32Array(b, take(4), n),
    msg: new Uint32Array(b, take(4), n),
    term: new Uint32Array(b, take(4), n),
    ids: new Uint16Array(b, take(8), n * 4),
    str: new Uint16Array(b, take(2 * STR_FIELDS), n * STR_FIELDS),
    km: new Uint8Array(b, take(1), n),
    sent: new Uint8Array(b, take(1), n),
    strings: [undefined],
    strIds: new Map(),
    lastStr: new Array<string | undefined>(STR_FIELDS).fill(undefined),
    lastId: new Uint16Array(STR_FIELDS),
    escapes: null,
  };
}

function escape(c: Chunk, slot: number, field: number, v: unknown): void {
  (c.escapes ??= new Map()).set(slot * 8 + field, v);
}

function escaped(c: Chunk, slot: number, field: number): unknown {
  return c.escapes?.get(slot * 8 + field);
}

function encId(c: Chunk, slot: number, field: number, v: NodeId | null | undefined): number {
  if (v === undefined) return 0;
  if (v === null) return 1;
  if (Number.isInteger(v) && v >= 0 && v <= ID_MAX) return v + 2;
  escape(c, slot, field, v);
  return ID_ESC;
}

function decId(c: Chunk, slot: number, field: number, code: number): NodeId | null | undefined {
  if (code === 0) return undefined;
  if (code === 1) return null;
  if (code === ID_ESC) return escaped(c, slot, field) as NodeId;
  return code - 2;
}

function encU32(c: Chunk, slot: number, field: number, v: number | undefined): number {
  if (v === undefined) return 0;
  if (Number.isInteger(v) && v >= 0 && v <= U32_MAX) return v + 1;
  escape(c, slot, field, v);
  return U32_ESC;
}

function decU32(c: Chunk, slot: number, field: number, code: number): number | undefined {
  if (code === 0) return undefined;
  if (code === U32_ESC) return escaped(c, slot, field) as number;
  return code - 1;
}

/** The chunk's id for string `s` of string field `field` (0 for undefined). */
function strId(c: Chunk, field: number, s: string | undefined): number {
  if (s === undefined) return 0;
  if (s === c.lastStr[field]) return c.lastId[field];
  let id = c.strIds.get(s);
  if (id === undefined) {
    if (c.strings.length > 0xffff) compactStrings(c);
    id = c.strings.push(s) - 1;
    c.strIds.set(s, id);
  }
  c.lastStr[field] = s;
  c.lastId[field] = id;
  return id;
}

/**
 * Rebuilds a chunk's string table from the strings its records still use. Only a chunk
 * rewritten many times over (stepping back and acting again and again) can fill its table;
 * a chunk written once holds at most 6 strings per record, well under the 16-bit limit.
 */
function compactStrings(c: Chunk): void {
  const old = c.strings;
  c.strings = [undefined];
  c.strIds = new Map();
  c.lastStr.fill(undefined);
  for (let k = 0; k < c.str.length; k++) {
    const s = old[c.str[k]];
    if (s === undefined) {
      c.str[k] = 0;
      continue;
    }
    let id = c.strIds.get(s);
    if (id === undefined) {
      id = c.strings.push(s) - 1;
      c.strIds.set(s, id);
    }
    c.str[k] = id;
  }
  if (c.strings.length > 0xffff) throw new Error('trace chunk string table overflow');
}

/** Switches a chunk's time column to absolute 64-bit times (slots below `upTo` are kept). */
function widenTimes(c: Chunk, upTo: number): Float64Array {
  const old = c.t as Uint32Array;
  const t = new Float64Array(old.length);
  for (let k = 0; k < upTo; k++) t[k] = c.tBase + old[k];
  c.t = t;
  return t;
}

/** What readers of the trace get: records by event index, within the kept range. */
export interface TraceView {
  /** First event index whose record is kept (0 unless a bounded history dropped older ones). */
  readonly start: number;
  /** One past the last record's event index. */
  readonly length: number;
  /** The record of event `i`, decoded; undefined outside [start, length). */
  at(i: number): TraceRecord | undefined;
  /** The time of event `i` (µs) without decoding the record; NaN outside [start, length). */
  time(i: number): Time;
  /** Decodes record `i` into `out` (no allocation); false outside [start, length). */
  into?(i: number, out: TraceRecord): boolean;
}

export class TraceStore implements TraceView {
  private chunks: Chunk[] = [];
  /** Chunk number (first / chunkSize) of chunks[0]. */
  private c0 = 0;
  start = 0;
  length = 0;

  /** `chunkSize`: records per chunk (tests use small ones to cross chunk boundaries). */
  constructor(readonly chunkSize = TRACE_CHUNK) {
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 8192)
      throw new Error(`trace chunk size must be an integer in 1..8192, not ${chunkSize}`);
  }

  /**
   * Stores `rec` at its event index, which is at most the current length: the next record,
   * or (after stepping back and replaying) one that overwrites its own slot.
   */
  put(rec: TraceRecord): void {
    const i = rec.i;
    if (i > this.length || i < this.start || !Number.isInteger(i))
      throw new Error(`trace record ${i} out of order (kept: ${this.start}..${this.length})`);
    const cn = Math.floor(i / this.chunkSize);
    let c = this.chunks[cn - this.c0];
    if (c === undefined) {
      if (this.chunks.length === 0) this.c0 = cn;
      c = newChunk(cn * this.chunkSize, rec.t, this.chunkSize);
      this.chunks.push(c);
    }
    const k = i - c.first;
    const kind = kindCode(rec.kind);
    // (most records carry no message kind: the map only for those that do)
    const mk = rec.mk === undefined ? 0 : MK_CODE.get(rec.mk);
    if (kind < 0) throw new Error(`unknown event kind ${String(rec.kind)}`);
    if (mk === undefined) throw new Error(`unknown message kind ${String(rec.mk)}`);
    c.km[k] = kind | (mk << 3);
    const t: Uint32Array | Float64Array = c.t;
    if (t instanceof Uint32Array) {
      const d = rec.t - c.tBase;
      if (Number.isInteger(d) && d >= 0 && d <= T_MAX) t[k] = d;
      else widenTimes(c, Math.min(this.chunkSize, this.length - c.first))[k] = rec.t;
    } else t[k] = rec.t;
    const ids = c.ids;
    const j = k * 4;
    ids[j] = encId(c, k, F_NODE, rec.node);
    ids[j + 1] = encId(c, k, F_FROM, rec.from);
    ids[j + 2] = encId(c, k, F_VOTED, rec.votedFor);
    ids[j + 3] = encId(c, k, F_LEADER, rec.leader);
    c.msg[k] = encU32(c, k, F_MSG, rec.msg);
    c.term[k] = encU32(c, k, F_TERM, rec.term);
    const sent = rec.sent;
    if (sent === undefined) c.sent[k] = 0;
    else if (Number.isInteger(sent) && sent >= 0 && sent <= U8_MAX) c.sent[k] = sent + 1;
    else {
      escape(c, k, F_SENT, sent);
      c.sent[k] = U8_ESC;
    }
    const s = k * STR_FIELDS;
    const str = c.str;
    str[s + S_TYPE] = strId(c, S_TYPE, rec.type);
    str[s + S_REASON] = strId(c, S_REASON, rec.reason);
    str[s + S_BEFORE] = strId(c, S_BEFORE, rec.before);
    str[s + S_AFTER] = strId(c, S_AFTER, rec.after);
    str[s + S_LABEL] = strId(c, S_LABEL, rec.label);
    str[s + S_NOTE] = strId(c, S_NOTE, rec.note);
    if (i === this.length) this.length = i + 1;
  }

  private chunkOf(i: number): Chunk | undefined {
    if (i < this.start || i >= this.length || !Number.isInteger(i)) return undefined;
    return this.chunks[Math.floor(i / this.chunkSize) - this.c0];
  }

  at(i: number): TraceRecord | undefined {
    const out = {} as TraceRecord;
    return this.into(i, out) ? out : undefined;
  }

  /**
   * Decodes record `i` into `out` (every field written), without allocating: for scans
   * that read many records and keep none. False, and `out` untouched, outside the kept range.
   */
  into(i: number, out: TraceRecord): boolean {
    const c = this.chunkOf(i);
    if (c === undefined) return false;
    const k = i - c.first;
    const km = c.km[k];
    const ids = c.ids;
    const j = k * 4;
    const s = k * STR_FIELDS;
    const str = c.str;
    const strings = c.strings;
    const sent = c.sent[k];
    out.i = i;
    out.t = c.t instanceof Uint32Array ? c.tBase + c.t[k] : c.t[k];
    out.kind = KINDS[km & 7];
    out.node = decId(c, k, F_NODE, ids[j]) as NodeId;
    out.from = decId(c, k, F_FROM, ids[j + 1]) as NodeId | undefined;
    out.msg = decU32(c, k, F_MSG, c.msg[k]);
    out.type = strings[str[s + S_TYPE]] as string;
    out.reason = strings[str[s + S_REASON]];
    out.before = strings[str[s + S_BEFORE]];
    out.after = strings[str[s + S_AFTER]];
    out.sent =
      sent === 0 ? undefined : sent === U8_ESC ? (escaped(c, k, F_SENT) as number) : sent - 1;
    out.label = strings[str[s + S_LABEL]];
    out.mk = MKS[(km >> 3) & 7];
    out.note = strings[str[s + S_NOTE]];
    out.term = decU32(c, k, F_TERM, c.term[k]);
    out.votedFor = decId(c, k, F_VOTED, ids[j + 2]);
    out.leader = decId(c, k, F_LEADER, ids[j + 3]);
    return true;
  }

  time(i: number): Time {
    const c = this.chunkOf(i);
    if (c === undefined) return NaN;
    const k = i - c.first;
    return c.t instanceof Uint32Array ? c.tBase + c.t[k] : c.t[k];
  }

  /** Records [from, to) of the kept range, decoded. */
  *range(from = this.start, to = this.length): Generator<TraceRecord> {
    const end = Math.min(to, this.length);
    for (let i = Math.max(from, this.start); i < end; i++) yield this.at(i) as TraceRecord;
  }

  /** The kept records as an array (tests, exports). */
  toArray(from = this.start, to = this.length): TraceRecord[] {
    return Array.from(this.range(from, to));
  }

  /** Forgets records from event `end` on (the future discarded by an action in the past). */
  truncate(end: number): void {
    if (end >= this.length) return;
    this.length = Math.max(end, this.start);
    const keep = Math.ceil(this.length / this.chunkSize) - this.c0;
    if (keep < this.chunks.length) this.chunks.length = Math.max(0, keep);
  }

  /** Forgets records before event `i`; whole chunks below it are freed. */
  dropBefore(i: number): void {
    if (i <= this.start) return;
    this.start = Math.min(i, this.length);
    const drop = Math.floor(this.start / this.chunkSize) - this.c0;
    if (drop > 0) {
      this.chunks.splice(0, drop);
      this.c0 += drop;
    }
  }

  /** Approximate bytes held: typed arrays, string tables (strings at 2 bytes a character). */
  get bytes(): number {
    let b = 0;
    for (const c of this.chunks) {
      b += c.t.byteLength + c.km.byteLength + c.ids.byteLength + c.msg.byteLength;
      b += c.term.byteLength + c.sent.byteLength + c.str.byteLength;
      for (let s = 1; s < c.strings.length; s++) b += 16 + 2 * (c.strings[s] as string).length;
      b += (c.escapes?.size ?? 0) * 32;
    }
    return b;
  }
}
