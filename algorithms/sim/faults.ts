/**
 * User actions as timed events. They never fail at run time: a no-op (killing a dead
 * node, healing an intact link) is noted in the trace. The builders at the bottom read
 * like the fault story they tell:
 *
 *   at(500, kill(3)), at(800, partition([1, 2], [3, 4, 5])), at(2000, healAll())
 */
import type { Action } from './actions';
import {
  cut,
  heal,
  healAll as healNetwork,
  partition as partitionNet,
  setLinkOverride,
} from './network';
import { killNode, startNode } from './nodes';
import { ms } from './time';
import { makeRecord, type TraceRecord } from './trace';
import { FORCED_TIMEOUT, type NodeId } from './types';
import {
  enqueue,
  indexOf,
  nextSeq,
  type QueuedEvent,
  type Runtime,
  type SimNode,
  type World,
} from './world';
import { heapify } from './queue';

export function applyFault(
  world: World,
  rt: Runtime,
  action: Action,
  eventIndex: number,
): TraceRecord {
  const rec = makeRecord(eventIndex, world.now, 'fault', 0, action.type);
  const note = (reason: string) => {
    rec.reason = reason;
    return rec;
  };
  switch (action.type) {
    case 'kill':
    case 'restart':
    case 'pause':
    case 'resume':
    case 'timeout': {
      const idx = indexOf(rt, action.node);
      const node = world.nodes[idx];
      rec.node = node.id;
      rec.before = node.alive ? (node.paused ? 'paused' : 'running') : 'dead';
      applyNodeAction(world, rt, idx, action.type, eventIndex, note);
      rec.after = node.alive ? (node.paused ? 'paused' : 'running') : 'dead';
      return rec;
    }
    case 'cut':
      return cut(world.net, action.from, action.to, action.oneWay ?? false)
        ? rec
        : note('already cut');
    case 'heal':
      return heal(world.net, action.from, action.to, action.oneWay ?? false)
        ? rec
        : note('link was intact');
    case 'partition':
      partitionNet(world.net, action.groups, rt.order);
      return rec;
    case 'healAll':
      return healNetwork(world.net) ? rec : note('nothing to heal');
    case 'setLatency': {
      const latency = { min: ms(action.min), max: ms(action.max) };
      if (action.from !== undefined && action.to !== undefined)
        setLinkOverride(world.net, action.from, action.to, { latency });
      else world.net.latency = latency;
      return rec;
    }
    case 'deliver':
    case 'drop': {
      const ev = takeQueued(world, (e) => e.kind === 'deliver' && e.msg.id === action.msg);
      if (!ev || ev.kind !== 'deliver') return note('no such message in flight');
      rec.node = ev.msg.to;
      if (action.type === 'drop') {
        world.counters.dropped.manual = (world.counters.dropped.manual ?? 0) + 1;
        return note('dropped by hand');
      }
      // delivered right after this event, at this time, through the normal path
      enqueue(world, { ...ev, at: world.now, seq: nextSeq(world) });
      return rec;
    }
    case 'fire': {
      const idx = indexOf(rt, action.node);
      const node = world.nodes[idx];
      rec.node = node.id;
      const token = node.timers[action.timer];
      const ev = takeQueued(
        world,
        (e) => e.kind === 'timer' && e.seq === token && e.node === node.id,
      );
      if (!ev || ev.kind !== 'timer') return note('no such timer pending');
      const seq = nextSeq(world);
      node.timers[action.timer] = seq;
      node.timerDue[action.timer] = world.now;
      enqueue(world, { ...ev, at: world.now, seq });
      return rec;
    }
    case 'request': {
      // a client sends a command to the given node, or to whoever leads right now
      const accepts = rt.model.clientRequest;
      if (!accepts) return note('this algorithm takes no client requests');
      const target = action.node ?? world.leader;
      if (target === null) return note('no leader to take the request');
      const node = world.nodes[indexOf(rt, target)];
      rec.node = node.id;
      if (!node.alive) return note('node is dead');
      force(world, node, { type: accepts.event, command: action.command });
      return rec;
    }
    case 'clock': {
      const node = world.nodes[indexOf(rt, action.node)];
      rec.node = node.id;
      // timers already running keep their due time; new ones run at the new rate
      node.clockPermille = Math.round(action.rate * 1000);
      return rec;
    }
    case 'setLoss':
      if (action.from !== undefined && action.to !== undefined)
        setLinkOverride(world.net, action.from, action.to, { loss: action.loss });
      else world.net.loss = action.loss;
      return rec;
  }
}

