/**
 * What happens at one node: feeding an event to its machine, interpreting the actions
 * that come back (timers, sends), delivering messages, and the node lifecycle
 * (start, kill) that faults.ts builds on.
 */
import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { deliveryTime, blocked, lossOf } from './network';
import type { ExecutableAction } from './driver';
import { ModellingError } from './driver';
import { makeRecord, type TraceRecord } from './trace';
import { observeNode } from './monitor';
import type { DropReason, Message, MessageBody, NodeId } from './types';
import {
  enqueue,
  indexOf,
  nextSeq,
  noteNodeChanged,
  type QueuedEvent,
  type Runtime,
  type World,
} from './world';

/** "follower", or "candidate.waiting" for nested states. */
export function stateString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) parts.push(`${k}.${stateString(v)}`);
    return parts.join(',');
  }
  return String(value);
}

interface RaiseParams {
  event: { type: string };
  id?: string;
  delay?: number;
}

function interpret(
  world: World,
  rt: Runtime,
  idx: number,
  actions: readonly ExecutableAction[],
): void {
  const node = world.nodes[idx];
  for (let k = 0; k < actions.length; k++) {
    const a = actions[k];
    switch (a.type) {
      case 'xstate.raise': {
        const p = a.params as RaiseParams;
        if (typeof p.delay !== 'number') break; // an immediate raise stays inside XState
        const id = p.id ?? p.event.type;
        let delay = Math.floor((p.delay * 1000) / node.clockPermille);
        if (world.net.timerJitter > 0) delay += rt.rng.int(0, world.net.timerJitter);
        const seq = nextSeq(world);
        node.timers[id] = seq;
        node.timerDue[id] = world.now + delay;
        enqueue(world, {
          kind: 'timer',
          at: world.now + delay,
          seq,
          node: node.id,
          inc: node.incarnation,
          timer: id,
          event: p.event,
        });
        break;
      }
      case 'xstate.cancel': {
        const id = (a.params as { sendId: string }).sendId;
        delete node.timers[id];
        delete node.timerDue[id];
        break;
      }
      case 'send': {
        const p = a.params as { to: NodeId; message: MessageBody };
        send(world, rt, node.id, p.to, p.message);
        break;
      }
      case 'broadcast': {
        const p = a.params as { message: MessageBody };
        const peers = rt.peers[idx];
        for (let j = 0; j < peers.length; j++) send(world, rt, node.id, peers[j], p.message);
        break;
      }
      default:
        throw new ModellingError(
          rt.drivers[idx].machine,
          node.snapshot,
          `action "${a.type}" is not something the simulator can run (only delayed raise, cancel, send and broadcast are)`,
        );
    }
  }
}

function machineOf(rt: Runtime, id: NodeId) {
  const i = rt.index.get(id);
  return i === undefined ? rt.model.machine : rt.drivers[i].machine;
}

export function send(world: World, rt: Runtime, from: NodeId, to: NodeId, body: MessageBody): void {
  if (typeof to !== 'number' || rt.slot[to] === undefined)
    throw new ModellingError(machineOf(rt, from), undefined, `send to unknown node ${to}`);
  if (body.from !== from)
    throw new ModellingError(
      machineOf(rt, from),
      undefined,
      `message ${body.type} must carry from: ${from}`,
    );
  const target = world.nodes[indexOf(rt, to)];
  const copies = world.net.duplicate > 0 && rt.rng.chance(world.net.duplicate) ? 2 : 1;
  for (let c = 0; c < copies; c++) {
    const loss = lossOf(world.net, from, to);
    const msg: Message = {
      id: ++world.msgSeq,
      from,
      to,
      sentAt: world.now,
      deliverAt: deliveryTime(world.net, from, to, world.now, rt.rng),
      toInc: target.incarnation,
      lost: loss > 0 && rt.rng.chance(loss),
      body,
    };
    enqueue(world, { kind: 'deliver', at: msg.deliverAt, seq: nextSeq(world), msg });
    world.counters.sent++;
    world.counters.sentByType[body.type] = (world.counters.sentByType[body.type] ?? 0) + 1;
    rt.sent++;
  }
}

/** Asks the algorithm what the event did that the states do not show, for narration. */
function explain(
  rt: Runtime,
  r: TraceRecord,
  before: AnyMachineSnapshot,
  after: AnyMachineSnapshot,
  event: EventObject,
): void {
  const note = rt.model.explain?.(before, after, event);
  if (note !== undefined) r.note = note;
}

/** Feeds one event to node `idx`'s machine and applies what it does. */
export function feed(
  world: World,
  rt: Runtime,
  idx: number,
  event: EventObject,
  eventIndex: number,
): void {
  const node = world.nodes[idx];
  const prev = node.snapshot;
  const [snap, actions] = rt.drivers[idx].step(prev, event);
  node.snapshot = snap;
  interpret(world, rt, idx, actions);
  // no assign and no state change: the summary cannot have changed
  if (snap.context !== prev.context || snap.value !== prev.value)
    noteNodeChanged(world, rt, idx, eventIndex, prev);
}

/** Starts a fresh incarnation of node `idx` (initial boot or restart). */
export function startNode(
  world: World,
  rt: Runtime,
  idx: number,
  persisted: unknown,
  eventIndex: number,
): void {
  const node = world.nodes[idx];
  const prev = node.snapshot as AnyMachineSnapshot | undefined;
  node.alive = true;
  node.paused = false;
  node.timers = {};
  node.timerDue = {};
  node.held = [];
  const input = rt.model.input({
    id: node.id,
    peers: rt.peers[idx],
    order: rt.order,
    params: rt.params,
    persisted,
    rand: rt.rng.u32(),
  });
  const [snap, actions] = rt.drivers[idx].init(input);
  node.snapshot = snap;
  interpret(world, rt, idx, actions);
  noteNodeChanged(world, rt, idx, eventIndex, prev);
}

