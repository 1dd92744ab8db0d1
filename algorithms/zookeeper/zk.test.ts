/** The service's pure function: sessions, ephemeral sequential znodes, one-shot watches, zxids. */
import { describe, expect, it } from 'vitest';
import type { ZkMessage } from './messages';
import { emptyZk, lowest, serve, type Served, type ZkInput, type ZkState } from './zk';

const SELF = 1;
const TIMEOUT = 4_000_000;

/** Runs requests in order, returning the last state and every reply. */
function run(inputs: ZkInput[], st: ZkState = emptyZk()) {
  const replies: Served['replies'] = [];
  let arm: Served['arm'] = [];
  for (const i of inputs) {
    const out = serve(st, i, SELF);
    st = out.state;
    replies.push(...out.replies);
    arm = out.arm;
  }
  return { st, replies, arm };
}

const connect = (from: number): ZkInput => ({ type: 'Connect', from, timeout: TIMEOUT });
const create = (from: number, session: number): ZkInput => ({ type: 'Create', from, session });
const watchEvents = (replies: Served['replies']) =>
  replies.filter((r) => r.message.type === 'WatchEvent') as {
    to: number;
    message: Extract<ZkMessage, { type: 'WatchEvent' }>;
  }[];

describe('the ZooKeeper-like service as a pure function', () => {
  it('sessions and sequential znodes: names, sequence numbers and czxids grow; zxid counts transactions', () => {
    const { st, replies } = run([connect(2), connect(3), create(2, 1), create(3, 2)]);
    expect(st.zxid).toBe(4);
    expect(st.znodes.map((z) => [z.name, z.seq, z.czxid, z.owner])).toEqual([
      ['n_0000000000', 0, 3, 2],
      ['n_0000000001', 1, 4, 3],
    ]);
    expect(replies.filter((r) => r.message.type === 'Connected').map((r) => r.to)).toEqual([2, 3]);
    expect(lowest(st)?.owner).toBe(2);
  });

  it('a retried Create returns the znode the session already has (no second znode, no new zxid)', () => {
    const { st, replies } = run([connect(2), create(2, 1), create(2, 1)]);
    expect(st.znodes).toHaveLength(1);
    expect(st.zxid).toBe(2);
    const created = replies.filter((r) => r.message.type === 'Created');
    expect(created.map((r) => (r.message as { znode: { seq: number } }).znode.seq)).toEqual([0, 0]);
  });

  it('a children watch fires once: a second change without setting it again notifies nobody', () => {
    const base = run([connect(2), connect(3), create(2, 1)]).st;
    const watched = run(
      [{ type: 'GetChildren', from: 2, session: 1, req: 1, watch: true }],
      base,
    ).st;
    expect(watched.watches).toHaveLength(1);
    // the first change fires the watch and consumes it
    const first = run([create(3, 2)], watched);
    expect(watchEvents(first.replies).map((r) => [r.to, r.message.event])).toEqual([
      [2, 'children'],
    ]);
    expect(first.st.watches).toEqual([]);
    // a second change: nobody is told
    const second = run([connect(4), create(4, 3)], first.st);
    expect(watchEvents(second.replies)).toEqual([]);
    // set again, the next change is heard
    const again = run(
      [
        { type: 'GetChildren', from: 2, session: 1, req: 2, watch: true },
        { type: 'Expire', session: 3 },
      ],
      second.st,
    );
    expect(watchEvents(again.replies).map((r) => r.to)).toEqual([2]);
  });

  it('an exists watch fires once, when its znode is deleted, and only for its watcher', () => {
    const base = run([
      connect(2),
      connect(3),
      connect(4),
      create(2, 1),
      create(3, 2),
      create(4, 3),
    ]).st;
    const [z0, z1] = base.znodes;
    const watched = run(
      [
        { type: 'Exists', from: 3, session: 2, req: 1, path: `/election/${z0.name}` },
        { type: 'Exists', from: 4, session: 3, req: 1, path: `/election/${z1.name}` },
      ],
      base,
    );
    expect(watched.replies.map((r) => (r.message as { exists: boolean }).exists)).toEqual([
      true,
      true,
    ]);
    const expired = run([{ type: 'Expire', session: 1 }], watched.st);
    expect(
      watchEvents(expired.replies).map((r) => [r.to, r.message.event, r.message.path]),
    ).toEqual([[3, 'deleted', `/election/${z0.name}`]]);
    expect(expired.st.watches.map((w) => w.node)).toEqual([4]);
  });

  it('a session expiry deletes its ephemeral znode in one transaction and ends its watches', () => {
    const base = run([
      connect(2),
      connect(3),
      create(2, 1),
      create(3, 2),
      { type: 'GetChildren', from: 2, session: 1, req: 1, watch: true },
    ]).st;
    const out = serve(base, { type: 'Expire', session: 1 }, SELF);
    expect(out.state.zxid).toBe(base.zxid + 1);
    expect(out.state.znodes.map((z) => z.owner)).toEqual([3]);
    expect(out.state.sessions[1]).toBeUndefined();
    expect(out.state.watches).toEqual([]);
    expect(out.disarm).toEqual([1]);
    expect(lowest(out.state)?.owner).toBe(3);
    // a ping of the expired session is answered "expired" and arms nothing
    const ping = serve(out.state, { type: 'Ping', from: 2, session: 1 }, SELF);
    expect(ping.replies[0].message).toMatchObject({ type: 'Pong', ok: false });
    expect(ping.arm).toEqual([]);
    // and its Create is refused
    const again = serve(out.state, create(2, 1), SELF);
    expect(again.replies[0].message).toMatchObject({ type: 'Created', ok: false });
  });

  it('a ping restarts the session clock and says whether a watch is still set', () => {
    const base = run([connect(2), create(2, 1)]).st;
    const p1 = serve(base, { type: 'Ping', from: 2, session: 1 }, SELF);
    expect(p1.arm).toEqual([{ session: 1, timeout: TIMEOUT }]);
    expect(p1.replies[0].message).toMatchObject({ ok: true, watching: false, leader: 2 });
    const w = run([{ type: 'GetChildren', from: 2, session: 1, req: 1, watch: true }], base).st;
    expect(serve(w, { type: 'Ping', from: 2, session: 1 }, SELF).replies[0].message).toMatchObject({
      watching: true,
    });
    // another node cannot keep someone else's session alive
    expect(serve(w, { type: 'Ping', from: 3, session: 1 }, SELF).arm).toEqual([]);
  });

  it('never mutates its input', () => {
    const base = run([connect(2), create(2, 1)]).st;
    const copy = JSON.parse(JSON.stringify(base));
    serve(base, { type: 'Expire', session: 1 }, SELF);
    serve(base, create(2, 1), SELF);
    serve(base, { type: 'GetChildren', from: 2, session: 1, req: 1, watch: true }, SELF);
    expect(base).toEqual(copy);
  });
});