/** Hands `event` to the node right after this event, through the normal (pausable) path. */
function force(
  world: World,
  node: SimNode,
  event: { type: string; [field: string]: unknown },
): void {
  enqueue(world, {
    kind: 'forced',
    at: world.now,
    seq: nextSeq(world),
    node: node.id,
    inc: node.incarnation,
    event,
  });
}

/** Removes and returns the first queued event matching `match` (the queue is small). */
function takeQueued(world: World, match: (e: QueuedEvent) => boolean): QueuedEvent | undefined {
  const i = world.queue.findIndex(match);
  if (i < 0) return undefined;
  const [ev] = world.queue.splice(i, 1);
  heapify(world.queue);
  return ev;
}

function applyNodeAction(
  world: World,
  rt: Runtime,
  idx: number,
  type: 'kill' | 'restart' | 'pause' | 'resume' | 'timeout',
  eventIndex: number,
  note: (reason: string) => unknown,
): void {
  const node = world.nodes[idx];
  switch (type) {
    case 'kill':
      if (!node.alive) note('already dead');
      else killNode(world, rt, idx, eventIndex);
      return;
    case 'restart': {
      // restarting a live node is a crash then an immediate restart
      const persisted = rt.model.persist?.(node.snapshot);
      if (node.alive) killNode(world, rt, idx, eventIndex);
      node.incarnation++;
      startNode(world, rt, idx, persisted, eventIndex);
      return;
    }
    case 'pause':
      if (!node.alive) note('node is dead');
      else if (node.paused) note('already paused');
      else node.paused = true;
      return;
    case 'resume':
      if (!node.alive) note('node is dead');
      else if (!node.paused) note('was not paused');
      else {
        node.paused = false;
        // a paused process finds its overdue timers and buffered messages all at once
        for (const ev of node.held) {
          const seq = nextSeq(world);
          if (ev.kind === 'timer') {
            // a timer re-armed or cancelled since it fell due is gone; a live one moves
            if (node.timers[ev.timer] !== ev.seq || node.incarnation !== ev.inc) continue;
            node.timers[ev.timer] = seq;
          }
          enqueue(world, { ...ev, at: world.now, seq });
        }
        node.held = [];
      }
      return;
    case 'timeout':
      if (!node.alive) note('node is dead');
      else force(world, node, { type: FORCED_TIMEOUT });
      return;
  }
}

// ---- builders: a scenario's fault schedule, readable ----------------------------------

type Untimed<A> = A extends Action ? Omit<A, 'at'> : never;
export type UntimedAction = Untimed<Action>;

export const kill = (node: NodeId): UntimedAction => ({ type: 'kill', node });
export const restart = (node: NodeId): UntimedAction => ({ type: 'restart', node });
/** A crash followed at once by a restart, like turmoil's `bounce`. */
export const bounce = restart;
export const pause = (node: NodeId): UntimedAction => ({ type: 'pause', node });
export const resume = (node: NodeId): UntimedAction => ({ type: 'resume', node });
export const timeout = (node: NodeId): UntimedAction => ({ type: 'timeout', node });
export const cutLink = (from: NodeId, to: NodeId, oneWay = false): UntimedAction =>
  oneWay ? { type: 'cut', from, to, oneWay } : { type: 'cut', from, to };
export const healLink = (from: NodeId, to: NodeId, oneWay = false): UntimedAction =>
  oneWay ? { type: 'heal', from, to, oneWay } : { type: 'heal', from, to };
export const partition = (...groups: NodeId[][]): UntimedAction => ({ type: 'partition', groups });
export const healAll = (): UntimedAction => ({ type: 'healAll' });
export const setLatency = (min: number, max: number): UntimedAction => ({
  type: 'setLatency',
  min,
  max,
});
export const setLoss = (loss: number): UntimedAction => ({ type: 'setLoss', loss });
/** A client request (Raft log replication): a command for `node`, or for the current leader. */
export const request = (command: number, node?: NodeId): UntimedAction =>
  node === undefined ? { type: 'request', command } : { type: 'request', command, node };
/** Clock drift: `node`'s timers run `rate` times as fast as true time. */
export const clockRate = (node: NodeId, rate: number): UntimedAction => ({
  type: 'clock',
  node,
  rate,
});
/** Manual delivery: deliver or drop message `msg` now, or fire a node's timer now. */
export const deliverNow = (msg: number): UntimedAction => ({ type: 'deliver', msg });
export const dropNow = (msg: number): UntimedAction => ({ type: 'drop', msg });
export const fireNow = (node: NodeId, timer: string): UntimedAction => ({
  type: 'fire',
  node,
  timer,
});

/** Stamps actions with a time in ms: `at(500, kill(3), cutLink(1, 2))`. */
export function at(timeMs: number, ...actions: UntimedAction[]): Action[] {
  return actions.map((a) => ({ ...a, at: timeMs }) as Action);
}