export function killNode(world: World, rt: Runtime, idx: number, eventIndex: number): void {
  const node = world.nodes[idx];
  for (const ev of node.held) if (ev.kind === 'deliver') drop(world, 'dead');
  node.alive = false;
  node.paused = false;
  node.timers = {};
  node.timerDue = {};
  node.held = [];
  // a dead node leads nothing; its last term stays visible in the view
  const before = rt.summaries[idx];
  const after = { role: 'idle' as const, term: before.term, leader: null };
  rt.summaries[idx] = after;
  observeNode(world, rt, idx, before, after, eventIndex);
}

function drop(world: World, reason: DropReason): void {
  world.counters.dropped[reason] = (world.counters.dropped[reason] ?? 0) + 1;
}

/**
 * When the node is paused, the event waits in its inbox and this returns its record ("hold");
 * otherwise null, and the caller runs the event.
 */
export function holdIfPaused(
  world: World,
  rt: Runtime,
  ev: QueuedEvent & { node: NodeId },
  eventIndex: number,
): TraceRecord | null {
  const node = world.nodes[indexOf(rt, ev.node)];
  if (!node.paused) return null;
  node.held.push(ev);
  return makeRecord(eventIndex, world.now, 'hold', node.id, eventType(ev));
}

function eventType(ev: QueuedEvent): string {
  switch (ev.kind) {
    case 'deliver':
      return ev.msg.body.type;
    case 'timer':
      return ev.event.type;
    case 'forced':
      return ev.event.type;
    case 'fault':
      return ev.action.type;
  }
}

/** Copies the node's term, vote and leader (after the event) into its record, for narration. */
function beliefs(r: TraceRecord, rt: Runtime, idx: number): void {
  const s = rt.summaries[idx];
  r.term = s.term;
  r.votedFor = s.votedFor;
  r.leader = s.leader;
}

export function fireTimer(
  world: World,
  rt: Runtime,
  ev: Extract<QueuedEvent, { kind: 'timer' | 'forced' }>,
  eventIndex: number,
): TraceRecord {
  const idx = indexOf(rt, ev.node);
  const node = world.nodes[idx];
  if (!node.alive || node.incarnation !== ev.inc) {
    const r = makeRecord(eventIndex, world.now, 'drop', node.id, eventType(ev));
    r.reason = 'dead';
    return r;
  }
  if (ev.kind === 'timer') {
    delete node.timers[ev.timer];
    delete node.timerDue[ev.timer];
  }
  // A fresh event with the draw; `now` is the node's reading of the wall clock when the
  // timer is handled. (Object.assign, then the keys: the same object as a spread, cheaper.)
  const event: EventObject & { rand?: number; now?: number } = Object.assign({}, ev.event);
  event.rand = rt.rng.u32();
  event.now = world.now;
  const r = makeRecord(eventIndex, world.now, 'timer', node.id, event.type);
  r.before = stateString(node.snapshot.value);
  const prev = node.snapshot;
  feed(world, rt, idx, event, eventIndex);
  r.after = stateString(node.snapshot.value);
  if (rt.keepTrace) explain(rt, r, prev, node.snapshot, event);
  beliefs(r, rt, idx);
  return r;
}

export function deliver(
  world: World,
  rt: Runtime,
  ev: Extract<QueuedEvent, { kind: 'deliver' }>,
  eventIndex: number,
): TraceRecord {
  const msg = ev.msg;
  const idx = indexOf(rt, msg.to);
  const node = world.nodes[idx];
  let reason: DropReason | null = null;
  if (!node.alive) reason = 'dead';
  else if (node.incarnation !== msg.toInc) reason = 'restarted';
  else if (!ev.held) reason = blocked(world.net, msg.from, msg.to) ?? (msg.lost ? 'loss' : null);
  const r = makeRecord(eventIndex, world.now, 'deliver', msg.to, msg.body.type, msg.from, msg.id);
  if (rt.keepTrace) {
    r.label = rt.model.label(msg.body);
    const mk = rt.model.kindOf?.(msg.body);
    if (mk !== undefined) r.mk = mk;
  }
  if (reason !== null) {
    drop(world, reason);
    r.kind = 'drop';
    r.reason = reason;
    return r;
  }
  if (node.paused) {
    node.held.push({ ...ev, held: true });
    r.kind = 'hold';
    return r;
  }
  world.counters.delivered++;
  r.before = stateString(node.snapshot.value);
  // The machine's timers draw from `rand`: a fresh draw per delivery, carried by the event
  // fed to the machine. The message body itself is never written to (a broadcast's copies
  // share it, and a checkpoint shares it with the live run).
  // (Object.assign onto an empty object is much cheaper in V8 than a spread plus a new key.)
  const event: EventObject & { rand?: number } = Object.assign({}, msg.body);
  event.rand = rt.rng.u32();
  const prev = node.snapshot;
  feed(world, rt, idx, event, eventIndex);
  r.after = stateString(node.snapshot.value);
  if (rt.keepTrace) explain(rt, r, prev, node.snapshot, event);
  beliefs(r, rt, idx);
  return r;
}
