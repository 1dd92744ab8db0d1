/**
 * The ZooKeeper-like service as one pure function, `serve(state, request) -> (state,
 * replies, timers)`, with no machine and no clock, so that the same transitions could run
 * on commit in a replicated log. Time enters only as a request: the node's expiry timer
 * of a silent session becomes an `Expire` request.
 *
 * - **Sessions** with a timeout: `Connect` opens one, every `Ping` restarts its expiry
 *   clock (`arm`), `Expire` closes it and deletes its ephemeral znodes.
 * - **Ephemeral sequential znodes** under /election: `n_0000000007`, each with its
 *   sequence number (the parent's counter, which never repeats) and the zxid of the
 *   transaction that created it (`czxid`). A session holds at most one: a `Create`
 *   retried after a lost answer returns the znode it already made, as Curator's
 *   "protected" mode does.
 * - **Watches that fire once**: `GetChildren` with `watch` leaves a children watch on
 *   /election, `Exists` on a znode leaves a watch that fires when it is deleted. When one
 *   fires, the watcher is sent one `WatchEvent` and the watch is gone: it must set it again
 *   to hear of the next change.
 * - The **zxid** counts the transactions (session opened, znode created, session closed);
 *   it never goes back. The whole state is durable (a restarted service keeps it and
 *   gives every session a full timeout from its recovery, as a ZooKeeper ensemble does
 *   after a leader change).
 */
import type { SendParams } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import {
  ELECTION,
  pathOf,
  znodeName,
  type ZkMessage,
  type ZkRequest,
  type Znode,
} from './messages';

export interface Session {
  owner: NodeId;
  /** µs: the service closes the session this long after the last sign of life. */
  timeout: number;
}

export interface Watch {
  session: number;
  node: NodeId;
  /** `children`: on the children of /election; `deleted`: on the znode at `path`. */
  kind: 'children' | 'deleted';
  path: string;
}

export interface ZkState {
  /** The last transaction's id. */
  zxid: number;
  /** The next sequence number /election hands out. */
  nextSeq: number;
  nextSession: number;
  sessions: Record<number, Session>;
  /** The children of /election, in creation (sequence) order. */
  znodes: Znode[];
  watches: Watch[];
}

/** What the service handles: a client's request, or its own timer saying a session went silent. */
export type ZkInput = ZkRequest | { type: 'Expire'; session: number };

export interface Served {
  state: ZkState;
  replies: SendParams<ZkMessage>[];
  /** Sessions whose expiry clock starts again now, with their timeout (µs). */
  arm: { session: number; timeout: number }[];
  /** Sessions that ended: their expiry timers are no longer needed. */
  disarm: number[];
}

export function emptyZk(): ZkState {
  return { zxid: 0, nextSeq: 0, nextSession: 1, sessions: {}, znodes: [], watches: [] };
}

/** The children of /election by sequence number: the first one leads. */
export function children(st: ZkState): Znode[] {
  return st.znodes.slice().sort((a, b) => a.seq - b.seq);
}

/** The znode with the lowest sequence number (the leader's), or null. */
export function lowest(st: ZkState): Znode | null {
  return children(st)[0] ?? null;
}

/** Session ids in ascending order (the order a recovering service re-arms them in). */
export function sessionIds(st: ZkState): number[] {
  return Object.keys(st.sessions)
    .map(Number)
    .sort((a, b) => a - b);
}

const alive = (st: ZkState, session: number, from: NodeId) => st.sessions[session]?.owner === from;

/** Leaves a watch unless the same one is already set. */
function addWatch(st: ZkState, w: Watch): ZkState {
  const same = st.watches.some(
    (x) => x.session === w.session && x.kind === w.kind && x.path === w.path,
  );
  return same ? st : { ...st, watches: [...st.watches, w] };
}

/**
 * Fires every watch that `fire` picks: one WatchEvent each, and the watch is consumed.
 */
function fireWatches(
  self: NodeId,
  st: ZkState,
  fire: (w: Watch) => boolean,
): { state: ZkState; replies: SendParams<ZkMessage>[] } {
  const fired = st.watches.filter(fire);
  if (fired.length === 0) return { state: st, replies: [] };
  return {
    state: { ...st, watches: st.watches.filter((w) => !fire(w)) },
    replies: fired.map((w) => ({
      to: w.node,
      message: {
        type: 'WatchEvent',
        from: self,
        session: w.session,
        event: w.kind,
        path: w.path,
        zxid: st.zxid,
      },
    })),
  };
}

const done = (state: ZkState, replies: SendParams<ZkMessage>[] = []): Served => ({
  state,
  replies,
  arm: [],
  disarm: [],
});

/** The service's answer to one request; `self` is the service's node id. */
export function serve(st: ZkState, req: ZkInput, self: NodeId): Served {
  switch (req.type) {
    case 'Connect': {
      const session = st.nextSession;
      const state: ZkState = {
        ...st,
        zxid: st.zxid + 1,
        nextSession: session + 1,
        sessions: { ...st.sessions, [session]: { owner: req.from, timeout: req.timeout } },
      };
      return {
        ...done(state, [
          {
            to: req.from,
            message: { type: 'Connected', from: self, session, timeout: req.timeout },
          },
        ]),
        arm: [{ session, timeout: req.timeout }],
      };
    }
    case 'Ping': {
      const ok = alive(st, req.session, req.from);
      const leader = lowest(st)?.owner ?? null;
      const watching = st.watches.some((w) => w.session === req.session);
      return {
        ...done(st, [
          {
            to: req.from,
            message: {
              type: 'Pong',
              from: self,
              session: req.session,
              ok,
              watching,
              leader,
              zxid: st.zxid,
            },
          },
        ]),
        arm: ok ? [{ session: req.session, timeout: st.sessions[req.session].timeout }] : [],
      };
    }
    case 'Create': {
      const reply = (znode: Znode | null): SendParams<ZkMessage> => ({
        to: req.from,
        message: { type: 'Created', from: self, session: req.session, ok: znode !== null, znode },
      });
      if (!alive(st, req.session, req.from)) return done(st, [reply(null)]);
      const mine = st.znodes.find((z) => z.session === req.session);
      if (mine) return done(st, [reply(mine)]);
      const zxid = st.zxid + 1;
      const znode: Znode = {
        name: znodeName(st.nextSeq),
        seq: st.nextSeq,
        czxid: zxid,
        session: req.session,
        owner: req.from,
      };
      const created: ZkState = {
        ...st,
        zxid,
        nextSeq: st.nextSeq + 1,
        znodes: [...st.znodes, znode],
      };
      const fired = fireWatches(self, created, (w) => w.kind === 'children');
      return done(fired.state, [reply(znode), ...fired.replies]);
    }
    case 'GetChildren': {
      const watched =
        req.watch && alive(st, req.session, req.from)
          ? addWatch(st, { session: req.session, node: req.from, kind: 'children', path: ELECTION })
          : st;
      return done(watched, [
        {
          to: req.from,
          message: {
            type: 'Children',
            from: self,
            req: req.req,
            zxid: st.zxid,
            children: children(st),
          },
        },
      ]);
    }
    case 'Exists': {
      const exists = st.znodes.some((z) => pathOf(z.name) === req.path);
      const watched =
        exists && alive(st, req.session, req.from)
          ? addWatch(st, { session: req.session, node: req.from, kind: 'deleted', path: req.path })
          : st;
      return done(watched, [
        {
          to: req.from,
          message: { type: 'Stat', from: self, req: req.req, path: req.path, exists },
        },
      ]);
    }
    case 'Expire': {
      if (st.sessions[req.session] === undefined) return done(st);
      const sessions = { ...st.sessions };
      delete sessions[req.session];
      const gone = st.znodes.filter((z) => z.session === req.session).map((z) => pathOf(z.name));
      // one transaction closes the session and deletes its ephemeral znodes; its own
      // watches go with it
      const closed: ZkState = {
        ...st,
        zxid: st.zxid + 1,
        sessions,
        znodes: st.znodes.filter((z) => z.session !== req.session),
        watches: st.watches.filter((w) => w.session !== req.session),
      };
      const fired =
        gone.length === 0
          ? { state: closed, replies: [] }
          : fireWatches(
              self,
              closed,
              (w) => w.kind === 'children' || (w.kind === 'deleted' && gone.includes(w.path)),
            );
      return { state: fired.state, replies: fired.replies, arm: [], disarm: [req.session] };
    }
  }
}
